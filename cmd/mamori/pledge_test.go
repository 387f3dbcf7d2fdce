package main

import (
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestPledgeCommands: the pack's pledges with their counts, and the people still to sign.
func TestPledgeCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, s, orgID, flags := kogeStarted(t, db)
		ctx, sys := t.Context(), access.System(orgID, "test")
		d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "企画開発課", Kind: "section", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct{ no, name string }{{"E-1", "上毛 花子"}, {"E-2", "上毛 次郎"}} {
			if _, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: d.ID, EmployeeNo: p.no, Name: p.name, Employment: "fiscal_year", Active: true}); err != nil {
				t.Fatal(err)
			}
		}
		out := mustCLI(t, append([]string{"pledge", "list"}, flags...)...)
		if !strings.Contains(out, "nonregular-consent") || !strings.Contains(out, "第2章 5(1)②イ") || !strings.Contains(out, "2  ") {
			t.Fatalf("list:\n%s", out)
		}
		out = mustCLI(t, append([]string{"pledge", "status"}, flags...)...)
		if !strings.Contains(out, "全 2 件") || !strings.Contains(out, "上毛 次郎") || !strings.Contains(out, "未署名") {
			t.Fatalf("status:\n%s", out)
		}
		if _, _, err := cli(t, append([]string{"pledge", "status", "--pledge", "nope"}, flags...)...); err == nil {
			t.Fatal("an unknown pledge is accepted")
		}
	})
}
