package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/task"
)

// TestTaskCommands: the network administrator lists their tasks and closes one with a note and
// one with a file; a task closed without its evidence is refused in Japanese and English.
func TestTaskCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, s, orgID, flags := kogeStarted(t, db)
		ctx, sys := t.Context(), access.System(orgID, "test")
		d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "企画開発課", Kind: "section", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: d.ID, EmployeeNo: "E-1", Name: "上毛 係長", Employment: "regular", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: "kakaricho", DisplayName: "上毛 係長", StaffID: st.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: "network_admin", Scope: "organization", HolderStaffID: st.ID}); err != nil {
			t.Fatal(err)
		}
		fy := task.FiscalYear(s.Now())
		mustCLI(t, append([]string{"task", "generate"}, flags...)...)
		out := mustCLI(t, append([]string{"task", "list", "--mine", "--role", "network_admin", "--as", "kakaricho"}, flags...)...)
		if !strings.Contains(out, "全 16 件") || !strings.Contains(out, "緊急時対応を想定した訓練") {
			t.Fatalf("list:\n%s", out)
		}
		find := func(text string) string {
			t.Helper()
			m := regexp.MustCompile(`(?m)^(\d+)\s.*` + text).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no %s in\n%s", text, out)
			}
			return m[1]
		}
		review, drill := find("取得したログ"), find("緊急時対応")
		_, _, err = cli(t, append([]string{"task", "done", review, "--as", "kakaricho"}, flags...)...)
		if err == nil || !strings.Contains(err.Error(), "実施した内容を記入してください。 / Write what was done.") {
			t.Fatalf("a task closed without its note: %v", err)
		}
		if got := mustCLI(t, append([]string{"task", "done", review, "--note", "ログを点検した", "--as", "kakaricho"}, flags...)...); !strings.Contains(got, "完了しました") {
			t.Fatalf("done: %s", got)
		}
		pdf := filepath.Join(t.TempDir(), "訓練記録.pdf")
		os.WriteFile(pdf, []byte("%PDF-1.4\n"), 0o600)
		mustCLI(t, append([]string{"task", "done", drill, "--file", pdf, "--as", "kakaricho"}, flags...)...)
		done := mustCLI(t, append([]string{"task", "list", "--status", "done"}, flags...)...)
		if !strings.Contains(done, "全 2 件") {
			t.Fatalf("done list (%d):\n%s", fy, done)
		}
	})
}
