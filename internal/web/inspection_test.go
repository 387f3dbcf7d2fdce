package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/org"
)

// staffUser makes a member of staff of dept holding role (scoped to dept where the role is a
// department role), with an account signed in on a new browser.
func staffUser(t *testing.T, f *fixture, login, name string, dept int64, role, scope string) *browser {
	t.Helper()
	ctx := context.Background()
	o, _ := f.s.Org.First(ctx)
	sys := access.System(o.ID, "test")
	st, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: login, Name: name, Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	ra := org.RoleAssignment{RoleID: role, Scope: scope, HolderStaffID: st.ID}
	if scope == "department" {
		ra.DepartmentID = dept
	}
	if _, err := f.s.Org.AssignRole(ctx, sys, ra); err != nil {
		t.Fatal(err)
	}
	_, temp, err := f.s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: name, StaffID: st.ID, Lang: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	expect(t, b.post("/login", url.Values{"login": {login}, "password": {temp}}), http.StatusSeeOther)
	b.changedPassword(b.post("/account/password", url.Values{"current": {temp}, "new": {staffPW}, "confirm": {staffPW}}), login)
	return b
}

// visitInspectionPages walks 自己点検 on 岸和田市's pack: the 情報政策課 (CISO補佐) starts a campaign
// for one department, its 情報セキュリティ責任者 answers and submits, the sheet is sent back, and
// every page, print and export is read.
func visitInspectionPages(t *testing.T, f *fixture, deptID string) {
	t.Helper()
	dept := mustInt(t, deptID)
	policyDiv := staffUser(t, f, "seisaku", "政策 花子", dept, "ciso_assistant", "organization")
	manager := staffUser(t, f, "kacho", "課長 太郎", dept, "security_manager", "department")

	expect(t, policyDiv.get("/self-inspections"), http.StatusOK, "自己点検を開始する")
	expect(t, policyDiv.get("/self-inspections/new"), http.StatusOK, `name="deadline"`)
	expect(t, policyDiv.post("/self-inspections", url.Values{"fiscal_year": {"2026"}, "title": {"点検"}, "deadline": {""}}),
		http.StatusUnprocessableEntity, `href="#f-deadline"`)
	deadline := f.now.AddDate(0, 1, 0).Format("2006-01-02")
	r := policyDiv.post("/self-inspections", url.Values{"fiscal_year": {"2026"}, "title": {"令和8年度 自己点検"}, "deadline": {deadline},
		"scope": {"chosen"}, "department_ids": {deptID}})
	expect(t, r, http.StatusSeeOther, "/self-inspections/")
	campaign := r.location
	r = policyDiv.get(campaign)
	expect(t, r, http.StatusOK, "課長 太郎", "未提出")
	m := regexp.MustCompile(campaign + `/sheets/(\d+)`).FindStringSubmatch(r.body) // the department's sheet comes first
	if m == nil {
		t.Fatal("no sheet on the progress page")
	}
	sheet := campaign + "/sheets/" + m[1]

	expect(t, manager.get("/self-inspections"), http.StatusOK, "令和8年度 自己点検")
	r = manager.get(sheet)
	expect(t, r, http.StatusOK, `name="answers.`)
	form := url.Values{}
	for i := 1; i <= 300; i++ {
		k := "answers." + strconv.Itoa(i)
		if containsName(r.body, k) {
			form.Set(k, "done")
		}
	}
	first := firstAnswer(t, r.body)
	form.Set(first, "not_done")
	expect(t, manager.post(sheet, form), http.StatusUnprocessableEntity, "理由と今後の対応")
	form.Set(first+".comment", "手順書を整備中")
	expect(t, manager.post(sheet, form), http.StatusSeeOther)
	expect(t, manager.post(sheet+"/submit", url.Values{}), http.StatusOK, `name="confirmed" value="yes"`)
	expect(t, manager.post(sheet+"/submit", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
	expect(t, manager.get(sheet), http.StatusOK, "提出済み")
	expect(t, manager.get("/self-inspection-findings"), http.StatusOK, "未実施", "完了にする")

	expect(t, policyDiv.post(sheet+"/return", url.Values{"reason": {""}}), http.StatusUnprocessableEntity, "入力してください")
	expect(t, policyDiv.post(sheet+"/return", url.Values{"reason": {"根拠資料を添付してください"}}), http.StatusSeeOther)
	expect(t, manager.get(sheet), http.StatusOK, "根拠資料を添付してください", "差戻し")
	for _, path := range []string{campaign + "/results", campaign + "/summary", sheet + "/print", "/self-inspection-findings?state=all"} {
		expect(t, policyDiv.get(path), http.StatusOK)
	}
	for _, path := range []string{"/self-inspections/export", campaign + "/export", campaign + "/results/export", sheet + "/export", "/self-inspection-findings/export"} {
		r := policyDiv.get(path)
		if r.status != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
			t.Errorf("%s: %d, not an xlsx file", path, r.status)
		}
	}
	expect(t, policyDiv.post(campaign+"/close", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
	expect(t, manager.post(sheet, form), http.StatusConflict, "終了しています")
}

func containsName(body, name string) bool { return strings.Contains(body, `name="`+name+`"`) }

// firstAnswer is the name of the first answer on a sheet's form.
func firstAnswer(t *testing.T, body string) string {
	t.Helper()
	for i := 1; i <= 300; i++ {
		if k := "answers." + strconv.Itoa(i); containsName(body, k) {
			return k
		}
	}
	t.Fatal("no answer on the sheet")
	return ""
}
