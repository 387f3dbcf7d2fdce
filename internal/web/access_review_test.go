package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
)

// visitAccessReviewPages walks 棚卸し on 岸和田市's pack: the 情報政策課 opens a review of one
// system; the 所属長 keeps a leaver's account and is refused, then removes it; the system's
// administrator proves the removal; and every page, print and export is read.
func visitAccessReviewPages(t *testing.T, f *fixture, deptID string) {
	t.Helper()
	ctx := context.Background()
	dept := mustInt(t, deptID)
	policyDiv := staffUser(t, f, "ar-seisaku", "政策 次郎", dept, "ciso_assistant", "organization")
	manager := staffUser(t, f, "ar-kacho", "課長 三郎", dept, "security_manager", "department")
	admin := staffUser(t, f, "ar-sysadmin", "管理 四郎", dept, "network_admin", "organization")
	o, _ := f.s.Org.First(ctx)
	sys := access.System(o.ID, "test")
	leaver, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: "ar-left", Name: "退職 五郎", Employment: "regular", Active: false})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.DB.SQL.ExecContext(ctx, `UPDATE staff SET active = FALSE, left_on = '2026-03-31' WHERE id = $1`, leaver.ID); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		login string
		owner any
	}{{"taishoku", leaver.ID}, {"kacho", nil}} {
		if _, err := f.s.DB.SQL.ExecContext(ctx, `INSERT INTO system_accounts (org_id, system_ref, login, kind, owner_staff_id, responsible_name,
			department_id, created_at, updated_at) VALUES ($1, 'SYS-AR', $2, 'personal', $3, '課長 三郎', $4, $5, $5)`, o.ID, a.login, a.owner, dept, f.now); err != nil {
			t.Fatal(err)
		}
	}

	expect(t, manager.get("/access-reviews"), http.StatusOK, "棚卸し")
	expect(t, manager.get("/access-reviews/new"), http.StatusForbidden)
	expect(t, policyDiv.get("/access-reviews/new"), http.StatusOK, `name="system_ref"`, "SYS-AR")
	expect(t, policyDiv.post("/access-reviews", url.Values{"title": {""}, "scope": {"system"}, "system_ref": {"SYS-AR"}}),
		http.StatusUnprocessableEntity, `href="#f-title"`)
	r := policyDiv.post("/access-reviews", url.Values{"title": {"SYS-AR 棚卸し"}, "scope": {"system"}, "system_ref": {"SYS-AR"}})
	expect(t, r, http.StatusSeeOther, "/access-reviews/")
	review := r.location
	expect(t, policyDiv.get(review), http.StatusOK, "退職者", "taishoku")

	expect(t, manager.get("/tasks"), http.StatusOK, "棚卸し（判定・作業確認）", "SYS-AR 棚卸し")
	expect(t, manager.get("/"), http.StatusOK, "SYS-AR 棚卸し")
	r = manager.get(review + "?mine=1")
	expect(t, r, http.StatusOK, "taishoku", "判定する")
	m := regexp.MustCompile(`id="item-(\d+)">\s*<td><strong>taishoku<`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no row of the leaver's account")
	}
	leaverItem := m[1]
	decide := review + "/items/" + leaverItem + "/decide"
	expect(t, manager.post(decide, url.Values{"outcome": {"keep"}, "reason": {"念のため"}}), http.StatusUnprocessableEntity, "この判定にできません")
	expect(t, manager.post(decide, url.Values{"outcome": {"remove"}, "reason": {"退職"}}), http.StatusSeeOther)
	expect(t, manager.post(review+"/decide", url.Values{"outcome": {"keep"}, "reason": {"業務に必要"}}), http.StatusSeeOther)
	expect(t, manager.get("/access-reviews/mine"), http.StatusOK)
	prove := review + "/items/" + leaverItem + "/prove"
	expect(t, manager.post(prove, url.Values{"done_on": {f.now.Format("2006-01-02")}, "done_by": {"管理 四郎"}}), http.StatusConflict, "作業を記録できる")
	expect(t, admin.post(prove, url.Values{"done_on": {"2000-01-01"}, "done_by": {"管理 四郎"}}), http.StatusUnprocessableEntity, "開始日")
	expect(t, admin.post(prove, url.Values{"done_on": {f.now.Format("2006-01-02")}, "done_by": {"管理 四郎"}, "note": {"削除済み"}}), http.StatusSeeOther)
	for _, path := range []string{review + "/results", review + "/print", "/access-reviews/mine"} {
		expect(t, policyDiv.get(path), http.StatusOK)
	}
	for _, path := range []string{"/access-reviews/export", review + "/export"} {
		r := policyDiv.get(path)
		if r.status != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
			t.Errorf("%s: %d, not an xlsx file", path, r.status)
		}
	}
	expect(t, policyDiv.post(review+"/close", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
	expect(t, policyDiv.get(review), http.StatusOK, "完了")
}
