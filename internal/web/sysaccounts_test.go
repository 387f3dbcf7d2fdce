package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/sysaccount"
)

// visitSystemAccountPages signs in a keeper of every system's accounts (the pack's
// ネットワーク管理者) and walks the list, an account, the import's check, the export and the print.
func visitSystemAccountPages(t *testing.T, f *fixture, deptID string) {
	t.Helper()
	ctx := context.Background()
	o, _ := f.s.Org.First(ctx)
	sys := access.System(o.ID, "test")
	pack, _, err := f.s.Policy.Active(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pack.Accounts.ManagedBy) == 0 {
		t.Fatalf("pack %s names no keeper of accounts", pack.ID)
	}
	st, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: mustInt(t, deptID), EmployeeNo: "ACC-1", Name: "管理 花子", Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Org.AssignRole(ctx, sys, orgRole(pack.Accounts.ManagedBy[0], st.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.DB.SQL.ExecContext(ctx, `INSERT INTO assets (org_id, number, name, kind, system_ref, created_at, updated_at)
		VALUES ($1, 'SYS-ACC', '庁内グループウェア', 'system', 'GW', $2, $2)`, o.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	a, err := f.s.SystemAccounts.Create(ctx, sys, sysaccount.Input{SystemRef: "GW", Login: "gw-admin", Kind: "privileged", OwnerStaffID: st.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, temp, err := f.s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: "kanri", DisplayName: "管理 花子", StaffID: st.ID, Lang: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	expect(t, b.post("/login", url.Values{"login": {"kanri"}, "password": {temp}}), http.StatusSeeOther)
	b.changedPassword(b.post("/account/password", url.Values{"current": {temp}, "new": {staffPW}, "confirm": {staffPW}}), "kanri")
	expect(t, b.get("/system-accounts"), http.StatusOK, "gw-admin", "特権ID")
	expect(t, b.get("/system-accounts/"+strconv.FormatInt(a.ID, 10)), http.StatusOK, "管理 花子", `action="/system-accounts/`+strconv.FormatInt(a.ID, 10)+`/remove"`)
	expect(t, b.get("/system-accounts/print?system=GW"), http.StatusOK, "gw-admin", "庁内グループウェア")
	expect(t, b.get("/system-accounts/export?system=GW"), http.StatusOK)
	expect(t, b.get("/system-accounts/import?system=GW"), http.StatusOK, `name="remove_missing"`)
	r := b.postFiles("/system-accounts/import", url.Values{"system": {"GW"}}, "file", "list.csv", "text/csv",
		[]byte("ログインID,種別,職員番号\ngw-admin,特権,ACC-1\ngw-user,個人,NOPE\n"))
	expect(t, r, http.StatusOK, "NOPE", "職員番号")
}
