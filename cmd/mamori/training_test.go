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
	"mamori/internal/training"
)

// TestTrainingCommands: 上毛町's plan listed with its articles; an attendance sheet naming an
// unknown staff number is refused row by row and records nothing; a good one checked with
// --dry-run records nothing, then imported; the report names who is still missing.
func TestTrainingCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, s, orgID, flags := kogeStarted(t, db)
		ctx, sys := t.Context(), access.System(orgID, "test")
		d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "企画開発課", Kind: "section", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []org.StaffInput{{EmployeeNo: "E-1", Name: "上毛 一郎"}, {EmployeeNo: "E-2", Name: "上毛 二郎"}} {
			st.DepartmentID, st.Employment, st.Active = d.ID, "regular", true
			if _, err := s.Org.CreateStaff(ctx, sys, st); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Trainings.CreatePlan(ctx, sys, training.FiscalYear(s.Now())); err != nil {
			t.Fatal(err)
		}
		out := mustCLI(t, append([]string{"training", "list"}, flags...)...)
		if !strings.Contains(out, "情報セキュリティ研修（全職員等）") || !strings.Contains(out, "第2章 5(2)①") {
			t.Fatalf("list:\n%s", out)
		}
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.csv")
		os.WriteFile(bad, []byte("職員番号,研修,受講日\nE-9,all-staff,2026/4/1\n"), 0o600)
		got, _, err := cli(t, append([]string{"training", "import", bad}, flags...)...)
		if err == nil || !strings.Contains(got, "2 行目 A（職員番号）: 職員番号「E-9」の職員が見つかりません。") {
			t.Fatalf("a sheet naming an unknown staff number: %v\n%s", err, got)
		}
		good := filepath.Join(dir, "good.csv")
		os.WriteFile(good, []byte("職員番号,研修,受講日\nE-1,all-staff,2026/4/1\n"), 0o600)
		if got := mustCLI(t, append([]string{"training", "import", good, "--dry-run"}, flags...)...); !strings.Contains(got, "何も記録していません") {
			t.Fatalf("dry run: %s", got)
		}
		report := mustCLI(t, append([]string{"training", "report", "--course", "all-staff"}, flags...)...)
		if !strings.Contains(report, "0 / 2 件") {
			t.Fatalf("the dry run recorded something:\n%s", report)
		}
		if got := mustCLI(t, append([]string{"training", "import", good}, flags...)...); !strings.Contains(got, "1 件の受講を記録しました") {
			t.Fatalf("import: %s", got)
		}
		report = mustCLI(t, append([]string{"training", "report", "--course", "all-staff"}, flags...)...)
		if !strings.Contains(report, "1 / 2 件") || !strings.Contains(report, "上毛 二郎") || strings.Contains(report, "上毛 一郎") {
			t.Fatalf("report:\n%s", report)
		}
	})
}
