package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestDirectorySettingsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)
		o, _ := f.s.Org.First(context.Background())
		if _, err := f.s.Policy.Use(context.Background(), access.System(o.ID, "t"), "kishiwada"); err != nil {
			t.Fatal(err)
		}
		expect(t, b.post("/departments", url.Values{"code": {"100"}, "name": {"総務課"}, "kind": {"section"}}), http.StatusSeeOther)
		dept := lastID(t, b.get("/departments").body, "/departments/")
		expect(t, b.get("/settings/directory"), http.StatusOK, "ディレクトリ連携の設定", "緊急用ローカルアカウント")

		// A group mapped to a role the pack lacks, a value mapped to no department: each named,
		// nothing saved.
		r := b.post("/settings/directory", url.Values{"version": {"0"}, "enabled": {"on"}, "department_from": {"attribute"},
			"department_attribute": {"department"}, "departments[0].value": {"総務課"}, "departments[0].department_id": {dept},
			"departments[1].value": {"幻の課"},
			"groups[0].group":      {"cn=admins,dc=example,dc=jp"}, "groups[0].role_id": {"no_such_role"}, "groups[0].scope": {"organization"}})
		expect(t, r, http.StatusUnprocessableEntity, `href="#f-groups%5b0%5d.role_id"`, "ポリシーパックに役割「no_such_role」はありません",
			`href="#f-departments%5b1%5d.department_id"`, "幻の課")
		if n := count(t, db, `SELECT count(*) FROM directory_settings`); n != 0 {
			t.Fatalf("refused settings saved (%d rows)", n)
		}
		r = b.post("/settings/directory", url.Values{"version": {"0"}, "enabled": {"on"}, "department_from": {"ou"},
			"departments[0].value": {"総務課"}, "departments[0].department_id": {dept},
			"groups[0].group": {"cn=sec,dc=example,dc=jp"}, "groups[0].role_id": {"security_officer"}, "groups[0].scope": {"own_department"},
			"break_glass[0]": {"admin"}})
		expect(t, r, http.StatusSeeOther, "/settings/directory")
		r = b.get("/settings/directory")
		expect(t, r, http.StatusOK, "ディレクトリ連携の設定を保存しました", `value="cn=sec,dc=example,dc=jp"`, `value="admin"`)
		if !strings.Contains(r.body, `name="version" value="1"`) {
			t.Fatal("the saved version is not in the form")
		}
	})
}

func count(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
