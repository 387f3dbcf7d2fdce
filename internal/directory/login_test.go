package directory_test

import (
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/directory"
	"mamori/internal/directory/ldaptest"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestLoginFormAsksTheDirectory(t *testing.T) {
	srv := ldaptest.Start(t, "")
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cfg := srv.Config()
		e.dir.LDAP = &cfg
		_, keeperPW, err := e.S.Auth.CreateUser(ctx, e.admin, auth.NewUser{Login: "keeper", DisplayName: "緊急用管理者"})
		if err != nil {
			t.Fatal(err)
		}
		cur, _ := e.dir.Settings(ctx, e.admin)
		if _, err := e.dir.SaveSettings(ctx, e.admin, directory.SettingsInput{Enabled: true, Version: cur.Version,
			DepartmentFrom: directory.DeptFromAttribute, DepartmentAttribute: "departmentNumber",
			Departments: []directory.DepartmentRule{{Value: "総務課", DepartmentID: e.DeptA}, {Value: "税務課", DepartmentID: e.DeptB}},
			Groups:      []directory.GroupRule{{Group: "cn=sec-officers,ou=groups,dc=example,dc=jp", RoleID: "security_officer", Scope: directory.ScopeOwnDepartment}},
			BreakGlass:  []string{"keeper"}}); err != nil {
			t.Fatal(err)
		}
		res, err := e.dir.Login(ctx, "tanaka", "tanaka-pass", client)
		if err != nil {
			t.Fatal(err)
		}
		_, who, err := e.S.Auth.Authenticate(ctx, res.Token, client)
		if err != nil || who.DepartmentID != e.DeptA || !who.HasRole("security_officer") {
			t.Fatalf("tanaka: %+v %v", who, err)
		}
		for _, c := range []struct{ login, pw string }{{"tanaka", "wrong"}, {"sato", "sato-pass"}, {"nobody", "x"}} {
			_, err := e.dir.Login(ctx, c.login, c.pw, client)
			if apperr.CodeOf(err) != apperr.Unauthenticated || apperr.As(err).Key != "auth.error.bad_credentials" {
				t.Errorf("%s: %v, want bad credentials", c.login, err)
			}
		}
		if _, err := e.dir.Login(ctx, "keeper", keeperPW, client); err != nil {
			t.Fatalf("break-glass: %v", err)
		}
		// The directory with the wrong service password: unavailable to the person, named to
		// the administrator; break-glass sign-in unaffected.
		bad := cfg
		bad.BindPassword = "wrong"
		e.dir.LDAP = &bad
		_, err = e.dir.Login(ctx, "suzuki", "suzuki-pass", client)
		if apperr.As(err).Key != "directory.error.unavailable" {
			t.Fatalf("bind refused: %v", err)
		}
		if p, ok := e.dir.LastProblem(); !ok || p.Kind != directory.ProblemBind {
			t.Fatalf("last problem %+v", p)
		}
		if _, err := e.dir.Login(ctx, "keeper", keeperPW, client); err != nil {
			t.Fatalf("break-glass with the directory refusing: %v", err)
		}
		if n := len(e.entries(t, "auth.break_glass")); n != 2 {
			t.Fatalf("%d break-glass entries, want 2", n)
		}
		e.VerifyAudit()
	})
}
