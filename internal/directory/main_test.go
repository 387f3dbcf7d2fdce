package directory_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/auditlog"
	"mamori/internal/directory"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

// env is 岸和田市's pack with departments A and B and no role holders.
type env struct {
	*apptest.Env
	dir   *directory.Service
	admin access.Actor
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := apptest.New(t, db, "kishiwada", apptest.Options{Roles: func(policy.Role) bool { return false }})
	return &env{Env: e, dir: e.S.Directory, admin: access.Actor{OrgID: e.Org, UserID: 1, Login: "admin", PlatformAdmin: true}}
}

// configure saves the usual mapping: 総務課 and 税務課 by the department attribute, the group
// 情報セキュリティ責任者 as security_officer of the person's department, CSIRT as csirt_member.
func (e *env) configure(t *testing.T, enabled bool, breakGlass ...string) directory.Settings {
	t.Helper()
	cur, err := e.dir.Settings(ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.dir.SaveSettings(ctx, e.admin, directory.SettingsInput{Enabled: enabled, Version: cur.Version,
		DepartmentFrom: directory.DeptFromAttribute, DepartmentAttribute: "department",
		Departments: []directory.DepartmentRule{{Value: "総務課", DepartmentID: e.DeptA}, {Value: "税務課", DepartmentID: e.DeptB}},
		Groups: []directory.GroupRule{
			{Group: "cn=sec-officers,ou=groups,dc=example,dc=jp", RoleID: "security_officer", Scope: directory.ScopeOwnDepartment},
			{Group: "csirt", RoleID: "csirt_member", Scope: directory.ScopeOrganization},
		},
		BreakGlass: breakGlass})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.S.DB.SQL.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (e *env) entries(t *testing.T, action string) []auditlog.Entry {
	t.Helper()
	out, _, err := e.S.Audit.List(ctx, access.System(e.Org, "system"), auditlog.Filter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("error = %v, want invalid", err)
	}
	for _, f := range apperr.As(err).Fields {
		if f.Field == field && (key == "" || f.Key == key) {
			return
		}
	}
	t.Fatalf("error %v does not name field %s with %s", err, field, key)
}
