package directory_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"mamori/internal/directory"
	"mamori/internal/directory/ldaptest"
)

func TestLDAPAuthenticate(t *testing.T) {
	srv := ldaptest.Start(t, "")
	cfg := srv.Config()
	id, err := cfg.Authenticate(ctx, "tanaka", "tanaka-pass", "departmentNumber")
	if err != nil {
		t.Fatal(err)
	}
	if id.Source != directory.SourceLDAP || id.Login != "tanaka" || id.Name != "田中 一郎" || id.EmployeeNo != "D1001" ||
		id.Department != "総務課" || id.Email != "tanaka@example.jp" || !strings.HasPrefix(id.Subject, "uid=tanaka,") || id.MFA {
		t.Fatalf("identity %+v", id)
	}
	if !slices.ContainsFunc(id.Groups, func(g string) bool { return strings.HasPrefix(g, "cn=sec-officers,") }) {
		t.Fatalf("groups from memberOf: %v", id.Groups)
	}
	// The department from the OU of the DN.
	if id, err = cfg.Authenticate(ctx, "suzuki", "suzuki-pass", ""); err != nil || id.Department != "税務課" {
		t.Fatalf("OU department: %+v %v", id, err)
	}
	// Groups by a search, over StartTLS.
	st := cfg
	st.URL, st.StartTLS, st.GroupFilter = srv.LDAP, true, "(&(objectClass=groupOfNames)(member=%s))"
	if id, err = st.Authenticate(ctx, "suzuki", "suzuki-pass", ""); err != nil || len(id.Groups) < 1 {
		t.Fatalf("StartTLS with a group search: %+v %v", id, err)
	}
	for _, c := range []struct{ login, pw string }{{"tanaka", "wrong"}, {"nobody", "x"}, {"*", "x"}, {"tanaka)(uid=*", "x"}} {
		if _, err := cfg.Authenticate(ctx, c.login, c.pw, ""); !errors.Is(err, directory.ErrBadCredentials) {
			t.Errorf("%q/%q: %v, want bad credentials", c.login, c.pw, err)
		}
	}
}

func TestLDAPProblemsAreNamed(t *testing.T) {
	srv := ldaptest.Start(t, "")
	kind := func(err error) string {
		var p *directory.Problem
		if errors.As(err, &p) {
			return p.Kind
		}
		return "not a problem: " + errStr(err)
	}
	cfg := srv.Config()
	bad := cfg
	bad.CAFile = srv.OtherCA
	if k := kind(bad.Test(ctx)); k != directory.ProblemCertificate {
		t.Errorf("a certificate from another CA: %s", k)
	}
	bad = cfg
	bad.URL, bad.StartTLS, bad.CAFile = srv.LDAP, true, srv.OtherCA
	if k := kind(bad.Test(ctx)); k != directory.ProblemCertificate {
		t.Errorf("StartTLS with a certificate from another CA: %s (%v)", k, bad.Test(ctx))
	}
	bad = cfg
	bad.URL, bad.StartTLS = srv.LDAP, false
	if k := kind(bad.Test(ctx)); k != directory.ProblemConfig {
		t.Errorf("ldap:// without StartTLS: %s", k)
	}
	bad = cfg
	bad.BindPassword = "wrong"
	if k := kind(bad.Test(ctx)); k != directory.ProblemBind {
		t.Errorf("a wrong bind password: %s", k)
	}
	if err := cfg.Test(ctx); err != nil {
		t.Fatalf("the right settings: %v", err)
	}
	srv.Stop()
	if k := kind(cfg.Test(ctx)); k != directory.ProblemUnreachable {
		t.Errorf("the server down: %s", k)
	}
	if _, err := cfg.Authenticate(ctx, "tanaka", "tanaka-pass", ""); kind(err) != directory.ProblemUnreachable {
		t.Errorf("sign-in with the server down: %v", err)
	}
}

func errStr(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}
