package packs

import (
	"slices"
	"strings"
	"testing"

	"mamori/internal/policy"
)

// TestAbiraKyoiku checks the 安平町教育委員会 pack (安平町教育活動における情報セキュリティ対策実施要綱,
// 令和3年教育委員会訓令第2号) against facts of its source.
func TestAbiraKyoiku(t *testing.T) {
	p := loadPack(t, "abira-kyoiku")

	role := func(id string) *policy.Role {
		for i := range p.Roles {
			if p.Roles[i].ID == id {
				return &p.Roles[i]
			}
		}
		t.Fatalf("role %s missing", id)
		return nil
	}
	approval := func(id string) *policy.Approval {
		for i := range p.Approvals {
			if p.Approvals[i].ID == id {
				return &p.Approvals[i]
			}
		}
		t.Fatalf("approval %s missing", id)
		return nil
	}
	logbook := func(id string) *policy.Logbook {
		for i := range p.Logbooks {
			if p.Logbooks[i].ID == id {
				return &p.Logbooks[i]
			}
		}
		t.Fatalf("logbook %s missing", id)
		return nil
	}
	fieldNames := func(fs []policy.Field) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Name)
		}
		return out
	}
	stepRoles := func(a *policy.Approval) []string {
		var out []string
		for _, s := range a.Steps {
			out = append(out, s.Role)
		}
		return out
	}
	eval := func(t *testing.T, prg *policy.Program, rec policy.AssetRecord) bool {
		t.Helper()
		if prg == nil {
			t.Fatal("no program")
		}
		ok, err := prg.Eval(rec)
		if err != nil {
			t.Fatalf("eval: %v", err)
		}
		return ok
	}
	importance := func(id string, rank int64) map[string]policy.LevelRef {
		return map[string]policy.LevelRef{"importance": {ID: id, Rank: rank}}
	}

	t.Run("source and kind", func(t *testing.T) {
		if p.Source != "002_9b7fa2651bbbf8c1.txt" || p.Kind != "board_of_education" || p.Organization != "安平町教育委員会" {
			t.Errorf("source %q kind %q organization %q", p.Source, p.Kind, p.Organization)
		}
	})

	t.Run("three importance levels A B C", func(t *testing.T) {
		axes := p.Classification.Axes
		if len(axes) != 1 || axes[0].ID != "importance" {
			t.Fatalf("axes: %+v", axes)
		}
		var ids []string
		for _, l := range axes[0].Levels {
			ids = append(ids, l.ID)
		}
		if !slices.Equal(ids, []string{"A", "B", "C"}) {
			t.Fatalf("levels %v, want A B C", ids)
		}
		a, b, c := axes[0].Levels[0], axes[0].Levels[1], axes[0].Levels[2]
		if !(a.Rank > b.Rank && b.Rank > c.Rank) {
			t.Errorf("ranks A %d B %d C %d not descending", a.Rank, b.Rank, c.Rank)
		}
		if a.Definition != "個人情報及び業務上特に高度の秘密に属する情報" || b.Definition != "対外的に秘密保持を要する情報" {
			t.Errorf("definitions A %q B %q", a.Definition, b.Definition)
		}
		// A and B are 重要情報 (第10条第3項): taking out is forbidden save by exception; C has no such restriction.
		hasTakeOut := func(l policy.Level) bool {
			for _, h := range l.Handling {
				if strings.Contains(h, "持ち出しをしてはならない") {
					return true
				}
			}
			return false
		}
		if !hasTakeOut(a) || !hasTakeOut(b) || hasTakeOut(c) {
			t.Errorf("take-out restriction should be on A and B only")
		}
	})

	t.Run("holders of roles", func(t *testing.T) {
		if r := role("cio"); r.HeldBy != "副町長" || r.Scope != "organization" || !slices.Equal(r.Acting, []string{"network_admin"}) {
			t.Errorf("cio: %q %q acting %v", r.HeldBy, r.Scope, r.Acting)
		}
		if r := role("network_admin"); r.HeldBy != "教育次長又は参事" {
			t.Errorf("network_admin held by %q", r.HeldBy)
		}
		r := role("security_manager")
		if r.HeldBy != "教育次長又は参事及び各校の学校長の職にある者" || r.Scope != "department" {
			t.Errorf("security_manager: %q scope %q", r.HeldBy, r.Scope)
		}
		if r := role("network_staff"); r.Scope != "department" {
			t.Errorf("network_staff scope %q", r.Scope)
		}
	})

	t.Run("form 2 is the software install request", func(t *testing.T) {
		a := approval("software_install")
		if a.Form != "様式第2号" || a.FormTitle != "ソフトウェアインストール許可申請書" {
			t.Errorf("form %q title %q", a.Form, a.FormTitle)
		}
		if !slices.Equal(stepRoles(a), []string{"security_manager", "network_admin"}) {
			t.Errorf("steps %v", stepRoles(a))
		}
	})

	t.Run("form 1 is the manager's report after permitting, not the staff member's request", func(t *testing.T) {
		// 第15条第2項 gives the request no form; 第3項: 「情報セキュリティ管理者は、
		// 個人所有機器業務使用報告書(様式第1号)により情報ネットワーク管理者に報告しなければならない」.
		a := approval("personal_device")
		if a.Form != "" || a.FormTitle != "" {
			t.Errorf("the request presents form %q %q; 第15条第2項 gives it none", a.Form, a.FormTitle)
		}
		if a.Cite.Article != "第15条第2項" {
			t.Errorf("the request cites %q", a.Cite.Article)
		}
		if len(a.NotifyAfter) != 1 {
			t.Fatalf("reports after permitting: %+v", a.NotifyAfter)
		}
		n := a.NotifyAfter[0]
		if n.Role != "network_admin" || n.Of != "organization" || n.Form != "様式第1号" ||
			n.FormTitle != "個人所有機器業務使用報告書" || n.Cite.Article != "第15条第3項" {
			t.Errorf("report after permitting %+v", n)
		}
		if got := stepRoles(a); !slices.Equal(got, []string{"security_manager"}) {
			t.Errorf("personal_device steps %v: the 情報セキュリティ管理者 permits and so reports", got)
		}
		for _, x := range p.Approvals {
			if x.Form == "様式第1号" {
				t.Errorf("approval %s presents 様式第1号 as its request form", x.ID)
			}
		}
	})

	t.Run("numbered approval forms 3 6", func(t *testing.T) {
		want := map[string][2]string{
			"terminal_change": {"様式第3号", "端末環境変更許可申請書"},
			"lan_connection":  {"様式第6号", "校内LAN機器接続許可申請書"},
		}
		for id, w := range want {
			a := approval(id)
			if a.Form != w[0] || a.FormTitle != w[1] {
				t.Errorf("%s: form %q title %q, want %v", id, a.Form, a.FormTitle, w)
			}
		}
		if got := stepRoles(approval("lan_connection")); !slices.Equal(got, []string{"network_admin"}) {
			t.Errorf("lan_connection steps %v", got)
		}
		// 第18条第2項: only 設定の変更 and 周辺機器の増設 may be allowed, not 端末の改造.
		for _, f := range approval("terminal_change").Fields {
			if f.ID == "change_type" && !slices.Equal(f.Values, []string{"設定の変更", "周辺機器の増設"}) {
				t.Errorf("terminal_change types %v", f.Values)
			}
		}
	})

	t.Run("external connection needs cio and network admin", func(t *testing.T) {
		got := stepRoles(approval("external_connection"))
		if !slices.Contains(got, "cio") || !slices.Contains(got, "network_admin") || len(got) != 2 {
			t.Errorf("steps %v", got)
		}
	})

	t.Run("room access log form 4", func(t *testing.T) {
		l := logbook("room_access")
		if l.Name != "入退室管理簿" || l.Form != "様式第4号" {
			t.Errorf("name %q form %q", l.Name, l.Form)
		}
		if got := fieldNames(l.Fields); !slices.Equal(got, []string{"入退日時", "入退者", "入退理由", "作業内容"}) {
			t.Errorf("fields %v", got)
		}
	})

	t.Run("media handling log form 5", func(t *testing.T) {
		l := logbook("media_log")
		if l.Name != "記録媒体処理簿" || l.Form != "様式第5号" {
			t.Errorf("name %q form %q", l.Name, l.Form)
		}
		var actions []string
		for _, f := range l.Fields {
			if f.ID == "action" {
				actions = f.Values
			}
		}
		if !slices.Equal(actions, []string{"廃棄", "持ち出し", "送付"}) {
			t.Errorf("actions %v", actions)
		}
		if got := stepRoles(approval("media_disposal")); !slices.Equal(got, []string{"security_manager", "network_admin"}) {
			t.Errorf("media_disposal steps %v", got)
		}
	})

	t.Run("fault record items of article 37", func(t *testing.T) {
		l := logbook("fault_record")
		want := []string{"障害の発見の日時", "障害の発生の日時", "障害の発生箇所", "障害の種別", "障害の内容", "障害の原因", "被害の範囲", "障害の対応内容", "復旧の日時", "再発防止の手順"}
		if got := fieldNames(l.Fields); !slices.Equal(got, want) {
			t.Errorf("fields %v", got)
		}
		for _, f := range l.Fields {
			if f.ID == "type" && !slices.Equal(f.Values, []string{"ハードウェア障害", "ソフトウェア障害", "その他"}) {
				t.Errorf("fault types %v", f.Values)
			}
		}
	})

	t.Run("incident report items of form 7", func(t *testing.T) {
		got := fieldNames(p.Incident.ReportItems)
		want := []string{"事案の発生時間", "発生箇所", "発生内容", "想定される原因", "被害の範囲"}
		if !slices.Equal(got, want) {
			t.Errorf("report items %v, want %v", got, want)
		}
		if !strings.Contains(p.Incident.Cite.Quote, "様式第7号") {
			t.Errorf("incident cite %q does not name 様式第7号", p.Incident.Cite.Quote)
		}
	})

	t.Run("incident route of article 56", func(t *testing.T) {
		var route *policy.Route
		for i := range p.Incident.Routes {
			if p.Incident.Routes[i].ID == "incident" {
				route = &p.Incident.Routes[i]
			}
		}
		if route == nil {
			t.Fatal("route incident missing")
		}
		var chain []string
		for _, s := range route.Steps {
			chain = append(chain, s.From+">"+s.To[0])
		}
		want := []string{"finder>security_manager", "security_manager>network_admin", "network_admin>cio", "cio>agencies"}
		if !slices.Equal(chain, want) {
			t.Errorf("chain %v", chain)
		}
		if route.Steps[0].Within != "直ちに" {
			t.Errorf("first report within %q", route.Steps[0].Within)
		}
		if got := stepRoles(approval("recurrence_prevention")); !slices.Equal(got, []string{"network_admin", "cio"}) {
			t.Errorf("recurrence_prevention steps %v", got)
		}
	})

	t.Run("eleven contract clauses", func(t *testing.T) {
		if len(p.Clauses) != 11 {
			t.Fatalf("%d clauses, want 11", len(p.Clauses))
		}
		if p.Clauses[10].Text != "契約に違反した場合における損害賠償に関する事項" {
			t.Errorf("clause 11: %q", p.Clauses[10].Text)
		}
	})

	t.Run("eight checks for servers outside the server room", func(t *testing.T) {
		var checks []string
		for _, r := range p.Rules {
			if strings.HasPrefix(r.ID, "site-") && r.ID != "site-approved" {
				checks = append(checks, r.ID)
			}
		}
		if len(checks) != 8 {
			t.Fatalf("%d site checks %v, want 8", len(checks), checks)
		}
		var boolFields int
		for _, f := range approval("server_outside_room").Fields {
			if f.Type == "bool" {
				boolFields++
			}
		}
		if boolFields != 8 {
			t.Errorf("server_outside_room has %d check fields, want 8", boolFields)
		}
		if got := stepRoles(approval("server_outside_room")); !slices.Equal(got, []string{"cio"}) {
			t.Errorf("server_outside_room steps %v", got)
		}

		outside := policy.AssetRecord{Kind: "server", Class: importance("C", 1), Attrs: map[string]any{}}
		inside := policy.AssetRecord{Kind: "server", Zone: policy.LevelRef{ID: "server_room", Rank: 1}, Class: importance("C", 1)}
		if !eval(t, p.RuleWhen["site-4-access"], outside) {
			t.Error("site-4-access should apply to a server outside the 電算室")
		}
		if eval(t, p.RuleWhen["site-4-access"], inside) {
			t.Error("site-4-access should not apply to a server in the 電算室")
		}
		if eval(t, p.RuleRequire["site-4-access"], outside) {
			t.Error("site-4-access should fail without the check")
		}
		outside.Attrs["site_access_restricted"] = true
		if !eval(t, p.RuleRequire["site-4-access"], outside) {
			t.Error("site-4-access should pass with the check")
		}
		// (5) only where 重要情報 is held; (8) only where a network is used.
		if eval(t, p.RuleWhen["site-5-leak"], outside) {
			t.Error("site-5-leak should not apply to class C")
		}
		outside.Class = importance("A", 3)
		if !eval(t, p.RuleWhen["site-5-leak"], outside) {
			t.Error("site-5-leak should apply to class A")
		}
		if eval(t, p.RuleWhen["site-8-network"], outside) {
			t.Error("site-8-network should not apply without network use")
		}
		outside.Attrs["uses_network"] = true
		if !eval(t, p.RuleWhen["site-8-network"], outside) {
			t.Error("site-8-network should apply with network use")
		}
		if !eval(t, p.ApprovalWhen["server_outside_room"], outside) || eval(t, p.ApprovalWhen["server_outside_room"], inside) {
			t.Error("server_outside_room condition wrong")
		}
	})

	t.Run("personal device must not join school LAN", func(t *testing.T) {
		rec := policy.AssetRecord{Kind: "terminal", Class: importance("C", 1), Attrs: map[string]any{"personal_owned": true, "school_lan": true}}
		if !eval(t, p.RuleWhen["personal-device-not-on-lan"], rec) || eval(t, p.RuleRequire["personal-device-not-on-lan"], rec) {
			t.Error("personal terminal on the school LAN should be a finding")
		}
		rec.Attrs["school_lan"] = false
		if !eval(t, p.RuleRequire["personal-device-not-on-lan"], rec) {
			t.Error("personal terminal off the school LAN should pass")
		}
	})

	t.Run("take-out approval for important information only", func(t *testing.T) {
		prg := p.ApprovalWhen["important_take_out"]
		if !eval(t, prg, policy.AssetRecord{Kind: "media", Class: importance("B", 2)}) {
			t.Error("class B should need approval")
		}
		if eval(t, prg, policy.AssetRecord{Kind: "media", Class: importance("C", 1)}) {
			t.Error("class C should not need approval")
		}
	})

	t.Run("no lockout number in the source", func(t *testing.T) {
		if p.Auth.LockoutAfterFailures != 0 || p.Auth.PasswordMinLength != 0 {
			t.Errorf("auth states numbers the source does not give: %+v", p.Auth)
		}
	})
}

// TestAbiraKyoikuDuties checks the 定期業務 of the 安平町教育委員会 pack: which role duties recur,
// how often, what closes them, and that every interval the 要綱 does not state is marked as the
// board's setting. The 要綱 names no interval of its own (第38条 and 第58条 say 定期的に, the
// others say nothing or 必要に応じて), so every one is origin: added.
func TestAbiraKyoikuDuties(t *testing.T) {
	p := loadPack(t, "abira-kyoiku")

	type duty struct {
		policy.Duty
		role string
	}
	recurring := map[string]duty{}
	for _, r := range p.Roles {
		for _, d := range r.Duties {
			if d.Recurs() {
				recurring[d.ID] = duty{d, r.ID}
			}
		}
	}

	want := []struct {
		id, role, article, every string
		month                    int
		evidence                 string
	}{
		{"network-audit", "network_admin", "第58条", "year", 12, "file"},
		{"operation-inspection", "security_manager", "第59条", "year", 11, "file"},
		{"cio-review", "cio", "第60条", "year", 0, "file"},
		{"backup", "security_manager", "第38条", "month", 0, "note"},
		{"virus-check-status", "security_manager", "第47条", "quarter", 0, "checklist"},
		{"user-id-review", "network_admin", "第34条", "year", 5, "checklist"},
		{"security-information-collection", "network_admin", "第55条", "month", 0, "note"},
		{"staff-briefing", "security_manager", "第21条第2項", "year", 5, "note"},
		{"cio-awareness", "cio", "第21条第1項", "year", 0, "file"},
		{"cio-emergency-plan-update", "cio", "第56条第2項", "year", 5, "file"},
		{"contractor-survey", "security_manager", "第54条", "year", 0, "note"},
		{"password-change", "staff", "第13条(5)", "year", 0, "note"},
	}
	t.Run("the recurring duties, their roles, intervals and evidence", func(t *testing.T) {
		if len(recurring) != len(want) {
			var ids []string
			for id := range recurring {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			t.Errorf("%d recurring duties %v, want %d", len(recurring), ids, len(want))
		}
		for _, w := range want {
			d, ok := recurring[w.id]
			switch {
			case !ok:
				t.Errorf("duty %s does not recur", w.id)
			case d.role != w.role:
				t.Errorf("duty %s belongs to %s, want %s", w.id, d.role, w.role)
			case !strings.HasPrefix(d.Cite.Article, w.article):
				t.Errorf("duty %s cites %q, want %s", w.id, d.Cite.Article, w.article)
			case d.Every != w.every || d.Month != w.month || d.Evidence != w.evidence:
				t.Errorf("duty %s: every %s month %d evidence %s, want %s %d %s", w.id, d.Every, d.Month, d.Evidence, w.every, w.month, w.evidence)
			}
		}
	})

	t.Run("no interval is presented as the 要綱's own", func(t *testing.T) {
		for id, d := range recurring {
			if !d.EveryCite.Added() || d.EveryCite.Reason == "" {
				t.Errorf("duty %s: interval cite %+v; the 要綱 states no interval, so it is the board's setting", id, d.EveryCite)
			}
			if !strings.HasPrefix(d.EveryCite.Article, strings.SplitN(d.Cite.Article, "条", 2)[0]) {
				t.Errorf("duty %s: interval rests on %q, the duty on %q", id, d.EveryCite.Article, d.Cite.Article)
			}
		}
		// Where the 要綱 says 定期的に, the interval cite quotes it.
		for id, words := range map[string]string{
			"network-audit":   "定期的に",
			"backup":          "日次、週次、月次",
			"password-change": "定期的に変更",
		} {
			if q := recurring[id].EveryCite.Quote; !strings.Contains(q, words) {
				t.Errorf("duty %s: interval quote %q does not carry the 要綱's %q", id, q, words)
			}
		}
	})

	t.Run("interval quotations are the 要綱's words", func(t *testing.T) {
		src := seedText(t, p.Source)
		for id, d := range recurring {
			if q := d.EveryCite.Quote; q != "" && !strings.Contains(src, normalized(q)) {
				t.Errorf("duty %s: interval quotation not in the source: %q", id, q)
			}
		}
	})

	t.Run("checklists name what 第47条 and 第33条・第34条 require", func(t *testing.T) {
		virus := recurring["virus-check-status"].Checklist
		if len(virus) != 3 || !strings.Contains(virus[0], "サーバ等") || !strings.Contains(virus[1], "端末") || !strings.Contains(virus[2], "パターンファイル") {
			t.Errorf("virus check checklist = %q, want servers, terminals and pattern files (第47条(2)(3))", virus)
		}
		ids := strings.Join(recurring["user-id-review"].Checklist, "\n")
		for _, w := range []string{"異動", "退職者", "管理者権限"} {
			if !strings.Contains(ids, w) {
				t.Errorf("user ID review checklist lacks %s: %q", w, ids)
			}
		}
	})

	t.Run("inspection and audit fall due before the yearly evaluation of 第60条", func(t *testing.T) {
		// Months in fiscal order (April first); 0 is March, the year's end.
		fiscal := func(m int) int {
			if m == 0 {
				m = 3
			}
			return (m + 8) % 12
		}
		insp, audit, review := recurring["operation-inspection"], recurring["network-audit"], recurring["cio-review"]
		if !(fiscal(insp.Month) < fiscal(audit.Month) && fiscal(audit.Month) < fiscal(review.Month)) {
			t.Errorf("点検 month %d, 調査又は監査 month %d, 評価 month %d: 第60条 evaluates their results", insp.Month, audit.Month, review.Month)
		}
	})

	t.Run("duties the 要綱 leaves to need stay responsibilities", func(t *testing.T) {
		// 第35条 アクセス記録, 第36条 作業記録, 第37条 障害記録 and 第39条 監視 are done 必要に応じて
		// or as events occur: no task is made for them.
		for _, r := range p.Roles {
			for _, d := range r.Duties {
				for _, a := range []string{"第35条", "第36条", "第37条", "第39条", "第56条第3項"} {
					if d.Cite.Article == a && d.Recurs() {
						t.Errorf("%s duty %s (%s) recurs", r.ID, d.ID, a)
					}
				}
			}
		}
	})
}
