package main

import (
	"bytes"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestCheckCommand: mamori check sweeps the register and prints the open findings in Japanese;
// it ends 0 while nothing high is open and 3 once something is, for scheduled jobs.
func TestCheckCommand(t *testing.T) {
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
		check := func(args ...string) (string, int) {
			var out, errOut bytes.Buffer
			err := run(ctx, append(append([]string{"check"}, flags...), args...), &out, &errOut)
			code := 0
			if err != nil {
				code = exitCode(err)
			}
			return out.String(), code
		}
		if out, code := check(); code != 0 || !strings.Contains(out, "未対応の指摘事項 0 件") {
			t.Fatalf("empty register: exit %d\n%s", code, out)
		}
		// 重要度Ａ on a PC kept in L1: 岸和田市 3(1) 表5 wants L3.
		pc, err := s.Assets.Create(ctx, sys, asset.Input{Number: "PC-001", Name: "端末", Kind: "terminal", DepartmentID: tree[0].ID,
			Class: map[string]string{"importance": "A"}, Zone: "L1"})
		if err != nil {
			t.Fatal(err)
		}
		out, code := check("--org", o.Code)
		if code != checkFailed || !strings.Contains(out, "zone-store-importance-a") || !strings.Contains(out, "第2章 3(1) 表5") ||
			!strings.Contains(out, "PC-001") || !strings.Contains(out, tree[0].Name) || !strings.Contains(out, "zone=L1") || !strings.Contains(out, "[高]") {
			t.Fatalf("exit %d\n%s", code, out)
		}
		in := asset.Input{Number: "PC-001", Name: "端末", Kind: "terminal", DepartmentID: tree[0].ID, Class: map[string]string{"importance": "A"}, Zone: "L3",
			Attrs: map[string]any{"vendor_supported": true, "malware_protection": true}}
		if _, err := s.Assets.Update(ctx, sys, pc.ID, in); err != nil {
			t.Fatal(err)
		}
		if out, code := check(); code != 0 || strings.Contains(out, "zone-store-importance-a") {
			t.Fatalf("after the fix: exit %d\n%s", code, out)
		}
		if _, code := check("--org", "nosuch"); code != 1 {
			t.Fatalf("unknown organisation: exit %d", code)
		}
	})
}
