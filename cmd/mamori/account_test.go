package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAccountCommands: `mamori account import` checks a system's list without --apply and
// changes nothing, refuses a list with a bad row naming it, applies a good one, and `account
// list` shows the accounts.
func TestAccountCommands(t *testing.T) {
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
		if _, err := s.Assets.Create(ctx, sys, asset.Input{Number: "SYS-1", Name: "住民記録システム", Kind: "system", DepartmentID: tree[0].ID,
			Class: map[string]string{"importance": "A"}, Location: "庁舎", SystemRef: "JUKI"}); err != nil {
			t.Fatal(err)
		}
		files := t.TempDir()
		good, bad := filepath.Join(files, "good.csv"), filepath.Join(files, "bad.csv")
		os.WriteFile(good, []byte("ログインID,種別,管理責任者\nadmin,特権,情報政策課長\nbatch,サービス,保守事業者\n"), 0o600)
		os.WriteFile(bad, []byte("ログインID,種別\nadmin,特権\nadmin,個人\n"), 0o600)
		if _, _, err := cli(t, append([]string{"account", "import", "--file", bad, "--system", "JUKI", "--apply"}, flags...)...); err == nil {
			t.Fatal("a list with a duplicate login was applied")
		}
		out := mustCLI(t, append([]string{"account", "import", "--file", good, "--system", "JUKI"}, flags...)...)
		if !strings.Contains(out, "新規 2") || !strings.Contains(out, "--apply") {
			t.Fatalf("check: %s", out)
		}
		if out := mustCLI(t, append([]string{"account", "list"}, flags...)...); !strings.Contains(out, "0 件") {
			t.Fatalf("a check wrote: %s", out)
		}
		mustCLI(t, append([]string{"account", "import", "--file", good, "--system", "JUKI", "--apply"}, flags...)...)
		out = mustCLI(t, append([]string{"account", "list", "--system", "JUKI"}, flags...)...)
		if !strings.Contains(out, "admin") || !strings.Contains(out, "batch") || !strings.Contains(out, "2 件") {
			t.Fatalf("list: %s", out)
		}
	})
}
