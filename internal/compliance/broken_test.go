package compliance_test

import (
	"context"
	"strings"
	"testing"

	"mamori/internal/asset"
	"mamori/internal/compliance"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// brokenPack adds to the base pack a rule that reads an attribute without has(): it fails at
// run time on every terminal without the attribute.
const brokenPack = `id: testtown
name: テスト町情報セキュリティ対策基準
organization: テスト町
kind: municipality
version: "1"
extends: base
rules:
  - id: terminal-mfa-bare
    on: asset
    when: "asset.kind == 'terminal'"
    require: "asset.attrs.mfa == true"
    severity: medium
    title: 端末は多要素認証を設定する
    cite: {article: "テスト 1"}
`

// A rule whose evaluation fails at run time is marked broken with the reason and reported to
// the administrators; it never passes silently, and it is working again once a sweep evaluates
// it everywhere.
func TestBrokenRuleIsReported(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "base")
		if _, err := e.S.Policy.Load(ctx, e.Admin, "testtown.yaml", []byte(brokenPack)); err != nil {
			t.Fatal(err)
		}
		pc, err := e.S.Assets.Create(ctx, e.Admin, asset.Input{Number: "PC-001", Name: "端末", Kind: "terminal", DepartmentID: e.DeptA, Class: map[string]string{"importance": "C"}})
		if err != nil {
			t.Fatal(err)
		}
		var broken bool
		var msg string
		if err := db.SQL.QueryRowContext(ctx, `SELECT broken, error FROM compliance_rule_status WHERE rule_id = 'terminal-mfa-bare'`).Scan(&broken, &msg); err != nil {
			t.Fatalf("no status of the broken rule: %v", err)
		}
		if !broken || !strings.Contains(msg, "mfa") {
			t.Fatalf("status broken=%v %q", broken, msg)
		}
		if n := e.count(`SELECT count(*) FROM notices n JOIN notice_recipients r ON r.notice_id = n.id JOIN users u ON u.id = r.user_id
			WHERE n.kind = $1 AND u.platform_admin`, compliance.NoticeRuleBroken); n != 1 {
			t.Fatalf("%d notices of the broken rule to administrators", n)
		}
		sw, err := e.S.Compliance.Run(ctx, e.Admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(sw.BrokenRules) != 1 || sw.BrokenRules[0] != "terminal-mfa-bare" {
			t.Fatalf("sweep broken rules %v", sw.BrokenRules)
		}
		rules, err := e.S.Compliance.ByRule(ctx, e.Admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			if r.RuleID == "terminal-mfa-bare" && (!r.Broken || r.Open != 0) {
				t.Fatalf("by rule %+v", r)
			}
		}
		// Told once per pack version, however often it fails.
		if n := e.count(`SELECT count(*) FROM notices WHERE kind = $1`, compliance.NoticeRuleBroken); n != 1 {
			t.Fatalf("%d notices", n)
		}
		// With the attribute set the rule evaluates everywhere: the next sweep clears it.
		if _, err := e.S.Assets.Update(ctx, e.Admin, pc.ID, asset.Input{Number: "PC-001", Name: "端末", Kind: "terminal",
			DepartmentID: e.DeptA, Class: map[string]string{"importance": "C"}, Attrs: map[string]any{"mfa": false}}); err != nil {
			t.Fatal(err)
		}
		if _, ok := e.open(pc.ID)["terminal-mfa-bare"]; !ok {
			t.Fatal("the rule, now evaluable, opens no finding")
		}
		if sw, err = e.S.Compliance.Run(ctx, e.Admin); err != nil || len(sw.BrokenRules) != 0 {
			t.Fatalf("sweep %v %v", sw.BrokenRules, err)
		}
		if n := e.count(`SELECT count(*) FROM compliance_rule_status WHERE broken`); n != 0 {
			t.Fatalf("%d rules still broken", n)
		}
	})
}
