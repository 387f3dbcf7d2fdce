package directory_test

import (
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/directory"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestSettingsRefuseBadMappingsAndSaveNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		base := directory.SettingsInput{Enabled: true, DepartmentFrom: directory.DeptFromOU,
			Departments: []directory.DepartmentRule{{Value: "総務課", DepartmentID: e.DeptA}}}

		in := base
		in.Groups = []directory.GroupRule{{Group: "admins", RoleID: "no_such_role", Scope: directory.ScopeOrganization}}
		_, err := e.dir.SaveSettings(ctx, e.admin, in)
		wantField(t, err, "groups[0].role_id", "directory.error.unknown_role")

		in = base
		in.Departments = append(in.Departments, directory.DepartmentRule{Value: "幻の課", DepartmentID: 999999})
		_, err = e.dir.SaveSettings(ctx, e.admin, in)
		wantField(t, err, "departments[1].department_id", "directory.error.unknown_department")

		in = base
		in.Groups = []directory.GroupRule{{Group: "ciso", RoleID: "ciso", Scope: directory.ScopeOwnDepartment}}
		_, err = e.dir.SaveSettings(ctx, e.admin, in)
		wantField(t, err, "groups[0].scope", "directory.error.role_scope")

		in = base
		in.BreakGlass = []string{"nobody"}
		_, err = e.dir.SaveSettings(ctx, e.admin, in)
		wantField(t, err, "break_glass[0]", "directory.error.break_glass")

		in = base
		in.DepartmentFrom = directory.DeptFromAttribute
		in.DepartmentAttribute = "bad attr"
		_, err = e.dir.SaveSettings(ctx, e.admin, in)
		wantField(t, err, "department_attribute", "directory.error.attribute")

		if n := e.count(t, `SELECT count(*) FROM directory_settings`); n != 0 {
			t.Fatalf("refused settings left %d rows", n)
		}
		if _, err := e.dir.SaveSettings(ctx, access.Actor{OrgID: e.Org, UserID: 9, Login: "clerk"}, base); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk saved the settings: %v", err)
		}

		st := e.configure(t, true, "admin")
		if st.Version != 1 || !st.Enabled || len(st.Groups) != 2 || st.BreakGlass[0] != "admin" {
			t.Fatalf("saved %+v", st)
		}
		if got := e.entries(t, "directory.settings"); len(got) != 1 {
			t.Fatalf("%d audit entries for the settings, want 1", len(got))
		}
		// A stale version is a conflict.
		_, err = e.dir.SaveSettings(ctx, e.admin, base)
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("stale save: %v", err)
		}
		e.VerifyAudit()
	})
}
