package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestLogbookCommands: with --as, a clerk writes a system change record naming staff by their
// number and the system by its 管理番号, a colleague confirms it and the writer cannot, a
// visitor without an escort is refused in Japanese and English, the list shows what each may
// read, and the export writes a workbook.
func TestLogbookCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, s, orgID, flags := kogeStarted(t, db)
		ctx, sys := t.Context(), access.System(orgID, "test")
		dept := map[string]int64{}
		for _, d := range [][2]string{{"100", "総務課"}, {"200", "税務課"}} {
			made, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: d[0], Name: d[1], Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			dept[d[1]] = made.ID
		}
		for _, p := range []struct{ login, department string }{{"soumu", "総務課"}, {"soumu2", "総務課"}, {"zeimu", "税務課"}} {
			st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept[p.department], EmployeeNo: "E-" + p.login, Name: p.login,
				Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: p.login, DisplayName: p.login, StaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Assets.Create(ctx, sys, asset.Input{Number: "SV-1", Name: "住民情報システム", Kind: "server", DepartmentID: dept["総務課"],
			Class: map[string]string{"importance": "II"}}); err != nil {
			t.Fatal(err)
		}
		lb := func(args ...string) string {
			t.Helper()
			return mustCLI(t, append(append([]string{"logbook"}, args...), flags...)...)
		}
		refused := func(want string, args ...string) {
			t.Helper()
			_, _, err := cli(t, append(append([]string{"logbook"}, args...), flags...)...)
			if err == nil || exitCode(err) == 0 {
				t.Fatalf("logbook %v succeeded", args)
			}
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), " / ") {
				t.Fatalf("logbook %v: %v, want %q in Japanese / English", args, err, want)
			}
		}

		out := lb("add", "--logbook", "system_change_record", "--as", "soumu", "--field", "system=SV-1", "--field", "at=2026-04-01 10:00",
			"--field", "work=パッチ適用", "--field", "worker=E-soumu", "--field", "confirmer=Ｅ-soumu2")
		if !strings.Contains(out, "を記入しました") || !strings.Contains(out, "確認を待っています") {
			t.Fatalf("add:\n%s", out)
		}
		n := strings.Fields(strings.TrimPrefix(out, "記録 "))[0]
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("add printed no entry number:\n%s", out)
		}
		out = lb("list", "--logbook", "system_change_record", "--unconfirmed", "--as", "soumu2")
		for _, want := range []string{"全 1 件", "SV-1 住民情報システム", "パッチ適用", "soumu2", "未確認"} {
			if !strings.Contains(out, want) {
				t.Fatalf("list lacks %q:\n%s", want, out)
			}
		}
		if out := lb("list", "--logbook", "system_change_record", "--as", "zeimu"); !strings.Contains(out, "全 0 件") {
			t.Fatalf("another section's list:\n%s", out)
		}
		if out := lb("list", "--from", "2026-04-02"); !strings.Contains(out, "システム変更等の作業記録（system_change_record）全 0 件") ||
			!strings.Contains(out, "room_access") {
			t.Fatalf("every logbook from a later day:\n%s", out)
		}
		refused("確認", "confirm", n, "--as", "soumu")
		refused("--as", "confirm", n)
		if out := lb("confirm", "#"+n, "--as", "soumu2"); !strings.Contains(out, "を確認しました") {
			t.Fatalf("confirm:\n%s", out)
		}
		if out := lb("list", "--logbook", "system_change_record", "--unconfirmed"); !strings.Contains(out, "全 0 件") {
			t.Fatalf("unconfirmed after the confirmation:\n%s", out)
		}
		refused("情報システム", "add", "--logbook", "system_change_record", "--as", "soumu", "--field", "system=SV-404")
		refused("項目ID=値", "add", "--logbook", "work_record", "--as", "soumu", "--field", "system")
		refused("記録簿「nothing」はありません", "add", "--logbook", "nothing", "--as", "soumu")
		refused("立ち会", "add", "--logbook", "room_access", "--as", "soumu", "--field", "person=保守業者",
			"--field", "entered_at=2026-04-01 09:00", "--visitor")
		out = lb("add", "--logbook", "room_access", "--as", "soumu", "--department", "100", "--field", "person=保守業者",
			"--field", "entered_at=2026-04-01 09:00", "--visitor", "--escort", "E-soumu2")
		if !strings.Contains(out, "を記入しました") {
			t.Fatalf("a visitor with an escort:\n%s", out)
		}
		if out := lb("list", "--logbook", "room_access"); !strings.Contains(out, "保守業者") || !strings.Contains(out, "soumu2") {
			t.Fatalf("room access list:\n%s", out)
		}
		file := filepath.Join(t.TempDir(), "作業記録.xlsx")
		refused("--logbook ID", "export", "--out", file)
		if out := lb("export", "--logbook", "system_change_record", "--out", file, "--as", "soumu"); !strings.Contains(out, "書き出しました") {
			t.Fatalf("export:\n%s", out)
		}
		if b, err := os.ReadFile(file); err != nil || len(b) < 4 || string(b[:2]) != "PK" {
			t.Fatalf("export wrote no workbook: %v", err)
		}
	})
}
