package main

import (
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/directory/ldaptest"
	"mamori/internal/org"
	"mamori/internal/store"
)

func TestDirectoryCommand(t *testing.T) {
	srv := ldaptest.Start(t, "")
	t.Setenv("MAMORI_LDAP_BIND_PASSWORD", ldaptest.BindPassword)
	conn := []string{"--ldap-url", srv.LDAPS, "--ldap-bind-dn", ldaptest.BindDN, "--ldap-base-dn", ldaptest.BaseDN,
		"--ldap-user-filter", "(&(objectClass=inetOrgPerson)(uid=%s))", "--ldap-ca-file", srv.CAFile}
	if out := mustCLI(t, append([]string{"directory", "test"}, conn...)...); !strings.Contains(out, "バインド") {
		t.Fatalf("test: %s", out)
	}
	out := mustCLI(t, append([]string{"directory", "accounts"}, conn...)...)
	for _, want := range []string{"tanaka", "田中 一郎", "D1001", "cn=csirt,ou=groups,dc=example,dc=jp"} {
		if !strings.Contains(out, want) {
			t.Errorf("accounts lack %q:\n%s", want, out)
		}
	}
	bad := append([]string{"directory", "test"}, conn...)
	bad[len(bad)-1] = srv.OtherCA
	if _, _, err := cli(t, bad...); err == nil || !strings.Contains(err.Error(), "証明書を検証できません") {
		t.Fatalf("a bad certificate: %v", err)
	}
	t.Setenv("MAMORI_LDAP_BIND_PASSWORD", "wrong")
	if _, _, err := cli(t, append([]string{"directory", "test", "--lang", "en"}, conn...)...); err == nil || !strings.Contains(err.Error(), "refused the service account") {
		t.Fatalf("a wrong bind password: %v", err)
	}
	t.Setenv("MAMORI_LDAP_BIND_PASSWORD", ldaptest.BindPassword)
	dir := t.TempDir()
	firstStart(t, "--data", dir)
	out = mustCLI(t, append([]string{"directory", "people", "--data", dir}, conn...)...)
	if !strings.Contains(out, "suzuki") || !strings.Contains(out, "鈴木 花子") {
		t.Fatalf("people:\n%s", out)
	}
	out = mustCLI(t, append([]string{"directory", "people", "--sync", "--data", dir}, conn...)...)
	if !strings.Contains(out, "people 3") {
		t.Fatalf("sync:\n%s", out)
	}
	// The directory's accounts taken in as the accounts of a system of the register: checked,
	// then applied, through the account import's rules. While its staff are not registered,
	// every row says so and nothing is taken in.
	reg := t.TempDir()
	registerData(t, store.Config{DataDir: reg})
	addSystem(t, reg)
	_, _, err := cli(t, append([]string{"directory", "accounts", "--system", "SYS-AD", "--apply", "--data", reg}, conn...)...)
	if err == nil || !strings.Contains(err.Error(), "何も変更していません") {
		t.Fatalf("accounts of unregistered staff: %v", err)
	}
	addStaff(t, reg, "D1001", "D1002", "D1003")
	if _, _, err := cli(t, append([]string{"directory", "accounts", "--system", "NO-SUCH", "--apply", "--data", reg}, conn...)...); err == nil {
		t.Fatal("accounts taken into a system the register lacks")
	}
	out = mustCLI(t, append([]string{"directory", "accounts", "--system", "SYS-AD", "--data", reg}, conn...)...)
	if !strings.Contains(out, "新規 3") || !strings.Contains(out, "--apply") {
		t.Fatalf("accounts check:\n%s", out)
	}
	mustCLI(t, append([]string{"directory", "accounts", "--system", "SYS-AD", "--apply", "--data", reg}, conn...)...)
	if out := mustCLI(t, "account", "list", "--system", "SYS-AD", "--data", reg); !strings.Contains(out, "tanaka") || !strings.Contains(out, "3 件") {
		t.Fatalf("the directory's accounts were not taken in:\n%s", out)
	}
}

// addSystem registers an information system, SYS-AD, in the first organisation of a data folder.
func addSystem(t *testing.T, dir string) {
	t.Helper()
	svcs := services(t, store.Config{DataDir: dir})
	defer svcs.DB.Close()
	sys, dept := firstDepartment(t, svcs)
	if _, err := svcs.Assets.Create(t.Context(), sys, asset.Input{Number: "SYS-AD", Name: "庁内LAN認証基盤", Kind: "system",
		DepartmentID: dept, Class: map[string]string{"importance": "A"}, Location: "庁舎"}); err != nil {
		t.Fatal(err)
	}
}

// addStaff registers staff of the given numbers in the first department of a data folder.
func addStaff(t *testing.T, dir string, numbers ...string) {
	t.Helper()
	svcs := services(t, store.Config{DataDir: dir})
	defer svcs.DB.Close()
	sys, dept := firstDepartment(t, svcs)
	for _, n := range numbers {
		if _, err := svcs.Org.CreateStaff(t.Context(), sys, org.StaffInput{DepartmentID: dept, EmployeeNo: n, Name: "職員" + n, Employment: "regular"}); err != nil {
			t.Fatal(err)
		}
	}
}

func firstDepartment(t *testing.T, svcs *app.Services) (access.Actor, int64) {
	t.Helper()
	o, err := svcs.Org.First(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sys := access.System(o.ID, "test")
	tree, err := svcs.Org.Tree(t.Context(), sys)
	if err != nil || len(tree) == 0 {
		t.Fatalf("no department: %v", err)
	}
	return sys, tree[0].ID
}
