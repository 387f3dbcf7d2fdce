package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAssetsActingAs: with --as, import and export see and change what the account may — its
// department, its roles, its auditor status — and the highest class's details stay hidden
// from the accounts they are not for.
func TestAssetsActingAs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dir := t.TempDir()
		cfg := store.Config{DataDir: dir}
		flags := []string{"--data", dir}
		if db.Engine == store.Postgres {
			dsn := storetest.PostgresDSN(t)
			cfg, flags = store.Config{DSN: dsn}, []string{"--db", dsn}
		}
		registerData(t, cfg)
		s := services(t, cfg)
		ctx := t.Context()
		o, err := s.Org.First(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sys := access.System(o.ID, "test")
		tree, err := s.Org.Tree(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		dept := map[string]int64{}
		for _, d := range tree {
			dept[d.Name] = d.ID
		}
		account := func(login, department, role string) {
			t.Helper()
			st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept[department], EmployeeNo: "E-" + login, Name: login,
				Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			if role != "" {
				if _, err := s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: st.ID}); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: login, StaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
		}
		account("soumu", "総務課", "")
		account("zeimu", "税務課", "")
		account("network", "税務課", "network_admin")
		account("kansa", "税務課", "audit_chief")
		for _, in := range []asset.Input{
			{Number: "SECRET-1", Name: "機密の住民情報サーバ", Kind: "server", DepartmentID: dept["総務課"], Class: map[string]string{"importance": "A"},
				Location: "機密の部屋", Attrs: map[string]any{"mfa": true}},
			{Number: "TX-1", Name: "税務端末", Kind: "terminal", DepartmentID: dept["税務課"], Class: map[string]string{"importance": "C"}},
		} {
			if _, err := s.Assets.Create(ctx, sys, in); err != nil {
				t.Fatal(err)
			}
		}
		export := func(extra ...string) string {
			t.Helper()
			return mustCLI(t, append(append([]string{"export", "assets", "--format", "csv"}, extra...), flags...)...)
		}

		for _, c := range []struct {
			name     string
			as       string
			has, not []string
		}{
			{"staff of the owning department: its assets, every detail", "soumu", []string{"SECRET-1", "機密の住民情報サーバ", "機密の部屋"}, []string{"TX-1"}},
			{"staff of another department: their own only", "zeimu", []string{"TX-1"}, []string{"SECRET-1"}},
			{"the administrator: the highest class marked", app.AdminLogin, []string{"SECRET-1", asset.RestrictedMark, "税務端末"}, []string{"機密"}},
			{"ネットワーク管理者: the highest class marked", "network", []string{"SECRET-1", asset.RestrictedMark}, []string{"機密"}},
			{"an auditor: everything", "kansa", []string{"機密の住民情報サーバ", "税務端末"}, []string{asset.RestrictedMark}},
			{"the system, without --as: everything", "", []string{"機密の住民情報サーバ", "税務端末"}, []string{asset.RestrictedMark}},
		} {
			t.Run(c.name, func(t *testing.T) {
				var out string
				if c.as == "" {
					out = export()
				} else {
					out = export("--as", c.as)
				}
				for _, s := range c.has {
					if !strings.Contains(out, s) {
						t.Errorf("export lacks %q:\n%s", s, out)
					}
				}
				for _, s := range c.not {
					if strings.Contains(out, s) {
						t.Errorf("export has %q:\n%s", s, out)
					}
				}
			})
		}
		t.Run("attribute filters, and a bad one named", func(t *testing.T) {
			out := export("--as", "kansa", "--attr", "mfa=true")
			if !strings.Contains(out, "SECRET-1") || strings.Contains(out, "TX-1") {
				t.Fatalf("export with mfa=true:\n%s", out)
			}
			if out := export("--as", "network", "--attr", "mfa=true"); strings.Contains(out, "SECRET-1") {
				t.Fatalf("a hidden attribute found the asset:\n%s", out)
			}
			_, _, err := cli(t, append([]string{"export", "assets", "--attr", "colour=red"}, flags...)...)
			if err == nil || !strings.Contains(err.Error(), "attr.colour") {
				t.Fatalf("unknown attribute: %v", err)
			}
		})
		t.Run("an unknown account is refused in both languages", func(t *testing.T) {
			_, _, err := cli(t, append([]string{"export", "assets", "--as", "nobody"}, flags...)...)
			if err == nil || !strings.Contains(err.Error(), "ありません") || !strings.Contains(err.Error(), "no account") {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("an auditor and a clerk import nothing", func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "台帳.csv")
			os.WriteFile(file, sheet([]string{"管理番号", "名称", "種別", "所属", "重要度"}, []string{"PC-9", "端末", "パソコン", "総務課", "C"}), 0o600)
			for _, login := range []string{"kansa", "soumu"} {
				if _, _, err := cli(t, append([]string{"import", "assets", file, "--as", login}, flags...)...); err == nil {
					t.Fatalf("%s imported", login)
				}
			}
			if n := countRows(t, openData(t, cfg), "assets"); n != 2 {
				t.Fatalf("%d assets after refused imports", n)
			}
			if out := mustCLI(t, append([]string{"import", "assets", file}, flags...)...); !strings.Contains(out, "1 件を登録しました") {
				t.Fatalf("the system's import:\n%s", out)
			}
		})
	})
}
