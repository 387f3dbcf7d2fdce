package packs

import (
	"slices"
	"strings"
	"testing"

	"mamori/internal/policy"
)

// TestKishiwada checks the 岸和田市 pack (第２章 情報セキュリティ対策基準) against facts of its source.
func TestKishiwada(t *testing.T) {
	p := loadPack(t, "kishiwada")

	role := func(t *testing.T, id string) policy.Role { return roleOf(t, p, id) }
	approval := func(t *testing.T, id string) policy.Approval { return approvalOf(t, p, id) }
	contact := func(t *testing.T, id string) policy.Contact { return contactOf(t, p, id) }
	eval := func(t *testing.T, prg *policy.Program, rec policy.AssetRecord) bool {
		t.Helper()
		if prg == nil {
			t.Fatal("program missing")
		}
		ok, err := prg.Eval(rec)
		if err != nil {
			t.Fatalf("eval %q: %v", prg.Source, err)
		}
		return ok
	}
	imp := func(id string, rank int64) map[string]policy.LevelRef {
		return map[string]policy.LevelRef{"importance": {ID: id, Rank: rank}}
	}
	zone := func(id string, rank int64) policy.LevelRef { return policy.LevelRef{ID: id, Rank: rank} }

	t.Run("source and kind", func(t *testing.T) {
		if p.Source != "003_c7401669bb30ea29.txt" || p.Kind != "municipality" || p.Organization != "岸和田市" {
			t.Errorf("source %q kind %q organization %q", p.Source, p.Kind, p.Organization)
		}
	})

	t.Run("表1 holders", func(t *testing.T) {
		want := map[string]string{
			"ciso":             "総務部を担任する副市長",
			"ciso_assistant":   "総務部ＩＴ推進課長",
			"network_admin":    "総務部ＩＴ推進課長",
			"security_manager": "所属長（全課長）",
			"security_officer": "情報セキュリティ責任者が指名した者",
			"system_admin":     "各情報システム所管課長",
			"system_officer":   "情報システム管理者が指名した者",
		}
		for id, held := range want {
			if got := role(t, id).HeldBy; got != held {
				t.Errorf("%s held by %q, want %q", id, got, held)
			}
		}
		if s := role(t, "security_manager").Scope; s != "department" {
			t.Errorf("情報セキュリティ責任者 scope %q, want department", s)
		}
	})

	t.Run("表2 vice chair acts for the chair", func(t *testing.T) {
		if got := role(t, "committee_chair").Acting; !slices.Equal(got, []string{"committee_vice_chair"}) {
			t.Errorf("committee_chair acting %v", got)
		}
		if got := role(t, "committee_vice_chair").HeldBy; got != "総務部長" {
			t.Errorf("副委員長 held by %q", got)
		}
	})

	t.Run("表3 CSIRT roles", func(t *testing.T) {
		want := map[string]string{
			"csirt_lead":       "総務部ＩＴ推進課長（ＣＩＳＯ補佐）",
			"incident_handler": "総務部ＩＴ推進課担当長",
			"csirt_member":     "総務部ＩＴ推進課職員",
			"csirt_finance":    "財政担当者",
			"csirt_legal":      "法務担当者",
			"csirt_pr":         "広報担当者",
		}
		for id, held := range want {
			if got := role(t, id).HeldBy; got != held {
				t.Errorf("%s held by %q, want %q", id, got, held)
			}
		}
	})

	t.Run("three levels A B C", func(t *testing.T) {
		if len(p.Classification.Axes) != 1 || p.Classification.Axes[0].ID != "importance" {
			t.Fatalf("axes %+v", p.Classification.Axes)
		}
		var ids []string
		ranks := map[string]int{}
		for _, l := range p.Classification.Axes[0].Levels {
			ids = append(ids, l.ID)
			ranks[l.ID] = l.Rank
		}
		if !slices.Equal(ids, []string{"A", "B", "C"}) {
			t.Errorf("levels %v, want A B C", ids)
		}
		if !(ranks["A"] > ranks["B"] && ranks["B"] > ranks["C"]) {
			t.Errorf("ranks %v: A must be the most sensitive", ranks)
		}
	})

	t.Run("five zones L0-L4", func(t *testing.T) {
		if len(p.Zones) != 5 {
			t.Fatalf("%d zones, want 5", len(p.Zones))
		}
		byID := map[string]policy.Zone{}
		for _, z := range p.Zones {
			byID[z.ID] = z
		}
		for i, id := range []string{"L0", "L1", "L2", "L3", "L4"} {
			if z, ok := byID[id]; !ok || z.Rank != i {
				t.Errorf("zone %s missing or rank %d, want %d", id, z.Rank, i)
			}
		}
		if got := byID["L3"].Store; !slices.Equal(got, []string{"importance:A"}) {
			t.Errorf("L3 store %v, want importance:A", got)
		}
		if got := byID["L2"].Use; !slices.Equal(got, []string{"importance:A"}) {
			t.Errorf("L2 use %v", got)
		}
		if got := byID["L2"].Store; !slices.Equal(got, []string{"importance:B"}) {
			t.Errorf("L2 store %v", got)
		}
		if got := byID["L1"].Store; !slices.Equal(got, []string{"importance:C"}) {
			t.Errorf("L1 store %v", got)
		}
		if len(byID["L0"].Use)+len(byID["L0"].Store) != 0 {
			t.Errorf("L0 (該当なし) holds classes: %v %v", byID["L0"].Use, byID["L0"].Store)
		}
	})

	t.Run("zone storage rule for importance A medium", func(t *testing.T) {
		rec := policy.AssetRecord{Kind: "media", Class: imp("A", 3), Zone: zone("L2", 2)}
		if !eval(t, p.RuleWhen["zone-store-importance-a"], rec) {
			t.Fatal("rule does not apply to an importance-A medium")
		}
		if eval(t, p.RuleRequire["zone-store-importance-a"], rec) {
			t.Error("importance-A medium stored in L2 passes; 表5 says L3")
		}
		rec.Zone = zone("L3", 3)
		if !eval(t, p.RuleRequire["zone-store-importance-a"], rec) {
			t.Error("importance-A medium stored in L3 fails")
		}
	})

	t.Run("anti-theft wire counts as L2 for importance B", func(t *testing.T) {
		rec := policy.AssetRecord{Kind: "terminal", Class: imp("B", 2), Zone: zone("L1", 1), Attrs: map[string]any{}}
		if eval(t, p.RuleRequire["zone-store-importance-b"], rec) {
			t.Error("importance-B PC in L1 without wire passes")
		}
		rec.Attrs["anti_theft_wire"] = true
		if !eval(t, p.RuleRequire["zone-store-importance-b"], rec) {
			t.Error("importance-B PC in L1 with a wire fails")
		}
	})

	t.Run("mynumber storage physically destroyed at disposal", func(t *testing.T) {
		rec := policy.AssetRecord{Kind: "terminal", Segment: "mynumber", Attrs: map[string]any{"disposal_method": "unrecoverable_erasure"}}
		if !eval(t, p.RuleWhen["mynumber-physical-destruction"], rec) {
			t.Fatal("rule does not apply to a disposed mynumber terminal")
		}
		if eval(t, p.RuleRequire["mynumber-physical-destruction"], rec) {
			t.Error("erasure alone passes for a mynumber device")
		}
		rec.Attrs["disposal_method"] = "physical_destruction"
		if !eval(t, p.RuleRequire["mynumber-physical-destruction"], rec) {
			t.Error("physical destruction fails")
		}
		lg := policy.AssetRecord{Kind: "terminal", Segment: "lgwan", Attrs: map[string]any{"disposal_method": "unrecoverable_erasure"}}
		if eval(t, p.RuleWhen["mynumber-physical-destruction"], lg) {
			t.Error("rule applies outside the mynumber segment")
		}
	})

	t.Run("lockout after 3 failures", func(t *testing.T) {
		if p.Auth.LockoutAfterFailures != 3 {
			t.Errorf("lockout %d, want 3", p.Auth.LockoutAfterFailures)
		}
		if p.Auth.Cite.Article != "第2章 5(7)⑥" {
			t.Errorf("auth cites %q", p.Auth.Cite.Article)
		}
		rec := policy.AssetRecord{Kind: "system", Attrs: map[string]any{"lockout_threshold": int64(5)}}
		if eval(t, p.RuleRequire["login-lockout"], rec) {
			t.Error("a system locking after 5 failures passes")
		}
		rec.Attrs["lockout_threshold"] = int64(3)
		if !eval(t, p.RuleRequire["login-lockout"], rec) {
			t.Error("a system locking after 3 failures fails")
		}
	})

	t.Run("5(10)④ access record items", func(t *testing.T) {
		var ids []string
		for _, l := range p.Logbooks {
			if l.ID == "access_record" {
				for _, f := range l.Fields {
					ids = append(ids, f.ID)
				}
			}
		}
		want := []string{"user_id", "login_at", "logout_at", "terminal", "system_access_result", "resource_access_result"}
		if !slices.Equal(ids, want) {
			t.Errorf("access record fields %v, want %v", ids, want)
		}
	})

	t.Run("8-step flow ends at 大阪府 総務省 NISC", func(t *testing.T) {
		var flow *policy.Route
		for i := range p.Incident.Routes {
			if p.Incident.Routes[i].ID == "flow" {
				flow = &p.Incident.Routes[i]
			}
		}
		if flow == nil {
			t.Fatal("route flow missing")
		}
		if len(flow.Steps) != 8 {
			t.Fatalf("%d steps, want 8 (図2 ①–⑧)", len(flow.Steps))
		}
		if first := flow.Steps[0]; first.Within != "直ちに" || !slices.Contains(first.To, "csirt") || !slices.Contains(first.To, "security_manager") {
			t.Errorf("step ① %+v", first)
		}
		last := flow.Steps[7]
		if last.From != "csirt" {
			t.Errorf("step ⑧ from %q, want csirt", last.From)
		}
		orgs := map[string]bool{}
		for _, to := range last.To {
			if c := contact(t, to); c.External {
				orgs[c.Organization] = true
			}
		}
		for _, want := range []string{"大阪府", "総務省", "内閣官房内閣サイバーセキュリティセンター（NISC）"} {
			if !orgs[want] {
				t.Errorf("step ⑧ does not reach %s (reaches %v)", want, orgs)
			}
		}
		if len(orgs) != 3 {
			t.Errorf("step ⑧ reaches %d external bodies, want 3", len(orgs))
		}
		if c := contact(t, "csirt"); c.Role != "csirt_lead" {
			t.Errorf("csirt contact role %q", c.Role)
		}
	})

	t.Run("take-out approval applies to class C", func(t *testing.T) {
		a := approval(t, "take_out")
		if a.Cite.Article != "第2章 4(1)⑦" {
			t.Errorf("take_out cites %q", a.Cite.Article)
		}
		if len(a.Steps) != 1 || a.Steps[0].Role != "security_manager" {
			t.Errorf("take_out steps %+v, want 情報セキュリティ責任者", a.Steps)
		}
		if a.When != "" {
			rec := policy.AssetRecord{Kind: "document", Class: imp("C", 1)}
			if !eval(t, p.ApprovalWhen["take_out"], rec) {
				t.Errorf("take_out not needed for class C: when %q", a.When)
			}
		}
	})

	t.Run("external service approvals by ネットワーク管理者", func(t *testing.T) {
		for _, id := range []string{"external_service_existing_system", "external_service_non_system"} {
			a := approval(t, id)
			if len(a.Steps) != 1 || a.Steps[0].Role != "network_admin" {
				t.Errorf("%s steps %+v", id, a.Steps)
			}
		}
		b := policy.AssetRecord{Kind: "information", Class: imp("B", 2)}
		c := policy.AssetRecord{Kind: "information", Class: imp("C", 1)}
		if !eval(t, p.ApprovalWhen["external_service_non_system"], b) || eval(t, p.ApprovalWhen["external_service_non_system"], c) {
			t.Error("external_service_non_system must apply from importance B up only")
		}
		if a := approval(t, "software_install"); a.Steps[0].Role != "system_admin" {
			t.Errorf("software_install approver %q, want system_admin", a.Steps[0].Role)
		}
	})

	t.Run("9 checks for external services of B or above", func(t *testing.T) {
		ids := []string{"es-security-measures", "es-no-secondary-use", "es-change-prevention", "es-availability",
			"es-incident-response", "es-performance-check", "es-audit-acceptance", "es-contract-terms", "es-disposal-at-end"}
		attrs := map[string]any{"external_service": true}
		rec := policy.AssetRecord{Kind: "system", Class: imp("B", 2), Attrs: attrs}
		for _, id := range ids {
			if !eval(t, p.RuleWhen[id], rec) {
				t.Errorf("%s does not apply to a B external service", id)
			}
			if eval(t, p.RuleRequire[id], rec) {
				t.Errorf("%s passes with nothing confirmed", id)
			}
		}
		low := policy.AssetRecord{Kind: "system", Class: imp("C", 1), Attrs: attrs}
		if eval(t, p.RuleWhen["es-availability"], low) {
			t.Error("9 applies to an importance-C service")
		}
		for _, a := range p.Attributes {
			if len(a.ID) > 3 && a.ID[:3] == "es_" {
				attrs[a.ID] = true
			}
		}
		for _, id := range ids {
			if !eval(t, p.RuleRequire[id], rec) {
				t.Errorf("%s fails with every item confirmed", id)
			}
		}
	})

	t.Run("contract clauses of 4(2)①", func(t *testing.T) {
		n := 0
		for _, c := range p.Clauses {
			if c.Cite.Article == "第2章 4(2)①" {
				n++
			}
		}
		if n != 8 {
			t.Errorf("%d clauses from 4(2)①, want 8", n)
		}
	})

	t.Run("four segments", func(t *testing.T) {
		var ids []string
		for _, s := range p.Segments {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, []string{"mynumber", "lgwan", "internet", "management"}) {
			t.Errorf("segments %v", ids)
		}
	})

	t.Run("mynumber MFA", func(t *testing.T) {
		rec := policy.AssetRecord{Kind: "system", Segment: "mynumber", Attrs: map[string]any{"mfa": false}}
		if eval(t, p.RuleRequire["mynumber-mfa"], rec) {
			t.Error("mynumber system without MFA passes")
		}
	})
}

// TestKishiwadaDuties checks the 定期業務 of the 岸和田市 pack: who does each, how often, what
// closes it, and that every interval is marked as the pack's own, since the source says only
// 定期的に, 必要に応じて or 常に and never how often.
func TestKishiwadaDuties(t *testing.T) {
	p := loadPack(t, "kishiwada")

	want := []struct {
		id, role, every, evidence, article string
	}{
		{"policy-training", "ciso", policy.EveryYear, policy.EvidenceChecklist, "第2章 4(4)①"},
		{"procedure-upkeep", "ciso_assistant", policy.EveryYear, policy.EvidenceFile, "第2章 1(2) 表1 項番2"},
		{"asset-register-review", "security_manager", policy.EveryYear, policy.EvidenceNote, "第2章 2(2)"},
		{"shared-id-password", "security_manager", policy.EveryYear, policy.EvidenceNote, "第2章 4(3)③"},
		{"network-access-rights-review", "network_admin", policy.EveryYear, policy.EvidenceChecklist, "第2章 5(6)⑥"},
		{"system-access-rights-review", "system_admin", policy.EveryYear, policy.EvidenceChecklist, "第2章 5(6)⑥"},
		{"network-monitoring-review", "network_admin", policy.EveryMonth, policy.EvidenceNote, "第2章 5(10)②③"},
		{"system-monitoring-review", "system_admin", policy.EveryMonth, policy.EvidenceLogbook, "第2章 5(10)②③"},
		{"network-log-analysis", "network_admin", policy.EveryMonth, policy.EvidenceNote, "第2章 7(2)⑥"},
		{"system-log-analysis", "system_admin", policy.EveryMonth, policy.EvidenceNote, "第2章 7(2)⑥"},
		{"network-malware-definitions", "network_admin", policy.EveryMonth, policy.EvidenceNote, "第2章 5(1)②"},
		{"system-malware-definitions", "system_admin", policy.EveryMonth, policy.EvidenceNote, "第2章 5(1)②"},
		{"system-backup", "system_admin", policy.EveryMonth, policy.EvidenceChecklist, "第2章 7(2)③"},
		{"security-audit", "committee", policy.EveryYear, policy.EvidenceFile, "第2章 11(2)①"},
		{"audit-report", "audit_chief", policy.EveryYear, policy.EvidenceFile, "第2章 11(2)①"},
		{"policy-effectiveness-review", "committee", policy.EveryYear, policy.EvidenceFile, "第2章 11(2)②"},
	}

	t.Run("who, how often, what closes it", func(t *testing.T) {
		for _, w := range want {
			d, ok := p.RecurringDuty(w.id)
			if !ok {
				t.Errorf("no recurring duty %s", w.id)
				continue
			}
			if d.Role != w.role || d.Every != w.every || d.Evidence != w.evidence || d.Cite.Article != w.article {
				t.Errorf("%s: role %s every %s evidence %s article %q; want %s %s %s %q",
					w.id, d.Role, d.Every, d.Evidence, d.Cite.Article, w.role, w.every, w.evidence, w.article)
			}
		}
		if got := len(p.RecurringDuties()); got != len(want) {
			t.Errorf("%d recurring duties, want %d", got, len(want))
		}
	})

	t.Run("the source sets no interval", func(t *testing.T) {
		for _, d := range p.RecurringDuties() {
			if !d.EveryCite.Added() || d.EveryCite.Reason == "" {
				t.Errorf("%s: every_cite %+v claims the source's interval; 岸和田市 gives none", d.ID, d.EveryCite)
			}
			if d.EveryCite.Article == "" || !strings.HasPrefix(d.Cite.Article, d.EveryCite.Article) {
				t.Errorf("%s: every_cite article %q is not the duty's own (%q)", d.ID, d.EveryCite.Article, d.Cite.Article)
			}
		}
	})

	t.Run("monitoring results close in the logbook of 5(10)②", func(t *testing.T) {
		d, _ := p.RecurringDuty("system-monitoring-review")
		if d.Logbook != "monitoring_record" {
			t.Fatalf("logbook %q, want monitoring_record", d.Logbook)
		}
		if kb := logbookOf(t, p, d.Logbook).KeptBy; kb != d.Role {
			t.Errorf("monitoring_record kept by %s, the duty is %s's", kb, d.Role)
		}
	})

	t.Run("4(4)① training covers its four subjects", func(t *testing.T) {
		d, _ := p.RecurringDuty("policy-training")
		wantItems := []string{
			"情報セキュリティポリシーの周知徹底",
			"関連法令等の理解",
			"関連する実施手順の理解（関連する部門対象者への教育）",
			"情報セキュリティ事故対策の教育訓練",
		}
		if !slices.Equal(d.Checklist, wantItems) {
			t.Errorf("checklist %v", d.Checklist)
		}
	})

	t.Run("duties the source leaves to need or occasion make no task", func(t *testing.T) {
		for _, id := range []string{"system_officer", "csirt_lead", "security_admin", "staff"} {
			for _, d := range roleOf(t, p, id).Duties {
				if d.Recurs() {
					t.Errorf("%s: %q recurs (%s), but the source gives it no cycle", id, d.Text, d.Every)
				}
			}
		}
		// 表1 項番1: the CISO convenes the committee 必要に応じて; 11(2)②: a review for a new
		// measure comes when the need does.
		for _, c := range []struct{ role, text string }{
			{"ciso", "行政ＤＸ推進委員会の委員長を務め"},
			{"committee", "新たに必要な対策が発生した場合"},
		} {
			found := false
			for _, d := range roleOf(t, p, c.role).Duties {
				if strings.HasPrefix(d.Text, c.text) {
					found = true
					if d.Recurs() {
						t.Errorf("%s: %q recurs", c.role, d.Text)
					}
				}
			}
			if !found {
				t.Errorf("%s: no duty %q…", c.role, c.text)
			}
		}
	})

	t.Run("interval and checklist quotations are in the source", func(t *testing.T) {
		text := seedText(t, p.Source)
		for _, d := range p.RecurringDuties() {
			if q := d.EveryCite.Quote; q != "" && !strings.Contains(text, normalized(q)) {
				t.Errorf("%s: every_cite quotation not in the source: %q", d.ID, q)
			}
		}
		d, _ := p.RecurringDuty("policy-training")
		for _, item := range d.Checklist {
			if !strings.Contains(text, normalized(item)) {
				t.Errorf("training subject not in 4(4)①: %q", item)
			}
		}
	})
}
