package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var riskLink = regexp.MustCompile(`href="/risks/(\d+)"`)

// TestRiskPages: the 情報政策課 generates the candidates after a confirmation and assesses one,
// bad input named by its field; the CISO accepts its residual risk; the heat maps show the
// risk before and after treatment; the register goes to Excel and to paper; a department that
// owns no risk sees none.
func TestRiskPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		if _, err := f.s.Policy.Use(context.Background(), f.sys, "koge"); err != nil {
			t.Fatal(err)
		}
		f.create(t, asset.Input{Number: "SV-1", Name: "基幹サーバ", Kind: "server", DepartmentID: f.general.ID,
			Class: map[string]string{"importance": "I"}, Attrs: map[string]any{"critical_server": true, "redundant": false}})
		f.create(t, asset.Input{Number: "DOC-1", Name: "会議資料", Kind: "document", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "III"}})
		chief := f.signInHolder(t, "tokatsu", "chief")
		ciso := f.signInHolder(t, "ciso", "ciso")
		civic := f.signInStaff(t, "madoguchi", f.clerk.ID)

		expect(t, chief.get("/risks"), http.StatusOK, "リスク分析", "候補を洗い出す", `id="heat-inherent"`, "リスクはまだありません。")
		expect(t, civic.post("/risks/generate", url.Values{"confirmed": {"yes"}}), http.StatusForbidden)
		expect(t, chief.post("/risks/generate", nil), http.StatusOK, `name="confirmed" value="yes"`)
		expect(t, chief.post("/risks/generate", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther, "/risks")
		r := chief.get("/risks")
		expect(t, r, http.StatusOK, "意図的な要因による情報資産の漏えい", "サーバ", "第1章 3(1)", `data-total="10"`)
		lacks(t, r, "intentional", "critical-server-redundant")
		m := riskLink.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatal("no link to a risk")
		}
		href := "/risks/" + m[1]
		expect(t, chief.get(href), http.StatusOK, `action="`+href+`/assess"`, "発生可能性の提案")
		lacks(t, chief.get(href), `action="`+href+`/accept"`)

		bad := url.Values{"likelihood": {"high"}, "impact": {"enormous"}, "treatment": {"reduce"}, "owner_department_id": {idStr(f.general.ID)},
			"residual_likelihood": {"low"}, "residual_impact": {"large"}}
		expect(t, chief.post(href+"/assess", bad), http.StatusUnprocessableEntity, "影響度を評価表の段階から選んでください。", "低減・回避・移転では対応計画を入力してください。")
		good := url.Values{"likelihood": {"high"}, "impact": {"large"}, "treatment": {"reduce"}, "plan": {"冗長化する"},
			"owner_department_id": {idStr(f.general.ID)}, "residual_likelihood": {"low"}, "residual_impact": {"large"}}
		expect(t, civic.post(href+"/assess", good), http.StatusForbidden)
		expect(t, chief.post(href+"/assess", good), http.StatusSeeOther, href)
		expect(t, chief.get(href), http.StatusOK, "評価済み", "冗長化する", "総務課")

		expect(t, ciso.get(href), http.StatusOK, `action="`+href+`/accept"`)
		expect(t, ciso.post(href+"/accept", url.Values{"until": {"2025-01-01"}}), http.StatusUnprocessableEntity, "受容の期限は今日以降の日付にしてください。")
		expect(t, ciso.post(href+"/accept", url.Values{"until": {"2026-12-31"}, "note": {"予算措置まで"}}), http.StatusSeeOther)
		expect(t, ciso.get(href), http.StatusOK, "受容済み", "令和8年12月31日")
		r = ciso.get("/risks")
		expect(t, r, http.StatusOK, `id="heat-residual"`, `data-total="1"`)

		x := chief.get("/risks/export")
		if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
			t.Fatalf("export: %d", x.status)
		}
		book, err := excelize.OpenReader(strings.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows("リスク分析")
		if err != nil || len(rows) != 11 || !slices.Contains(rows[0], "残留リスク") || !strings.Contains(strings.Join(flat(rows), "|"), "冗長化する") {
			t.Fatalf("workbook rows = %d %v: %v", len(rows), err, rows[:min(len(rows), 2)])
		}
		expect(t, chief.get("/risks/print"), http.StatusOK, "リスク分析結果（リスク台帳）", "form-sheet", "冗長化する")

		expect(t, civic.get("/risks"), http.StatusOK, "リスクはまだありません。")
		expect(t, civic.get(href), http.StatusNotFound)
		expect(t, chief.get("/audit"), http.StatusForbidden)
	})
}

// visitRiskPages renders the register, a risk and the printed register for the test that every
// template is used: a holder of an organisation-wide security role generates the candidates.
func visitRiskPages(t *testing.T, f *fixture, deptID string) {
	t.Helper()
	ctx := context.Background()
	o, _ := f.s.Org.First(ctx)
	sys := access.System(o.ID, "test")
	pack, _, err := f.s.Policy.Active(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: mustInt(t, deptID), EmployeeNo: "RISK-1", Name: "分析 一郎", Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range pack.Roles {
		if r.Security && r.Scope == "organization" && !r.AllStaff {
			if _, err := f.s.Org.AssignRole(ctx, sys, orgRole(r.ID, st.ID)); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if _, err := f.s.Risks.Generate(ctx, sys); err != nil {
		t.Fatal(err)
	}
	_, temp, err := f.s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: "bunseki", DisplayName: "分析 一郎", StaffID: st.ID, Lang: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	expect(t, b.post("/login", url.Values{"login": {"bunseki"}, "password": {temp}}), http.StatusSeeOther)
	b.changedPassword(b.post("/account/password", url.Values{"current": {temp}, "new": {staffPW}, "confirm": {staffPW}}), "bunseki")
	r := b.get("/risks")
	expect(t, r, http.StatusOK, `id="heat-inherent"`)
	if m := riskLink.FindStringSubmatch(r.body); m != nil {
		expect(t, b.get("/risks/"+m[1]), http.StatusOK)
	} else if n := len(pack.Threats); n > 0 {
		t.Fatalf("no risk listed though the pack names %d threats", n)
	}
	expect(t, b.get("/risks/print"), http.StatusOK)
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
