package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/compliance"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestComplianceAPI: findings are listed and filtered as the caller may see them, a restricted
// asset's findings come without rule and values, the summary, trend and register answer, and
// only administrators sweep.
func TestComplianceAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		secret := f.create(assetBody("SECRET-1", f.soumu, "A")) // a terminal of 重要度A kept in L2: 3(1) 表5 wants L3
		other := f.create(with(assetBody("PC-2", f.zeimu, "C"), "attrs", map[string]any{"malware_protection": false}))
		findings := func(token, query string) list[compliance.Shown] {
			t.Helper()
			return decodeAs[list[compliance.Shown]](t, f.do("GET", "/api/v1/compliance/findings"+query, token, nil), http.StatusOK)
		}

		t.Run("an auditor sees every department's findings with their articles", func(t *testing.T) {
			l := findings(f.auditor, "")
			depts := map[string]bool{}
			for _, x := range l.Items {
				depts[x.DepartmentName] = true
				if x.Article == "" || x.Restricted {
					t.Fatalf("finding without its article: %+v", x)
				}
			}
			if !depts["総務課"] || !depts["税務課"] || l.Total != len(l.Items) {
				t.Fatalf("departments %v, total %d of %d", depts, l.Total, len(l.Items))
			}
		})
		t.Run("department staff see their department's findings only", func(t *testing.T) {
			l := findings(f.clerk, "")
			if l.Total == 0 {
				t.Fatal("the clerk sees no finding of their department")
			}
			for _, x := range l.Items {
				if x.DepartmentID != f.soumu {
					t.Fatalf("the clerk sees a finding of %s", x.DepartmentName)
				}
			}
			apiError(t, f.do("GET", "/api/v1/assets/"+itoa64(other.ID)+"/findings", f.clerk, nil), http.StatusNotFound, "not_found")
		})
		t.Run("the filters narrow the list", func(t *testing.T) {
			l := findings(f.auditor, "?rule=zone-store-importance-a")
			if l.Total != 1 || l.Items[0].AssetNumber != "SECRET-1" || len(l.Items[0].Values) == 0 {
				t.Fatalf("by rule: %+v", l)
			}
			for _, x := range findings(f.auditor, "?severity=high").Items {
				if x.Severity != "high" && x.Severity != "critical" {
					t.Fatalf("severity filter let %s through", x.Severity)
				}
			}
			if l := findings(f.auditor, "?department_id="+itoa64(f.zeimu)+"&limit=1"); len(l.Items) != 1 || l.Items[0].AssetNumber != "PC-2" || l.Next == nil {
				t.Fatalf("by department, paged: %+v", l)
			}
			if l := findings(f.auditor, "?state=closed"); l.Total != 0 {
				t.Fatalf("closed: %+v", l)
			}
			apiError(t, f.do("GET", "/api/v1/compliance/findings?state=gone", f.auditor, nil), http.StatusUnprocessableEntity, "invalid")
		})
		t.Run("a restricted asset's findings withhold the rule and the values", func(t *testing.T) {
			body := f.do("GET", "/api/v1/compliance/findings", f.admin, nil).Body.String()
			if !strings.Contains(body, `"asset_number":"SECRET-1"`) || !strings.Contains(body, `"restricted":true`) || strings.Contains(body, "重要度Ａの情報") {
				t.Fatalf("body: %s", body)
			}
			for _, x := range findings(f.admin, "").Items {
				if x.AssetNumber == "SECRET-1" && (x.RuleID != "" || len(x.Values) != 0 || x.Quote != "") {
					t.Fatalf("restricted finding shows %+v", x)
				}
			}
			if l := findings(f.admin, "?rule=zone-store-importance-a"); len(l.Items) != 0 {
				t.Fatalf("listing by rule shows the restricted asset: %+v", l.Items)
			}
			l := decodeAs[list[compliance.Shown]](t, f.do("GET", "/api/v1/assets/"+itoa64(secret.ID)+"/findings", f.admin, nil), http.StatusOK)
			if l.Total == 0 || !l.Items[0].Restricted || len(l.Items[0].Values) != 0 {
				t.Fatalf("asset findings: %+v", l)
			}
			l = decodeAs[list[compliance.Shown]](t, f.do("GET", "/api/v1/assets/"+itoa64(secret.ID)+"/findings", f.clerk, nil), http.StatusOK)
			if l.Total == 0 || l.Items[0].Restricted || len(l.Items[0].Events) == 0 {
				t.Fatalf("the owning department's clerk: %+v", l)
			}
		})
		t.Run("the summary counts by department and by rule", func(t *testing.T) {
			s := decodeAs[complianceSummary](t, f.do("GET", "/api/v1/compliance/summary", f.auditor, nil), http.StatusOK)
			if len(s.Departments) != 2 || len(s.Rules) == 0 {
				t.Fatalf("summary: %+v", s)
			}
			s = decodeAs[complianceSummary](t, f.do("GET", "/api/v1/compliance/summary", f.clerk, nil), http.StatusOK)
			if len(s.Departments) != 1 || s.Departments[0].DepartmentName != "総務課" {
				t.Fatalf("the clerk's summary: %+v", s.Departments)
			}
		})
		t.Run("only administrators sweep; the trend then has the day", func(t *testing.T) {
			for _, token := range []string{f.clerk, f.auditor, f.ciso} {
				apiError(t, f.do("POST", "/api/v1/compliance/sweeps", token, nil), http.StatusForbidden, "forbidden")
			}
			sw := decodeAs[compliance.Sweep](t, f.do("POST", "/api/v1/compliance/sweeps", f.admin, nil), http.StatusOK)
			if sw.Assets != 2 || sw.Cause != "manual" {
				t.Fatalf("sweep: %+v", sw)
			}
			// The sweep on demand is the administrator's act in the audit log; the refused ones are not.
			var n int
			if err := db.SQL.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_entries WHERE action = 'compliance.sweep'
				AND entity = 'organization' AND actor_user_id IS NOT NULL AND after_json LIKE '%"assets":2%'`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("%d audit entries of the sweep, %v", n, err)
			}
			trend := decodeAs[complianceTrend](t, f.do("GET", "/api/v1/compliance/trend", f.auditor, nil), http.StatusOK).Days
			if len(trend) != 1 || trend[0].Assets != 2 || trend[0].Open.Total() == 0 {
				t.Fatalf("trend: %+v", trend)
			}
			apiError(t, f.do("GET", "/api/v1/compliance/trend", f.clerk, nil), http.StatusForbidden, "forbidden")
		})
		t.Run("the exception register answers, empty", func(t *testing.T) {
			l := decodeAs[list[compliance.Exception]](t, f.do("GET", "/api/v1/compliance/exceptions", f.auditor, nil), http.StatusOK)
			if l.Total != 0 || l.Items == nil {
				t.Fatalf("exceptions: %+v", l)
			}
			apiError(t, f.do("GET", "/api/v1/compliance/exceptions?state=gone", f.auditor, nil), http.StatusUnprocessableEntity, "invalid")
		})
	})
}
