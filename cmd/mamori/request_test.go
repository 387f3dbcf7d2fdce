package main

import (
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestRequestCommands: with --as, the request commands list, show and decide what the account
// may, the inbox holds what waits for it, and a refused decision ends non-zero with its reason
// in Japanese and English.
func TestRequestCommands(t *testing.T) {
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
		for _, p := range []struct{ login, department, role string }{{"soumu", "総務課", ""}, {"kacho", "総務課", "security_manager"}, {"zeimu", "税務課", ""}} {
			st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept[p.department], EmployeeNo: "E-" + p.login, Name: p.login,
				Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			if p.role != "" {
				if _, err := s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: p.role, Scope: "department", DepartmentID: dept[p.department],
					HolderStaffID: st.ID}); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: p.login, DisplayName: p.login, StaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
		}
		pc, err := s.Assets.Create(ctx, sys, asset.Input{Number: "PC-1", Name: "業務用端末", Kind: "terminal", DepartmentID: dept["総務課"],
			Class: map[string]string{"importance": "B"}})
		if err != nil {
			t.Fatal(err)
		}
		clerk, err := s.Auth.ActAs(ctx, "soumu")
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Requests.Submit(ctx, clerk, request.Input{Kind: "take_out", AssetIDs: []int64{pc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		n := strconv.FormatInt(r.ID, 10)
		req := func(args ...string) string {
			t.Helper()
			return mustCLI(t, append(append([]string{"request"}, args...), flags...)...)
		}
		refused := func(want string, args ...string) {
			t.Helper()
			_, _, err := cli(t, append(append([]string{"request"}, args...), flags...)...)
			if err == nil || exitCode(err) == 0 {
				t.Fatalf("request %v succeeded", args)
			}
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), " / ") {
				t.Fatalf("request %v: %v, want %q in Japanese / English", args, err, want)
			}
		}

		if out := req("inbox", "--as", "kacho"); !strings.Contains(out, n) || !strings.Contains(out, r.KindName) || !strings.Contains(out, "決裁待ち 1 件") {
			t.Fatalf("the manager's inbox:\n%s", out)
		}
		if out := req("inbox", "--as", "zeimu"); !strings.Contains(out, "ありません") {
			t.Fatalf("another clerk's inbox:\n%s", out)
		}
		refused("--as", "inbox")
		refused("決裁する役割を持っていません", "decide", n, "--as", "zeimu", "--decision", "approve")
		refused("コメント", "decide", n, "--as", "kacho", "--decision", "send_back")
		refused("アカウント「nobody」はありません", "decide", n, "--as", "nobody", "--decision", "approve")
		refused("先に更新されました", "decide", n, "--as", "kacho", "--decision", "approve", "--version", "7")
		if out := req("decide", n, "--as", "kacho", "--decision", "approve", "--comment", "確認しました"); !strings.Contains(out, "承認しました") {
			t.Fatalf("decide:\n%s", out)
		}
		out := req("show", n, "--as", "soumu")
		for _, want := range []string{"承認済み", r.KindName, "経過:", "申請", "承認", "確認しました", "kacho"} {
			if !strings.Contains(out, want) {
				t.Fatalf("show lacks %q:\n%s", want, out)
			}
		}
		refused("見つかりません", "show", n, "--as", "zeimu")
		if out := req("list", "--as", "soumu"); !strings.Contains(out, "全 1 件") || !strings.Contains(out, "承認済み") {
			t.Fatalf("the applicant's list:\n%s", out)
		}
		if out := req("list", "--as", "zeimu"); !strings.Contains(out, "全 0 件") {
			t.Fatalf("another clerk's list:\n%s", out)
		}
		if out := req("list", "--state", "pending"); !strings.Contains(out, "全 0 件") {
			t.Fatalf("pending requests:\n%s", out)
		}
		if out := req("remind"); !strings.Contains(out, "督促 0 件") {
			t.Fatalf("remind:\n%s", out)
		}
	})
}
