package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// lastID finds the id in the last link to path in body.
func lastID(t *testing.T, body, prefix string) string {
	t.Helper()
	ms := regexp.MustCompile(prefix+`(\d+)`).FindAllStringSubmatch(body, -1)
	if len(ms) == 0 {
		t.Fatalf("no link %s<id> in page", prefix)
	}
	return ms[len(ms)-1][1]
}

// auditorPack is an organisation's own pack that marks its role auditor as an audit role, and
// says nothing else that changes how its users sign in.
const auditorPack = "id: kansa\nname: 監査の役割のみ\norganization: テスト町\nkind: municipality\nversion: \"1\"\nbasis: テスト\n" +
	"roles:\n  - {id: auditor, name: 監査統括責任者, held_by: 町長, scope: organization, auditor: true, cite: {article: \"9(1)\"}}\n" +
	"incident:\n  plan_approved_by: auditor\n"

func TestAdministration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)

		var deptID string
		t.Run("departments: invalid input is shown with the field named and nothing is saved", func(t *testing.T) {
			expect(t, b.get("/departments/new"), http.StatusOK, "所属の登録")
			r := b.post("/departments", url.Values{"code": {""}, "name": {"総務課"}, "kind": {"section"}})
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-code"`, "入力してください", `value="総務課"`)
			expect(t, b.get("/departments"), http.StatusOK, "該当するデータはありません")
		})
		t.Run("departments: create, nest and edit", func(t *testing.T) {
			expect(t, b.post("/departments", url.Values{"code": {"1000"}, "name": {"総務部"}, "kind": {"division"}}), http.StatusSeeOther, "/departments")
			r := b.get("/departments")
			expect(t, r, http.StatusOK, "総務部", "所属を登録しました")
			parent := lastID(t, r.body, "/departments/")
			expect(t, b.get("/departments/new?parent="+parent), http.StatusOK, `selected>総務部`)
			expect(t, b.post("/departments", url.Values{"parent_id": {parent}, "code": {"1100"}, "name": {"総務課"}, "kind": {"section"}}), http.StatusSeeOther)
			r = b.get("/departments")
			expect(t, r, http.StatusOK, "└ 総務課")
			deptID = lastID(t, r.body, "/departments/")
			expect(t, b.get("/departments/"+deptID+"/edit"), http.StatusOK, `value="総務課"`)
			expect(t, b.post("/departments/"+parent, url.Values{"parent_id": {deptID}, "code": {"1000"}, "name": {"総務部"}, "kind": {"division"}, "active": {"on"}}),
				http.StatusUnprocessableEntity, "下位の所属の下に移すことはできません")
			expect(t, b.post("/departments/"+deptID, url.Values{"parent_id": {parent}, "code": {"1100"}, "name": {"総務課（改）"}, "kind": {"section"}, "active": {"on"}}),
				http.StatusSeeOther)
			expect(t, b.get("/departments"), http.StatusOK, "総務課（改）", "所属を更新しました")
		})
		var staffID string
		t.Run("staff: create, search by two characters, edit", func(t *testing.T) {
			expect(t, b.get("/staff/new"), http.StatusOK, "職員の登録")
			expect(t, b.post("/staff", url.Values{"employee_no": {"1001"}, "name": {"田中 恵子"}, "employment": {"regular"}, "email": {"not-an-address"}}),
				http.StatusUnprocessableEntity, `href="#f-email"`)
			expect(t, b.post("/staff", url.Values{"employee_no": {"1001"}, "name": {"田中 恵子"}, "kana": {"タナカ ケイコ"}, "department_id": {deptID},
				"title": {"総務課長"}, "employment": {"regular"}}), http.StatusSeeOther, "/staff")
			expect(t, b.post("/staff", url.Values{"employee_no": {"1002"}, "name": {"鈴木 大輔"}, "employment": {"fiscal_year"}}), http.StatusSeeOther)
			r := b.get("/staff?q=" + url.QueryEscape("田中"))
			expect(t, r, http.StatusOK, "田中 恵子", "全1件")
			if strings.Contains(r.body, "鈴木") {
				t.Fatal("search for 田中 also listed 鈴木")
			}
			expect(t, b.get("/staff?department_id="+deptID), http.StatusOK, "田中 恵子")
			staffID = lastID(t, r.body, "/staff/")
			expect(t, b.get("/staff/"+staffID+"/edit"), http.StatusOK, `value="タナカ ケイコ"`)
			expect(t, b.post("/staff/"+staffID, url.Values{"employee_no": {"1001"}, "name": {"田中 恵子"}, "department_id": {deptID},
				"title": {"総務部長"}, "employment": {"regular"}, "active": {"on"}}), http.StatusSeeOther)
			expect(t, b.get("/staff"), http.StatusOK, "総務部長", "会計年度任用職員")
		})
		var userID, tempPW string
		t.Run("users: create shows the temporary password once", func(t *testing.T) {
			expect(t, b.get("/users/new"), http.StatusOK, "田中 恵子")
			expect(t, b.post("/users", url.Values{"login": {"Bad Login"}, "display_name": {"x"}}), http.StatusUnprocessableEntity, `href="#f-login"`)
			r := b.post("/users", url.Values{"login": {"tanaka"}, "display_name": {"田中 恵子"}, "staff_id": {staffID}, "lang": {"ja"}})
			expect(t, r, http.StatusOK, "初期パスワード", "tanaka")
			m := tempRe.FindStringSubmatch(r.body)
			if m == nil {
				t.Fatal("no temporary password shown")
			}
			tempPW = m[1]
			r = b.get("/users")
			expect(t, r, http.StatusOK, "tanaka", "初期パスワード")
			userID = lastID(t, r.body, "/users/")
			expect(t, b.get("/users/"+userID), http.StatusOK, "田中 恵子", "総務課（改）")
		})
		t.Run("users: actions go through a confirmation step", func(t *testing.T) {
			r := b.post("/users/"+userID+"/disable", url.Values{})
			expect(t, r, http.StatusOK, `name="confirmed" value="yes"`, "無効にします")
			u, _ := f.s.Auth.UserByLogin(context.Background(), "tanaka")
			if u.Disabled {
				t.Fatal("disabled without confirmation")
			}
			expect(t, b.post("/users/"+userID+"/disable", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
			expect(t, b.get("/users/"+userID), http.StatusOK, "利用者を無効にしました", "有効にする")
			expect(t, b.post("/users/"+userID+"/enable", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
			db.SQL.Exec(`UPDATE users SET locked_at = created_at, failed_logins = 5 WHERE login = 'tanaka'`)
			expect(t, b.get("/users/"+userID), http.StatusOK, "ロック中", "ロックを解除")
			expect(t, b.post("/users/"+userID+"/unlock", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
			expect(t, b.get("/users/"+userID), http.StatusOK, "ロックを解除しました")
			r = b.post("/users/"+userID+"/reset-password", url.Values{"confirmed": {"yes"}})
			expect(t, r, http.StatusOK, "初期パスワードを再発行しました")
			if m := tempRe.FindStringSubmatch(r.body); m == nil || m[1] == tempPW {
				t.Fatal("reset did not show a new password")
			} else {
				tempPW = m[1]
			}
		})
		t.Run("a regular user cannot administer", func(t *testing.T) {
			u := f.browser()
			expect(t, u.post("/login", url.Values{"login": {"tanaka"}, "password": {tempPW}}), http.StatusSeeOther, "/account/password")
			pw := "田中のとても長いパスワード"
			expect(t, u.post("/account/password", url.Values{"current": {tempPW}, "new": {pw}, "confirm": {pw}}), http.StatusSeeOther)
			r := u.get("/")
			expect(t, r, http.StatusOK, "田中 恵子")
			if strings.Contains(r.body, `href="/users"`) || strings.Contains(r.body, `href="/audit"`) {
				t.Fatal("navigation offers administration to a regular user")
			}
			expect(t, u.get("/users"), http.StatusForbidden, "権限がありません")
			expect(t, u.get("/users/new"), http.StatusForbidden)
			expect(t, u.post("/departments", url.Values{"code": {"x"}, "name": {"x"}, "kind": {"section"}}), http.StatusForbidden)
			expect(t, u.get("/audit"), http.StatusForbidden)
			expect(t, u.get("/departments"), http.StatusOK, "総務部")
		})
		t.Run("an auditor reads the audit log", func(t *testing.T) {
			id, _ := strconv.ParseInt(staffID, 10, 64)
			o, _ := f.s.Org.First(context.Background())
			if _, err := f.s.Policy.Load(context.Background(), access.System(o.ID, "test"), "kansa.yaml", []byte(auditorPack)); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Org.AssignRole(context.Background(), access.System(o.ID, "test"), orgRole("auditor", id)); err != nil {
				t.Fatal(err)
			}
			u := f.browser()
			expect(t, u.post("/login", url.Values{"login": {"tanaka"}, "password": {"田中のとても長いパスワード"}}), http.StatusSeeOther)
			expect(t, u.get("/audit?action=user.create"), http.StatusOK, "改ざんなし", "user.create")
		})
		t.Run("audit log filters", func(t *testing.T) {
			r := b.get("/audit?action=staff.create")
			expect(t, r, http.StatusOK, "全2件")
			r = b.get("/audit?actor=admin&entity=department&from=2026-04-01&to=2026-04-01")
			expect(t, r, http.StatusOK, "department.create", "department.update")
			expect(t, b.get("/audit?from=2026-04-02"), http.StatusOK, "全0件")
		})
		t.Run("policy and roles pages answer", func(t *testing.T) {
			expect(t, b.get("/policy"), http.StatusOK)
			expect(t, b.get("/policy/coverage"), http.StatusOK, "条文と要素の対応")
			expect(t, b.get("/roles"), http.StatusOK)
		})
		t.Run("account: English per user and logout everywhere", func(t *testing.T) {
			expect(t, b.get("/account"), http.StatusOK, "設定済み")
			expect(t, b.get("/account/password"), http.StatusOK, "現在のパスワード")
			expect(t, b.post("/account/lang", url.Values{"lang": {"en"}}), http.StatusSeeOther)
			expect(t, b.get("/"), http.StatusOK, `lang="en"`, "Home", "Audit log")
			expect(t, b.get("/nowhere"), http.StatusNotFound, "Page not found")
			other := f.browser()
			f.now = f.now.Add(time.Minute) // each code is accepted once
			code, _ := auth.TOTPCode(mustSecret(t, f), f.now)
			expect(t, other.post("/login", url.Values{"login": {"admin"}, "password": {adminPW}}), http.StatusSeeOther, "/login/mfa")
			expect(t, other.post("/login/mfa", url.Values{"code": {code}}), http.StatusSeeOther)
			expect(t, other.get("/"), http.StatusOK)
			expect(t, b.post("/account/logout-everywhere", nil), http.StatusSeeOther, "/login")
			expect(t, other.get("/"), http.StatusSeeOther, "/login")
		})
		t.Run("bad ids are not found", func(t *testing.T) {
			c := f.browser()
			expect(t, c.get("/login"), http.StatusOK, "ログインID")
			expect(t, c.post("/login", url.Values{"login": {"admin"}, "password": {adminPW}}), http.StatusSeeOther, "/login/mfa")
			expect(t, c.get("/login/mfa"), http.StatusOK, "Enter your code") // the administrator chose English
			c.signInAgain(t)
			expect(t, c.get("/users/abc"), http.StatusNotFound)
			expect(t, c.get("/users/999999"), http.StatusNotFound)
			expect(t, c.get("/departments/-1/edit"), http.StatusNotFound)
			expect(t, c.get("/notices"), http.StatusOK, "Notices", "Mail delivery")
		})
		t.Run("asset register pages answer", func(t *testing.T) {
			o, _ := f.s.Org.First(context.Background())
			if _, err := f.s.Policy.Use(context.Background(), access.System(o.ID, "test"), "kishiwada"); err != nil {
				t.Fatal(err)
			}
			c := f.browser()
			c.signInAgain(t)
			expect(t, c.get("/assets"), http.StatusOK, `href="/assets/new"`)
			expect(t, c.get("/assets/new"), http.StatusOK, `id="f-class-importance"`)
			r := c.post("/assets", url.Values{"number": {"M-1"}, "name": {"USBメモリ"}, "kind": {"media"}, "department_id": {deptID},
				"class.importance": {"B"}, "state": {"in_use"}})
			expect(t, r, http.StatusSeeOther, "/assets/")
			expect(t, c.get(r.location), http.StatusOK, "M-1")
			expect(t, c.get(r.location+"/edit"), http.StatusOK, `value="M-1"`)
			expect(t, c.get("/assets/labels"), http.StatusOK, "M-1")
			expect(t, c.post(r.location+"/delete", url.Values{}), http.StatusOK, `name="confirmed" value="yes"`)
			visitImportPages(t, f, c)
			visitLogbookPages(t, c, deptID, staffID)
			visitRequestPages(t, f, c, deptID, staffID)
			visitIncidentPages(t, f, deptID)
			visitCompliancePages(t, c)
			visitAuditPages(t, f)
			visitRiskPages(t, f, deptID)
			visitSystemAccountPages(t, f, deptID)
			visitTaskPages(t, f, deptID)
			visitInspectionPages(t, f, deptID)
			visitAccessReviewPages(t, f, deptID)
			visitReviewPages(t, f)
			visitPledgePages(t, f)
			visitTransferPages(t, c)
			visitTrainingPages(t, f)
		})
		t.Run("API tokens and service accounts", func(t *testing.T) {
			c := f.browser()
			c.signInAgain(t)
			visitTokenPages(t, f, c, staffID)
		})
		t.Run("background jobs", func(t *testing.T) {
			c := f.browser()
			c.signInAgain(t)
			visitJobsPage(t, f.s, c)
			expect(t, c.get("/settings/directory"), http.StatusOK, `name="department_from"`)
		})
		t.Run("every template was rendered", func(t *testing.T) {
			f.web.pages.mu.Lock()
			defer f.web.pages.mu.Unlock()
			for name := range f.web.pages.pages {
				if !f.web.pages.rendered[name] {
					t.Errorf("template %s.html was never rendered by the tests", name)
				}
			}
		})
	})
}
