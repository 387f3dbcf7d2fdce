package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"mamori/internal/access"
	"mamori/internal/audit"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAuditPages: the chief auditor plans an audit on the page (an auditor from the audited
// department refused by name), the auditor records a result with evidence (a file of the wrong
// type refused), the audited department's manager plans the corrective action, another
// department sees nothing, and the report and the plan print.
func TestAuditPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		admin := f.browser()
		admin.signInAdmin(adminPW)
		o, _ := f.s.Org.First(context.Background())
		if _, err := f.s.Policy.Use(context.Background(), access.System(o.ID, "test"), "kishiwada"); err != nil {
			t.Fatal(err)
		}
		visitAuditPages(t, f)
	})
}

func visitAuditPages(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	o, _ := f.s.Org.First(ctx)
	sys := access.System(o.ID, "test")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	audited, err := f.s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "AUD-1", Name: "監査対象課", Kind: "section", Active: true})
	must(err)
	other, err := f.s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "AUD-2", Name: "監査室", Kind: "section", Active: true})
	must(err)
	person := func(no, name string, dept int64, role, scope string) int64 {
		st, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: no, Name: name, Employment: "regular", Active: true})
		must(err)
		if role != "" {
			ra := org.RoleAssignment{RoleID: role, Scope: scope, HolderStaffID: st.ID}
			if scope == "department" {
				ra.DepartmentID = dept
			}
			_, err := f.s.Org.AssignRole(ctx, sys, ra)
			must(err)
		}
		return st.ID
	}
	chiefID := person("AUD-C", "監査 統括", other.ID, "audit_chief", "organization")
	auditorID := person("AUD-A", "監査 一郎", other.ID, "", "")
	insiderID := person("AUD-I", "対象 花子", audited.ID, "", "")
	managerID := person("AUD-M", "対象 課長", audited.ID, "security_officer", "department")
	outsiderID := person("AUD-O", "他課 次郎", other.ID, "", "")
	signIn := func(login string, staffID int64) *browser {
		return (&registerFixture{fixture: f, sys: sys}).signInStaff(t, login, staffID)
	}
	chief, auditor, manager, outsider := signIn("aud-chief", chiefID), signIn("aud-a", auditorID), signIn("aud-m", managerID), signIn("aud-o", outsiderID)

	expect(t, chief.get("/audits"), http.StatusOK, `action="/audits/plans"`, `action="/audits"`)
	expect(t, chief.post("/audits/plans", url.Values{"form": {"plan"}, "kind": {"annual"}, "from_year": {"2026"}, "title": {"令和8年度監査計画"},
		"aims": {"情報資産の管理"}, "departments": {strconv.FormatInt(audited.ID, 10)}}), http.StatusSeeOther, "/audits?year=2026")
	pack, _ := f.s.Policy.Optional(ctx, o.ID)
	crit := audit.Articles(pack)[0]
	form := url.Values{"form": {"audit"}, "kind": {"regular"}, "title": {"監査対象課の監査"}, "criteria": {crit}, "starts_on": {"2026-05-01"},
		"ends_on": {"2026-06-30"}, "departments": {strconv.FormatInt(audited.ID, 10)},
		"auditors": {strconv.FormatInt(auditorID, 10), strconv.FormatInt(insiderID, 10)}}
	expect(t, chief.post("/audits", form), http.StatusUnprocessableEntity, "対象 花子 さんは被監査部門（監査対象課）に属している")
	form["auditors"] = []string{strconv.FormatInt(auditorID, 10)}
	r := chief.post("/audits", form)
	expect(t, r, http.StatusSeeOther, "/audits/")
	href := r.location
	list := chief.get("/audits?year=2026")
	expect(t, list, http.StatusOK, "監査対象課の監査", "令和8年度監査計画")
	pm := regexp.MustCompile(`/audit-plans/(\d+)`).FindStringSubmatch(list.body)
	if pm == nil {
		t.Fatalf("no plan link:\n%.2000s", list.body)
	}
	expect(t, outsider.get(pm[0]), http.StatusOK, "令和8年度監査計画", "監査対象課")
	expect(t, outsider.get(href), http.StatusNotFound)

	expect(t, auditor.post(href+"/items", url.Values{"form": {"item"}, "title": {"台帳の整備"}, "article": {crit}, "method": {"document"}}),
		http.StatusSeeOther)
	page := auditor.get(href)
	m := regexp.MustCompile(`/items/(\d+)/result`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no result form:\n%.2000s", page.body)
	}
	res := href + "/items/" + m[1] + "/result"
	expect(t, auditor.postFiles(res, url.Values{"form": {"result-" + m[1]}, "result": {"minor"}, "note": {"未更新"}}, "evidence", "run.exe",
		"application/octet-stream", []byte("MZ")), http.StatusUnprocessableEntity, "証拠として受け付けない形式")
	expect(t, auditor.postFiles(res, url.Values{"form": {"result-" + m[1]}, "result": {"minor"}, "note": {"台帳が未更新"}}, "evidence", "台帳.pdf",
		"application/pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	expect(t, auditor.post(href+"/findings", url.Values{"form": {"finding"}, "item_id": {m[1]}, "title": {"台帳の未更新"},
		"root_cause": {"引継ぎ手順がない"}}), http.StatusSeeOther)
	page = manager.get(href)
	expect(t, page, http.StatusOK, "台帳の未更新", "是正措置を登録する")
	lacks(t, page, "台帳の整備</h3>")
	fm := regexp.MustCompile(`/findings/(\d+)/actions`).FindStringSubmatch(page.body)
	expect(t, manager.post(href+"/findings/"+fm[1]+"/actions", url.Values{"form": {"action-" + fm[1]}, "plan": {"引継ぎ手順を定める"},
		"owner_staff_id": {strconv.FormatInt(insiderID, 10)}, "due_on": {"2026-07-31"}}), http.StatusSeeOther)
	expect(t, auditor.post(href+"/report", url.Values{"form": {"report"}, "intro": {"はじめに"}, "summary": {"概要"}, "opinion": {"意見"},
		"issue": {"yes"}}), http.StatusSeeOther)
	expect(t, chief.get(href), http.StatusOK, "報告済", "引継ぎ手順を定める")
	expect(t, chief.get(href+"/report"), http.StatusOK, "情報セキュリティ監査報告書", "はじめに", "監査の概要", "監査の結果と意見", "特記事項", "SHA-256")
	expect(t, chief.get(href+"/plan"), http.StatusOK, "情報セキュリティ監査実施計画書", "監査 一郎")
	x := chief.get("/audits/export?year=2026")
	if x.status != http.StatusOK || len(x.body) < 100 || x.body[:2] != "PK" {
		t.Fatalf("export: %d %q", x.status, x.body[:min(len(x.body), 20)])
	}
}
