package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/policy"
)

func TestPackCommands(t *testing.T) {
	t.Run("list shows every shipped pack", func(t *testing.T) {
		out := mustCLI(t, "pack", "list")
		for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata", "base"} {
			if !strings.Contains(out, id) {
				t.Errorf("pack list lacks %s:\n%s", id, out)
			}
		}
	})
	t.Run("show prints roles with their holders and citations", func(t *testing.T) {
		out := mustCLI(t, "pack", "show", "kishiwada")
		if !strings.Contains(out, "総務部を担任する副市長") || !strings.Contains(out, "3回の失敗でロック") || !strings.Contains(out, "［") {
			t.Fatalf("show kishiwada:\n%.2000s", out)
		}
		for _, line := range []string{"audit_chief 情報セキュリティ監査統括責任者 — （organization）〈監査〉［", "ciso ＣＩＳＯ（情報セキュリティ統括責任者） — 総務部を担任する副市長（organization）〈情報セキュリティ〉［",
			"staff 職員等 — ", "（organization）〈全職員〉［"} {
			if !strings.Contains(out, line) {
				t.Errorf("show kishiwada lacks %q", line)
			}
		}
		if koge := mustCLI(t, "pack", "show", "koge"); !strings.Contains(koge, "exception 例外措置〈例外措置〉 — ciso［") {
			t.Errorf("show koge does not mark its exception kind:\n%.3000s", koge)
		}
		var p struct {
			ID   string `json:"id"`
			Auth struct {
				Lockout int `json:"lockout_after_failures"`
			} `json:"auth"`
		}
		if err := json.Unmarshal([]byte(mustCLI(t, "pack", "show", "kishiwada", "--json")), &p); err != nil || p.ID != "kishiwada" || p.Auth.Lockout != 3 {
			t.Fatalf("show --json: %+v %v", p, err)
		}
	})
	t.Run("show marks what no article states and carries the notes on the source", func(t *testing.T) {
		out := mustCLI(t, "pack", "show", "koge")
		for _, line := range []string{"事後報告は1日以内〔運用上の設定: 原典は「事後速やかに」とし期間を定めていないため",
			"例外措置は最長365日〔運用上の設定: ", "項目 入室者〔運用上の設定: ", "■ 原典についての注記", "［第2章 6(1)⑱］「⑱ 機器構成の変更の制限」"} {
			if !strings.Contains(out, line) {
				t.Errorf("show koge lacks %q", line)
			}
		}
		if strings.Contains(out, "項目 システム障害に対する処理結果又は問題等〔") {
			t.Error("show koge marks a field the source lists as the organisation's setting")
		}
		var p struct {
			Logbooks []struct {
				ID     string `json:"id"`
				Fields []struct {
					ID   string      `json:"id"`
					Cite policy.Cite `json:"cite"`
				} `json:"fields"`
			} `json:"logbooks"`
			Approvals []struct {
				ID               string      `json:"id"`
				ReportWithinCite policy.Cite `json:"report_within_cite"`
			} `json:"approvals"`
			Notes []policy.Note `json:"notes"`
		}
		if err := json.Unmarshal([]byte(mustCLI(t, "pack", "show", "koge", "--json")), &p); err != nil {
			t.Fatal(err)
		}
		origins := map[string]string{}
		for _, l := range p.Logbooks {
			for _, f := range l.Fields {
				origins[l.ID+"/"+f.ID] = f.Cite.Origin + "|" + f.Cite.Reason
			}
		}
		if o := origins["room_access/person"]; !strings.HasPrefix(o, "added|条文はこの記載項目を挙げていない") {
			t.Errorf("room_access/person origin = %q", o)
		}
		if o := origins["fault_record/result"]; o != "|" {
			t.Errorf("fault_record/result, quoted from 6(1)⑦, has origin %q", o)
		}
		var exc policy.Cite
		for _, a := range p.Approvals {
			if a.ID == "exception" {
				exc = a.ReportWithinCite
			}
		}
		if !exc.Added() || exc.Reason == "" {
			t.Errorf("exception report deadline cite = %+v", exc)
		}
		if len(p.Notes) < 3 || p.Notes[0].Quote == "" || p.Notes[0].Action == "" {
			t.Errorf("notes = %+v", p.Notes)
		}
	})
	t.Run("diff names what two packs require differently", func(t *testing.T) {
		out := mustCLI(t, "pack", "diff", "koge", "kishiwada")
		if !strings.Contains(out, "■ auth") || !strings.Contains(out, "■ roles") {
			t.Fatalf("diff:\n%.2000s", out)
		}
		if same := mustCLI(t, "pack", "diff", "koge", "koge"); !strings.Contains(same, "違い: 0件") {
			t.Fatalf("a pack differs from itself:\n%s", same)
		}
	})
	t.Run("validate accepts a good pack and names the problems of a bad one", func(t *testing.T) {
		dir := t.TempDir()
		good := filepath.Join(dir, "mine.yaml")
		os.WriteFile(good, []byte("id: mine\nname: テスト町の運用\norganization: テスト町\nkind: municipality\nversion: \"1\"\nextends: koge\n"), 0o644)
		if out := mustCLI(t, "pack", "validate", good); !strings.Contains(out, "is valid") {
			t.Fatalf("validate good: %s", out)
		}
		bad := filepath.Join(dir, "bad.yaml")
		os.WriteFile(bad, []byte("id: bad\nname: x\norganization: x\nkind: municipality\nversion: \"1\"\nextends: koge\napprovals:\n  - {id: a, name: a, subject: asset, steps: [{role: nobody, of: organization}], cite: {article: \"1\"}}\n"), 0o644)
		out, _, err := cli(t, "pack", "validate", bad)
		if err == nil || exitCode(err) != 1 || !strings.Contains(out, `bad.yaml: approvals[a].steps[0].role: unknown role "nobody"`) {
			t.Fatalf("validate bad: %v\n%s", err, out)
		}
	})
	t.Run("an own pack folder joins the shipped packs", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "local.yaml"), []byte("id: local\nname: 独自\norganization: テスト町\nkind: municipality\nversion: \"1\"\nextends: toki\n"), 0o644)
		if out := mustCLI(t, "pack", "list", "--pack-dir", dir); !strings.Contains(out, "local") {
			t.Fatalf("--pack-dir: %s", out)
		}
	})
}

func TestRoleCommands(t *testing.T) {
	dir := t.TempDir()
	firstStart(t, "--data", dir, "--demo", "koge")
	out := mustCLI(t, "role", "list", "--data", dir)
	if !strings.Contains(out, "ciso") || !strings.Contains(out, "true") {
		t.Fatalf("role list:\n%s", out)
	}
	if _, _, err := cli(t, "role", "assign", "--data", dir, "--role", "mayor", "--staff-no", "1001"); err == nil || !strings.Contains(err.Error(), "mayor") {
		t.Fatalf("an unknown role was accepted: %v", err)
	}
	got := mustCLI(t, "role", "assign", "--data", dir, "--role", "network_admin", "--staff-no", "1001", "--from", "2026-04-01")
	if !strings.Contains(got, "assigned network_admin") {
		t.Fatalf("assign: %s", got)
	}
}
