package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAuditsAPI: the chief auditor plans an audit of 総務課 — its manager is refused as auditor
// by name — records an item with evidence in base64 (a program refused, nothing changed), and
// issues the report; 総務課's clerk reads the audit partially.
func TestAuditsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		staff := func(login string) int64 {
			var id int64
			if err := db.SQL.QueryRowContext(context.Background(), `SELECT staff_id FROM users WHERE login = $1`, login).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		p, _, err := f.svcs.Policy.Active(context.Background(), f.orgID)
		if err != nil {
			t.Fatal(err)
		}
		crit := audit.Articles(p)[0]
		in := map[string]any{"title": "総務課の監査", "criteria": []string{crit}, "starts_on": "2026-04-01", "ends_on": "2027-03-31",
			"departments": []int64{f.soumu}, "auditors": []int64{staff("auditor"), staff("manager")}}
		e := apiError(t, f.do("POST", "/api/v1/audits", f.auditor, in), http.StatusUnprocessableEntity, "invalid")
		if len(e.Fields) == 0 || !strings.Contains(e.Fields[0].Message, "manager") {
			t.Fatalf("the refusal does not name the manager: %+v", e)
		}
		apiError(t, f.do("POST", "/api/v1/audits", f.clerk, in), http.StatusForbidden, "forbidden")
		in["auditors"] = []int64{staff("auditor")}
		d := decodeAs[audit.Detail](t, f.do("POST", "/api/v1/audits", f.auditor, in), http.StatusCreated)
		base := "/api/v1/audits/" + itoa64(d.ID)
		it := decodeAs[audit.Item](t, f.do("POST", base+"/items", f.auditor, map[string]any{"title": "台帳", "article": crit, "method": "document"}),
			http.StatusCreated)
		bad := map[string]any{"result": "minor", "note": "未更新", "evidence": []map[string]any{{"name": "x.exe", "content": []byte("MZ")}}}
		apiError(t, f.do("POST", base+"/items/"+itoa64(it.ID)+"/result", f.auditor, bad), http.StatusUnprocessableEntity, "invalid")
		good := map[string]any{"result": "minor", "note": "未更新", "evidence": []map[string]any{{"name": "台帳.pdf", "content": []byte("%PDF-1.4\n%%EOF\n")}}}
		got := decodeAs[audit.Item](t, f.do("POST", base+"/items/"+itoa64(it.ID)+"/result", f.auditor, good), http.StatusOK)
		if got.Result != "minor" || len(got.Evidence) != 1 {
			t.Fatalf("item %+v", got)
		}
		decodeAs[audit.Finding](t, f.do("POST", base+"/findings", f.auditor, map[string]any{"item_id": it.ID, "title": "未更新", "root_cause": "手順がない"}),
			http.StatusCreated)
		part := decodeAs[audit.Detail](t, f.do("GET", base, f.clerk, nil), http.StatusOK)
		if !part.Partial || len(part.Items) != 0 || len(part.Findings) != 1 {
			t.Fatalf("the clerk's view: %+v", part)
		}
		apiError(t, f.do("POST", base+"/report", f.auditor, map[string]any{"intro": "x"}), http.StatusUnprocessableEntity, "invalid")
		r := decodeAs[audit.Detail](t, f.do("POST", base+"/report", f.auditor, map[string]any{"intro": "はじめに", "summary": "概要", "opinion": "意見"}),
			http.StatusOK)
		if r.State != audit.StateReported || r.Report.SHA256 != audit.ReportHash(r) {
			t.Fatalf("issued report %+v", r.Report)
		}
		l := decodeAs[list[audit.Audit]](t, f.do("GET", "/api/v1/audits?year=2026", f.ciso, nil), http.StatusOK)
		if l.Total != 1 {
			t.Fatalf("the CISO lists %d audits", l.Total)
		}
		decodeAs[list[audit.Suggestion]](t, f.do("GET", "/api/v1/audit-suggestions", f.auditor, nil), http.StatusOK)
		apiError(t, f.do("GET", "/api/v1/audit-suggestions", f.clerk, nil), http.StatusForbidden, "forbidden")
	})
}
