package main

import (
	"strings"
	"testing"

	"mamori/internal/directory/ldaptest"
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
}
