package packs

import (
	"reflect"
	"testing"

	"mamori/internal/policy"
)

// TestKoge checks the 上毛町 pack against facts of its source (000_6c21558d5de3ac6d.txt).
func TestKoge(t *testing.T) {
	p := loadPack(t, "koge")

	role := func(t *testing.T, id string) policy.Role { return roleOf(t, p, id) }
	approval := func(t *testing.T, id string) policy.Approval { return approvalOf(t, p, id) }
	logbook := func(t *testing.T, id string) policy.Logbook { return logbookOf(t, p, id) }
	stepRoles := func(a policy.Approval) []string {
		var out []string
		for _, s := range a.Steps {
			out = append(out, s.Role)
		}
		return out
	}
	fieldNames := func(fs []policy.Field) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Name)
		}
		return out
	}
	eval := func(t *testing.T, prg *policy.Program, rec policy.AssetRecord) bool {
		t.Helper()
		if prg == nil {
			t.Fatal("program missing")
		}
		ok, err := prg.Eval(rec)
		if err != nil {
			t.Fatalf("eval: %v", err)
		}
		return ok
	}
	level := func(id string, rank int64) map[string]policy.LevelRef {
		return map[string]policy.LevelRef{"importance": {ID: id, Rank: rank}}
	}

	t.Run("version is the 令和8年3月31日 revision", func(t *testing.T) {
		if p.Version != "令和8年3月31日 一部改訂" || p.Source != "000_6c21558d5de3ac6d.txt" || p.Kind != "municipality" {
			t.Errorf("version %q source %q kind %q", p.Version, p.Source, p.Kind)
		}
	})

	t.Run("four importance levels I to IV, I most sensitive", func(t *testing.T) {
		if len(p.Classification.Axes) != 1 || p.Classification.Axes[0].ID != "importance" {
			t.Fatalf("axes: %+v", p.Classification.Axes)
		}
		var ids []string
		var ranks []int
		for _, l := range p.Classification.Axes[0].Levels {
			ids = append(ids, l.ID)
			ranks = append(ranks, l.Rank)
		}
		if !reflect.DeepEqual(ids, []string{"I", "II", "III", "IV"}) || !reflect.DeepEqual(ranks, []int{4, 3, 2, 1}) {
			t.Errorf("levels %v ranks %v", ids, ranks)
		}
		lv := p.Classification.Axes[0].Levels
		if len(lv[0].Handling) == 0 || len(lv[1].Handling) == 0 {
			t.Error("levels I and II must carry their 取扱制限")
		}
		if lv[0].Handling[0] != "重要性分類Iの情報資産については、私物端末での作業禁止（第2章 3(1) 表）" {
			t.Errorf("first handling restriction of I: %q", lv[0].Handling[0])
		}
		if lv[3].Definition != "上記以外の情報" {
			t.Errorf("IV definition %q", lv[3].Definition)
		}
	})

	t.Run("holders as the text words them", func(t *testing.T) {
		want := map[string]string{
			"ciso":             "副町長",
			"chief":            "企画開発課長",
			"network_admin":    "企画開発課企画情報係長",
			"security_manager": "企画開発課長",
			"chief_auditor":    "上毛町長",
		}
		for id, held := range want {
			if r := role(t, id); r.HeldBy != held {
				t.Errorf("%s held by %q, want %q", id, r.HeldBy, held)
			}
		}
		if r := role(t, "system_admin"); r.Scope != "system" {
			t.Errorf("情報システム管理者 scope %q", r.Scope)
		}
	})

	t.Run("統括情報セキュリティ責任者 acts when CISO is absent", func(t *testing.T) {
		if a := role(t, "ciso").Acting; !reflect.DeepEqual(a, []string{"chief"}) {
			t.Errorf("acting %v", a)
		}
	})

	t.Run("send carry provide of II or above need 情報セキュリティ管理者", func(t *testing.T) {
		for _, id := range []string{"send", "carry", "provide"} {
			a := approval(t, id)
			if !reflect.DeepEqual(stepRoles(a), []string{"security_manager"}) {
				t.Errorf("%s approvers %v", id, stepRoles(a))
			}
			when := p.ApprovalWhen[id]
			if !eval(t, when, policy.AssetRecord{Kind: "information", Class: level("II", 3)}) {
				t.Errorf("%s not required for II", id)
			}
			if eval(t, when, policy.AssetRecord{Kind: "information", Class: level("III", 2)}) {
				t.Errorf("%s required for III", id)
			}
		}
	})

	t.Run("disposal approved by 情報システム管理者 recording date person method", func(t *testing.T) {
		a := approval(t, "dispose")
		if !reflect.DeepEqual(stepRoles(a), []string{"system_admin"}) {
			t.Errorf("approvers %v", stepRoles(a))
		}
		if !reflect.DeepEqual(fieldNames(a.Fields), []string{"日時", "担当者", "処理内容"}) {
			t.Errorf("fields %v", fieldNames(a.Fields))
		}
		l := logbook(t, "disposal_record")
		if got := fieldNames(l.Fields); !reflect.DeepEqual(got[1:], []string{"日時", "担当者", "処理内容"}) {
			t.Errorf("disposal record fields %v", got)
		}
	})

	t.Run("external network connection needs CISO, 統括 and ネットワーク管理者 jointly", func(t *testing.T) {
		a := approval(t, "external_network")
		if len(a.Steps) != 1 || !a.Steps[0].Joint() {
			t.Fatalf("steps %+v, want one joint step", a.Steps)
		}
		var roles []string
		for _, d := range a.Steps[0].Deciders() {
			roles = append(roles, d.Role)
		}
		if !reflect.DeepEqual(roles, []string{"ciso", "chief", "network_admin"}) {
			t.Errorf("approvers %v", roles)
		}
	})

	t.Run("other permissions and their approvers", func(t *testing.T) {
		want := map[string][]string{
			"offsite_equipment":   {"ciso"},
			"exception":           {"ciso"},
			"take_out":            {"security_manager"},
			"private_pc":          {"security_manager"},
			"software_install":    {"network_admin"},
			"network_connect":     {"network_admin"},
			"remote_access":       {"network_admin", "system_admin"},
			"audit_plan":          {"chief_auditor"},
			"terminal_disconnect": {"network_admin"},
			"recurrence_plan":     {"ciso"},
		}
		for id, roles := range want {
			if got := stepRoles(approval(t, id)); !reflect.DeepEqual(got, roles) {
				t.Errorf("%s approvers %v, want %v", id, got, roles)
			}
		}
		if !approval(t, "exception").PostHoc || !approval(t, "terminal_disconnect").PostHoc {
			t.Error("例外措置 and terminal disconnection allow 事後報告")
		}
		if !approval(t, "take_out").Returnable {
			t.Error("take-out is returnable")
		}
		for _, f := range approval(t, "private_pc").Fields {
			if f.ID == "importance" {
				for _, v := range f.Values {
					if v == "I" {
						t.Error("private PC must not be allowed for 重要性分類I")
					}
				}
			}
		}
	})

	t.Run("system changes by two persons", func(t *testing.T) {
		l := logbook(t, "system_change_record")
		if !l.SecondPerson {
			t.Error("second_person not set")
		}
		logbook(t, "take_out_bring_in")
		logbook(t, "room_access")
		logbook(t, "fault_record")
	})

	t.Run("11 emergency contacts in the order of 緊急時対応計画 2", func(t *testing.T) {
		var names []string
		external := 0
		for _, c := range p.Incident.Contacts {
			names = append(names, c.Name)
			if c.External {
				external++
			}
		}
		want := []string{"上毛町長", "最高情報セキュリティ責任者（CISO）", "統括情報セキュリティ責任者", "ネットワーク管理者",
			"情報セキュリティ管理者", "情報システム管理者", "情報セキュリティに関する統一的な窓口",
			"ネットワーク及び情報システムに係る外部委託事業者", "福岡県の関係部局", "警察及び関係機関", "被害を受けるおそれのある個人及び法人"}
		if !reflect.DeepEqual(names, want) {
			t.Errorf("contacts %v", names)
		}
		if external != 4 {
			t.Errorf("%d external contacts, want 4", external)
		}
	})

	t.Run("4 report items", func(t *testing.T) {
		want := []string{"事案の状況", "事案が発生した原因として、想定される行為", "確認した被害及び影響範囲（事案の種類、損害規模、復旧に要する額等）", "記録"}
		if got := fieldNames(p.Incident.ReportItems); !reflect.DeepEqual(got, want) {
			t.Errorf("report items %v", got)
		}
	})

	t.Run("4 notification categories and whom each notifies", func(t *testing.T) {
		want := [][]string{
			{"mayor", "ciso", "prefecture", "police", "affected"},
			{"mayor", "ciso", "prefecture", "police"},
			{"system_admin", "contractor"},
			nil,
		}
		if len(p.Incident.Categories) != 4 {
			t.Fatalf("%d categories", len(p.Incident.Categories))
		}
		for i, c := range p.Incident.Categories {
			if !reflect.DeepEqual(c.Notify, want[i]) {
				t.Errorf("category %s notifies %v, want %v", c.ID, c.Notify, want[i])
			}
		}
	})

	t.Run("network cut and system stop conditions", func(t *testing.T) {
		got := map[string]policy.Measure{}
		for _, m := range p.Incident.Measures {
			got[m.ID] = m
		}
		if m := got["network_cut"]; len(m.Conditions) != 4 || m.DecidedBy != "network_admin" {
			t.Errorf("network cut %+v", m)
		}
		if m := got["system_stop"]; len(m.Conditions) != 3 || m.Conditions[1] != "災害等により電源を供給することが危険又は困難なとき。" {
			t.Errorf("system stop %+v", m)
		}
		// Where the article names two roles, either records the measure: 緊急時対応計画 4(3)
		// 「ネットワーク管理者及び情報システムを所管する情報システム管理者は、…情報システムを停止する」,
		// 第2章 6(5)② 「CISO 及び統括情報セキュリティ責任者は、…システムの停止を含む必要な措置を講じなければならない」.
		for id, want := range map[string][]string{
			"network_cut":        {"network_admin"},
			"system_stop":        {"network_admin", "system_admin"},
			"attack_notice_stop": {"ciso", "chief"},
		} {
			if d := got[id].Deciders(); !reflect.DeepEqual(d, want) {
				t.Errorf("%s is taken by %v, want %v", id, d, want)
			}
		}
	})

	t.Run("13 contract clauses", func(t *testing.T) {
		if n := len(p.Clauses); n != 13 {
			t.Errorf("%d clauses", n)
		}
		if p.Clauses[12].Text != "情報セキュリティポリシーが遵守されなかった場合の規定(損害賠償等)" {
			t.Errorf("last clause %q", p.Clauses[12].Text)
		}
	})

	t.Run("5 threats", func(t *testing.T) {
		if n := len(p.Threats); n != 5 {
			t.Errorf("%d threats", n)
		}
	})

	t.Run("media of II or above need locked fire-resistant storage", func(t *testing.T) {
		id := "media-locked-fireproof-storage"
		bare := policy.AssetRecord{Kind: "media", Class: level("II", 3), Attrs: map[string]any{}}
		if !eval(t, p.RuleWhen[id], bare) {
			t.Fatal("rule does not apply to a medium of II")
		}
		if eval(t, p.RuleRequire[id], bare) {
			t.Error("medium of II without locked storage passes")
		}
		stored := policy.AssetRecord{Kind: "media", Class: level("II", 3), Attrs: map[string]any{"locked_fireproof_storage": true}}
		if !eval(t, p.RuleRequire[id], stored) {
			t.Error("medium of II in locked storage fails")
		}
		if eval(t, p.RuleWhen[id], policy.AssetRecord{Kind: "media", Class: level("III", 2), Attrs: map[string]any{}}) {
			t.Error("rule applies to a medium of III")
		}
	})

	t.Run("no private device for I", func(t *testing.T) {
		id := "no-private-device-for-class-i"
		private := map[string]any{"private_device": true}
		if !eval(t, p.RuleWhen[id], policy.AssetRecord{Kind: "terminal", Class: level("I", 4), Attrs: private}) {
			t.Fatal("rule does not apply to a private terminal")
		}
		if eval(t, p.RuleRequire[id], policy.AssetRecord{Kind: "terminal", Class: level("I", 4), Attrs: private}) {
			t.Error("private terminal with I passes")
		}
		if !eval(t, p.RuleRequire[id], policy.AssetRecord{Kind: "terminal", Class: level("II", 3), Attrs: private}) {
			t.Error("private terminal with II fails")
		}
		if eval(t, p.RuleWhen[id], policy.AssetRecord{Kind: "terminal", Class: level("I", 4), Attrs: map[string]any{"private_device": false}}) {
			t.Error("rule applies to an issued terminal")
		}
	})

	t.Run("no lockout threshold is invented", func(t *testing.T) {
		if p.Auth.LockoutAfterFailures != 0 || p.Auth.PasswordMinLength != 0 {
			t.Errorf("auth %+v", p.Auth)
		}
		if len(p.Auth.Notes) == 0 {
			t.Error("login rules missing")
		}
	})
}

// TestKogeDuties checks the 上毛町 pack's recurring duties (定期業務) against its source: each
// rests on the words that make it recur, and where the source says only 定期的に the interval
// is the organisation's, marked as added.
func TestKogeDuties(t *testing.T) {
	p := loadPack(t, "koge")
	cases := []struct {
		id, role, every, evidence, article string
		added                              bool
	}{
		{"emergency-drill", "network_admin", policy.EveryYear, policy.EvidenceFile, "第2章 5(2)③", true},
		{"network-log-review", "network_admin", policy.EveryMonth, policy.EvidenceNote, "第2章 6(1)⑥ウ", true},
		{"network-compliance-check", "network_admin", policy.EveryHalf, policy.EvidenceChecklist, "第2章 7(2)①ウ", true},
		{"system-backup", "system_admin", policy.EveryMonth, policy.EvidenceLogbook, "第2章 6(1)②", true},
		{"system-maintenance", "system_admin", policy.EveryYear, policy.EvidenceFile, "第2章 4(1)⑤ア", true},
		{"supplier-check", "security_manager", policy.EveryYear, policy.EvidenceFile, "第2章 8(1)③", true},
		{"training", "committee", policy.EveryYear, policy.EvidenceFile, "第2章 5(2)①", true},
		{"policy-evaluation", "committee", policy.EveryYear, policy.EvidenceNote, "第2章 9(3)", false},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			d, ok := p.RecurringDuty(c.id)
			if !ok {
				t.Fatalf("duty %s missing", c.id)
			}
			if d.Role != c.role || d.Every != c.every || d.Evidence != c.evidence || d.EveryCite.Article != c.article {
				t.Errorf("got role %s every %s evidence %s cite %s", d.Role, d.Every, d.Evidence, d.EveryCite.Article)
			}
			if d.EveryCite.Added() != c.added {
				t.Errorf("every_cite added = %v, want %v (%+v)", d.EveryCite.Added(), c.added, d.EveryCite)
			}
		})
	}
	t.Run("the yearly evaluation rests on 毎年度", func(t *testing.T) {
		d, _ := p.RecurringDuty("policy-evaluation")
		if d.EveryCite.Quote != "毎年度及び重大な変化が発生した場合に評価を行い" {
			t.Errorf("every_cite %+v", d.EveryCite)
		}
	})
	t.Run("the backup is shown in the 作業記録", func(t *testing.T) {
		d, _ := p.RecurringDuty("system-backup")
		if d.Logbook != "work_record" {
			t.Errorf("logbook %q", d.Logbook)
		}
	})
	t.Run("the supplier check is due at the end of December", func(t *testing.T) {
		d, _ := p.RecurringDuty("supplier-check")
		if d.Month != 12 {
			t.Errorf("month %d", d.Month)
		}
	})
	t.Run("the compliance check closes with its checklist ticked", func(t *testing.T) {
		d, _ := p.RecurringDuty("network-compliance-check")
		if len(d.Checklist) != 4 {
			t.Errorf("checklist %v", d.Checklist)
		}
	})
	if n := len(p.RecurringDuties()); n != 11 {
		t.Errorf("%d recurring duties, want 11", n)
	}
}
