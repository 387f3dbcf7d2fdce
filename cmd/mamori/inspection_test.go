package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestInspectionCommands: the system starts a campaign for a department named by code, a bad
// deadline is refused in Japanese and English, the list shows it and the export writes a
// workbook.
func TestInspectionCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, s, orgID, flags := kogeStarted(t, db)
		ctx, sys := t.Context(), access.System(orgID, "test")
		if _, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true}); err != nil {
			t.Fatal(err)
		}
		in := func(args ...string) []string { return append(append([]string{"inspection"}, args...), flags...) }
		_, _, err := cli(t, in("start", "--year", "2026", "--title", "点検", "--deadline", "2026-13-40", "--department", "100")...)
		if err == nil || !strings.Contains(err.Error(), " / ") {
			t.Fatalf("a bad deadline: %v", err)
		}
		out := mustCLI(t, in("start", "--year", "2099", "--title", "令和点検", "--deadline", "2099-06-30", "--department", "100")...)
		if !strings.Contains(out, "開始しました") {
			t.Fatalf("start: %s", out)
		}
		if out := mustCLI(t, in("list")...); !strings.Contains(out, "令和点検") || !strings.Contains(out, "実施中") {
			t.Fatalf("list: %s", out)
		}
		file := filepath.Join(t.TempDir(), "c.xlsx")
		mustCLI(t, in("export", "1", "--out", file)...)
		if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "PK") {
			t.Fatalf("export: %v", err)
		}
	})
}
