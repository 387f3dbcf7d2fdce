package api

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"mamori/internal/app"
	"mamori/internal/pledge"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestPledgeAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLogbookAPI(t, db)
		if _, err := db.SQL.Exec(`UPDATE staff SET employment = 'part_time' WHERE id = $1`, f.staff["jiro"]); err != nil {
			t.Fatal(err)
		}
		u, err := f.svcs.Auth.UserByLogin(ctx, app.AdminLogin)
		if err != nil {
			t.Fatal(err)
		}
		admin, err := ownToken(ctx, f.svcs, u)
		if err != nil {
			t.Fatal(err)
		}
		mine := decodeAs[myPledges](t, f.do("GET", "/api/v1/pledges", f.tokens["jiro"], nil), http.StatusOK)
		if len(mine.Pledges) != 1 || len(mine.Mine) != 1 || mine.Mine[0].State != pledge.Unsigned {
			t.Fatalf("jiro's pledges %+v", mine)
		}
		sum := mine.Pledges[0].TextSHA256()
		path := "/api/v1/pledges/forms/nonregular-consent/sign"
		e := apiError(t, f.do("POST", path, f.tokens["jiro"], signInput{TextSHA256: sum, TypedName: "ichiro", Confirm: true}), http.StatusUnprocessableEntity, "invalid")
		if e.Field != "typed_name" {
			t.Fatalf("error names %q", e.Field)
		}
		e = apiError(t, f.do("POST", "/api/v1/pledges/forms/nope/sign", f.tokens["jiro"], signInput{TextSHA256: sum, TypedName: "jiro", Confirm: true}), http.StatusUnprocessableEntity, "invalid")
		if e.Field != "pledge_id" {
			t.Fatalf("error names %q", e.Field)
		}
		g := decodeAs[pledge.Signature](t, f.do("POST", path, f.tokens["jiro"], signInput{TextSHA256: sum, TypedName: "jiro", Confirm: true}), http.StatusCreated)
		if g.TextSHA256 != sum || g.Method != pledge.Online {
			t.Fatalf("signature %+v", g)
		}
		apiError(t, f.do("POST", path, f.tokens["jiro"], signInput{TextSHA256: sum, TypedName: "jiro", Confirm: true}), http.StatusUnprocessableEntity, "invalid")
		apiError(t, f.do("GET", "/api/v1/pledges/signatures/"+itoa64(g.ID), f.tokens["ichiro"], nil), http.StatusNotFound, "not_found")
		decodeAs[pledge.Signature](t, f.do("GET", "/api/v1/pledges/signatures/"+itoa64(g.ID), f.tokens["kansa"], nil), http.StatusOK)
		b := decodeAs[pledge.Board](t, f.do("GET", "/api/v1/pledges/status?state=all", admin, nil), http.StatusOK)
		if len(b.Items) != 1 || b.Pledges[0].Count.Signed != 1 {
			t.Fatalf("board %+v", b)
		}

		// The 情報政策課 records a paper pledge: a scan that is no PDF or image is refused.
		if _, err := db.SQL.Exec(`UPDATE staff SET employment = 'fiscal_year' WHERE id = $1`, f.staff["zeimu"]); err != nil {
			t.Fatal(err)
		}
		post := func(name string, body []byte) *httptest.ResponseRecorder {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("pledge_id", "nonregular-consent")
			mw.WriteField("staff_id", itoa64(f.staff["zeimu"]))
			mw.WriteField("signed_on", "2026-04-01")
			fw, _ := mw.CreateFormFile("scan", name)
			fw.Write(body)
			mw.Close()
			req := httptest.NewRequest("POST", "/api/v1/pledges/paper", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+admin)
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			return rec
		}
		e = apiError(t, post("scan.txt", []byte("hello")), http.StatusUnprocessableEntity, "invalid")
		if e.Field != "scan" {
			t.Fatalf("error names %q", e.Field)
		}
		pdf := []byte("%PDF-1.4\n同意書")
		p := decodeAs[pledge.Signature](t, post("scan.pdf", pdf), http.StatusCreated)
		if p.Scan == nil || p.Method != pledge.Paper {
			t.Fatalf("paper %+v", p)
		}
		rec := f.do("GET", "/api/v1/pledges/signatures/"+itoa64(p.ID)+"/scan", admin, nil)
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), pdf) {
			t.Fatalf("scan: %d", rec.Code)
		}
	})
}
