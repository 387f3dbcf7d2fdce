package main

import (
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestRiskCommands: `mamori risk generate` makes the candidates from the register, `risk list`
// shows them in Japanese; an account without an organisation-wide security role may not
// generate, and one of a department that owns no risk lists none.
func TestRiskCommands(t *testing.T) {
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
		tree, _ := s.Org.Tree(ctx, sys)
		st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: tree[0].ID, EmployeeNo: "E-1", Name: "職員", Employment: "regular", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: "clerk", DisplayName: "職員", StaffID: st.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Assets.Create(ctx, sys, asset.Input{Number: "PC-1", Name: "端末", Kind: "terminal", DepartmentID: tree[0].ID,
			Class: map[string]string{"importance": "B"}, Location: "庁舎"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := cli(t, append([]string{"risk", "generate", "--as", "clerk"}, flags...)...); err == nil || !strings.Contains(err.Error(), "情報政策課") {
			t.Fatalf("a clerk generated: %v", err)
		}
		out := mustCLI(t, append([]string{"risk", "generate"}, flags...)...)
		if !strings.Contains(out, "リスク 5 件を作成") {
			t.Fatalf("generate: %s", out)
		}
		out = mustCLI(t, append([]string{"risk", "list", "--threat", "disaster"}, flags...)...)
		if !strings.Contains(out, "端末・影響度中") || !strings.Contains(out, "未評価") || !strings.Contains(out, "1 件") {
			t.Fatalf("list: %s", out)
		}
		if out := mustCLI(t, append([]string{"risk", "list", "--as", "clerk"}, flags...)...); !strings.Contains(out, "0 件") {
			t.Fatalf("a clerk lists: %s", out)
		}
	})
}
