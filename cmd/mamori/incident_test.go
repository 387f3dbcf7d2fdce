package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestIncidentCommands: with --as, a clerk reports an incident with a file, the CSIRT sees it
// with its checklist and ticks a report off, others neither see nor tick it, the 緊急連絡網 is
// for role holders; refusals end non-zero in Japanese and English. Organisations get a parent
// without cycles.
func TestIncidentCommands(t *testing.T) {
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
		for _, p := range []struct{ login, department, role string }{{"soumu", "総務課", ""}, {"csirt", "総務課", "csirt_lead"}, {"zeimu", "税務課", ""}} {
			st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept[p.department], EmployeeNo: "E-" + p.login, Name: p.login,
				Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			if p.role != "" {
				if _, err := s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: p.role, Scope: "organization", HolderStaffID: st.ID}); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: p.login, DisplayName: p.login, StaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
		}
		run := func(args ...string) string {
			t.Helper()
			return mustCLI(t, append(args, flags...)...)
		}
		refused := func(want string, args ...string) {
			t.Helper()
			_, _, err := cli(t, append(args, flags...)...)
			if err == nil || exitCode(err) == 0 {
				t.Fatalf("%v succeeded", args)
			}
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), " / ") {
				t.Fatalf("%v: %v, want %q in Japanese / English", args, err, want)
			}
		}

		log := filepath.Join(t.TempDir(), "firewall.log")
		if err := os.WriteFile(log, []byte("09:55 deny 10.0.0.21 -> malicious.example\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		detected := time.Now().Add(-time.Hour).In(i18n.Tokyo).Format("2006-01-02 15:04")
		report := []string{"incident", "report", "--title", "不審な通信の検知", "--detected", detected, "--item", "breach=外部への不審な通信",
			"--item", "situation=ファイアウォールが遮断", "--file", log}
		refused("--as", report...)
		refused("入力してください", "incident", "report", "--as", "soumu", "--title", "x", "--detected", detected)
		refused("YYYY-MM-DD HH:MM", "incident", "report", "--as", "soumu", "--title", "x", "--detected", "きのう")
		out := run(append(report, "--as", "soumu")...)
		m := regexp.MustCompile(`事案 (\d+)「不審な通信の検知」を報告しました`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("report:\n%s", out)
		}
		n := m[1]
		id, _ := strconv.ParseInt(n, 10, 64)
		if out := run("incident", "list", "--as", "csirt"); !strings.Contains(out, "不審な通信の検知") || !strings.Contains(out, "全 1 件") {
			t.Fatalf("the CSIRT's list:\n%s", out)
		}
		if out := run("incident", "list", "--as", "zeimu"); !strings.Contains(out, "全 0 件") {
			t.Fatalf("another clerk's list:\n%s", out)
		}
		refused("見つかりません", "incident", "show", n, "--as", "zeimu")

		csirt, err := s.Auth.ActAs(ctx, "csirt")
		if err != nil {
			t.Fatal(err)
		}
		in, err := s.Incidents.Get(ctx, csirt, id)
		if err != nil {
			t.Fatal(err)
		}
		if in, err = s.Incidents.Triage(ctx, csirt, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true, Category: "incident", Severity: "high"}); err != nil {
			t.Fatal(err)
		}
		out = run("incident", "show", n, "--as", "csirt")
		for _, want := range []string{"対応中", "連絡チェックリスト:", "ＣＩＳＯ", "証拠:", "firewall.log", "経過:", "報告事項 breach"} {
			if !strings.Contains(out, want) {
				t.Fatalf("show lacks %q:\n%s", want, out)
			}
		}
		var toCISO incident.ChecklistStep
		for _, x := range in.Checklist {
			if x.From == "csirt" && x.To == "ciso" {
				toCISO = x
			}
		}
		if toCISO.ID == 0 {
			t.Fatalf("no csirt>ciso in %+v", in.Checklist)
		}
		nid := strconv.FormatInt(toCISO.ID, 10)
		refused("--step", "incident", "tick", n, "--as", "csirt")
		refused("見つかりません", "incident", "tick", n, "--as", "zeimu", "--step", nid)
		refused("連絡手段", "incident", "tick", n, "--as", "csirt", "--step", nid, "--means", "pigeon")
		if out := run("incident", "tick", n, "--as", "csirt", "--step", nid, "--means", "phone", "--note", "CISOへ電話"); !strings.Contains(out, "記録しました") {
			t.Fatalf("tick:\n%s", out)
		}
		refused("既に記録されています", "incident", "tick", n, "--as", "csirt", "--step", nid)

		refused("緊急連絡網", "incident", "contacts", "--as", "soumu")
		if out := run("incident", "contacts", "--as", "csirt"); !strings.Contains(out, "ＣＳＩＲＴ") || !strings.Contains(out, "注意") {
			t.Fatalf("contacts:\n%s", out)
		}
		if out := run("incident", "remind"); !strings.Contains(out, "督促 0 件") {
			t.Fatalf("remind:\n%s", out)
		}

		// Parents: a prefecture above the city, never a cycle.
		run("org", "create", "--code", "pref", "--name", "テスト府", "--kind", "prefecture", "--pack", "yamagata")
		if out := run("org", "set-parent", "--org", "k", "--parent", "pref"); !strings.Contains(out, "上位団体を「テスト府」にしました") {
			t.Fatalf("set-parent:\n%s", out)
		}
		if out := run("org", "list"); !strings.Contains(out, "pref テスト府") || !strings.Contains(out, "yamagata") {
			t.Fatalf("org list:\n%s", out)
		}
		refused("循環", "org", "set-parent", "--org", "pref", "--parent", "k")
		refused("自らの上位団体", "org", "set-parent", "--org", "k", "--parent", "k")
		refused("団体「nope」はありません", "org", "set-parent", "--org", "nope", "--parent", "k")
		if got, _ := s.Org.Organization(ctx, o.ID); got.ParentID == 0 {
			t.Fatal("the parent was not kept")
		}
	})
}
