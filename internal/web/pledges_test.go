package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
)

// postScan posts the paper pledge form with its scan.
func (b *browser) postScan(path string, form url.Values, name string, body []byte) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("scan", name)
		fw.Write(body)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.f.srv.URL)
	return b.do(req)
}

// visitPledgePages, on 岸和田市's pack: a contractor's staff member signs the 誓約書 (a wrong
// name refused), the CISO補佐 sees the status, exports it, prints the form and records the paper
// pledge of another with its scan (a file that is no image refused).
func visitPledgePages(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	o, err := f.s.Org.First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rf := &registerFixture{fixture: f, sys: access.System(o.ID, "test")}
	if _, err := f.s.Policy.Use(ctx, rf.sys, "kishiwada"); err != nil {
		t.Fatal(err)
	}
	if rf.general, err = f.s.Org.CreateDepartment(ctx, rf.sys, org.DepartmentInput{Code: "PL", Name: "情報政策課", Kind: "section", Active: true}); err != nil {
		t.Fatal(err)
	}
	office := rf.signInHolder(t, "pl-ciso", "ciso_assistant")
	staff := func(no, name string) org.Staff {
		st, err := f.s.Org.CreateStaff(ctx, rf.sys, org.StaffInput{DepartmentID: rf.general.ID, EmployeeNo: no, Name: name, Employment: "contractor", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first, second := staff("PL-1", "委託 太郎"), staff("PL-2", "委託 次郎")
	worker := rf.signInStaff(t, "pl-itaku", first.ID)
	const id = "contractor-confidentiality"
	r := worker.get("/pledges")
	expect(t, r, http.StatusOK, "秘密保持等のための情報資産の適正な取扱いに関する誓約書", "未署名", "第2章 4(2)②")
	sum := between(r.body, `name="text_sha256" value="`, `"`)
	expect(t, worker.post("/pledges/forms/"+id+"/sign", url.Values{"text_sha256": {sum}, "typed_name": {"委託 次郎"}, "confirm": {"on"}}),
		http.StatusUnprocessableEntity, "一致しません", `href="#f-typed_name"`)
	expect(t, worker.post("/pledges/forms/"+id+"/sign", url.Values{"text_sha256": {sum}, "typed_name": {"委託太郎"}, "confirm": {"on"}}),
		http.StatusSeeOther, "/pledges")
	expect(t, worker.get("/pledges"), http.StatusOK, "署名済")
	expect(t, worker.get("/pledges/staff/"+strconv.FormatInt(second.ID, 10)), http.StatusNotFound)
	expect(t, worker.get("/pledges/paper"), http.StatusForbidden)

	expect(t, office.get("/pledges/status"), http.StatusOK, "委託 次郎", "対象 2人: 署名済 1人、未署名 1人")
	expect(t, office.get("/pledges/status?state=all"), http.StatusOK, "委託 太郎")
	if r := office.get("/pledges/status/export"); r.status != http.StatusOK || len(r.body) < 100 {
		t.Fatalf("export: %d", r.status)
	}
	expect(t, office.get("/pledges/forms/"+id+"/print"), http.StatusOK, "印", "令和　　年　　月　　日")
	expect(t, office.get("/pledges/forms/nope/print"), http.StatusNotFound)
	expect(t, office.get("/pledges/paper?pledge="+id), http.StatusOK, "委託 次郎")
	form := url.Values{"pledge_id": {id}, "staff_id": {strconv.FormatInt(second.ID, 10)}, "signed_on": {"2026-03-31"}}
	expect(t, office.postScan("/pledges/paper", form, "誓約書.png", []byte("MZ\x90\x00")), http.StatusUnprocessableEntity, "PDF, PNG, JPEG")
	var img bytes.Buffer
	_ = png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	r = office.postScan("/pledges/paper", form, "誓約書.png", img.Bytes())
	expect(t, r, http.StatusSeeOther, "/pledges/staff/")
	r = office.get(r.location)
	expect(t, r, http.StatusOK, "紙で署名", "誓約書.png")
	scan := between(r.body, `href="/pledges/signatures/`, `"`)
	if got := office.get("/pledges/signatures/" + scan); got.status != http.StatusOK || got.body != img.String() {
		t.Fatalf("scan: %d", got.status)
	}
	expect(t, worker.get("/pledges/signatures/"+scan), http.StatusNotFound)
}
