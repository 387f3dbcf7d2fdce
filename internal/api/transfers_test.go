package api

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/transfer"
)

func (f *fixture) uploadTransfers(token string, data []byte, fields map[string]string) *httptest.ResponseRecorder {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "異動.csv")
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/transfers", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func TestTransfersAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sys := access.System(f.orgID, "test")
		d, err := f.svcs.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "s", Name: "総務課", Kind: "section", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svcs.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "z", Name: "税務課", Kind: "section", Active: true}); err != nil {
			t.Fatal(err)
		}
		st, err := f.svcs.Org.CreateStaff(ctx, sys, org.StaffInput{EmployeeNo: "7", Name: "山田 太郎", DepartmentID: d.ID, Employment: "regular"})
		if err != nil {
			t.Fatal(err)
		}
		head := "職員番号,氏名,異動区分,旧所属,新所属,新職名,発令日\n"
		bad := []byte(head + "7,山田 太郎,異動,総務課,観光課,,2020/4/1\n")
		rec := f.uploadTransfers(f.admin, bad, map[string]string{"dry_run": "true"})
		rep := decodeAs[transfer.Report](t, rec, http.StatusOK)
		if rep.Errors != 1 || !strings.Contains(rep.Rows[0].Problems[0].Message, "観光課") || rep.Rows[0].Problems[0].MessageEn == "" {
			t.Fatalf("dry run = %+v", rep.Rows)
		}
		rec = f.do("POST", "/api/v1/transfers/"+itoa64(rep.List.ID)+"/apply", f.admin, nil)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("apply of a wrong list = %d %s", rec.Code, rec.Body)
		}
		rec = f.uploadTransfers(f.admin, []byte(head+"7,山田 太郎,異動,総務課,税務課,,2020/4/1\n"), nil)
		rep = decodeAs[transfer.Report](t, rec, http.StatusCreated)
		if rep.List.State != transfer.StateApplied {
			t.Fatalf("applied = %+v", rep.List)
		}
		got, _ := f.svcs.Org.StaffMember(ctx, sys, st.ID)
		if got.DepartmentName != "税務課" {
			t.Fatalf("staff in %q", got.DepartmentName)
		}
		rec = f.do("GET", "/api/v1/transfers?state=applied", f.admin, nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"total":1`) {
			t.Fatalf("list = %d %s", rec.Code, rec.Body)
		}
		clerk := f.tokenFor("clerk", "ja", false)
		if rec := f.uploadTransfers(clerk, bad, nil); rec.Code != http.StatusForbidden {
			t.Fatalf("clerk upload = %d", rec.Code)
		}
		if rec := f.do("GET", "/api/v1/transfers", clerk, nil); rec.Code != http.StatusForbidden {
			t.Fatalf("clerk list = %d", rec.Code)
		}
	})
}
