package packs

import (
	"strings"
	"testing"
	"time"

	"mamori/internal/policy"
)

// yamagataAsset builds an asset record with the three 山形県 axes set.
func yamagataAsset(kind, segment string, c, i, a int64, attrs map[string]any) policy.AssetRecord {
	if attrs == nil {
		attrs = map[string]any{}
	}
	lv := func(r int64) policy.LevelRef { return policy.LevelRef{ID: string(rune('0' + r)), Rank: r} }
	return policy.AssetRecord{
		Kind:    kind,
		Segment: segment,
		Class: map[string]policy.LevelRef{
			"confidentiality": lv(c),
			"integrity":       lv(i),
			"availability":    lv(a),
		},
		Attrs: attrs,
		Now:   time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
	}
}

func yamagataEval(t *testing.T, prg *policy.Program, rec policy.AssetRecord) bool {
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

func TestYamagata(t *testing.T) {
	p := loadPack(t, "yamagata")

	if p.Kind != "prefecture" || p.Organization != "山形県" || p.Source != "004_5e4ee6eede014913.txt" {
		t.Errorf("header: kind %q organization %q source %q", p.Kind, p.Organization, p.Source)
	}

	t.Run("three axes with 3/2/2 levels", func(t *testing.T) {
		want := []struct {
			id     string
			levels []string
		}{
			{"confidentiality", []string{"3", "2", "1"}},
			{"integrity", []string{"2", "1"}},
			{"availability", []string{"2", "1"}},
		}
		if len(p.Classification.Axes) != len(want) {
			t.Fatalf("axes: got %d, want 3", len(p.Classification.Axes))
		}
		for i, w := range want {
			a := p.Classification.Axes[i]
			if a.ID != w.id || len(a.Levels) != len(w.levels) {
				t.Errorf("axis %d: got %s with %d levels, want %s with %d", i, a.ID, len(a.Levels), w.id, len(w.levels))
				continue
			}
			for j, l := range a.Levels {
				if l.ID != w.levels[j] || l.Rank != len(w.levels)-j {
					t.Errorf("%s level %d: got id %q rank %d", a.ID, j, l.ID, l.Rank)
				}
			}
		}
	})

	t.Run("confidentiality 2 is not for immediate publication", func(t *testing.T) {
		a, _ := p.Axis("confidentiality")
		if a.Levels[1].Name != "機密性2" || a.Levels[1].Definition == "" || len(a.Levels[1].Handling) == 0 {
			t.Errorf("機密性2: %+v", a.Levels[1])
		}
		if len(a.Levels[2].Handling) != 0 {
			t.Errorf("機密性1 has handling restrictions: %v", a.Levels[2].Handling)
		}
	})

	t.Run("CISO is the vice-governor, acted for by the chief", func(t *testing.T) {
		r, ok := p.Role("ciso")
		if !ok || r.HeldBy != "副知事" {
			t.Fatalf("ciso: %+v", r)
		}
		if len(r.Acting) == 0 || r.Acting[0] != "chief" {
			t.Errorf("ciso acting: %v", r.Acting)
		}
		chief, _ := p.Role("chief")
		if chief.HeldBy != "みらい企画創造部長" {
			t.Errorf("chief held by %q", chief.HeldBy)
		}
	})

	t.Run("CSIRT roles held ex officio", func(t *testing.T) {
		for id, want := range map[string]string{
			"csirt_head":    "統括情報セキュリティ責任者",
			"csirt_deputy":  "副統括情報セキュリティ責任者",
			"csirt_manager": "情報主管課長",
		} {
			r, ok := p.Role(id)
			if !ok || r.HeldBy != want {
				t.Errorf("%s: held by %q, want %q", id, r.HeldBy, want)
			}
		}
	})

	approval := func(t *testing.T, id string) policy.Approval { return approvalOf(t, p, id) }

	t.Run("take-out needed for confidentiality 2 or integrity 2", func(t *testing.T) {
		a := approval(t, "take_out")
		if a.When != "asset.class.confidentiality.rank >= 2 || asset.class.integrity.rank >= 2" {
			t.Errorf("when: %q", a.When)
		}
		prg := p.ApprovalWhen["take_out"]
		if !yamagataEval(t, prg, yamagataAsset("media", "lgwan", 2, 1, 1, nil)) {
			t.Error("not required for 機密性2")
		}
		if !yamagataEval(t, prg, yamagataAsset("media", "lgwan", 1, 2, 1, nil)) {
			t.Error("not required for 完全性2")
		}
		if yamagataEval(t, prg, yamagataAsset("media", "lgwan", 1, 1, 1, nil)) {
			t.Error("required for 1/1/1")
		}
		if len(a.Steps) != 1 || a.Steps[0].Role != "security_manager" {
			t.Errorf("steps: %+v", a.Steps)
		}
	})

	t.Run("exception approved by the chief, after the fact in emergencies, and recorded", func(t *testing.T) {
		a := approval(t, "exception")
		if len(a.Steps) != 1 || a.Steps[0].Role != "chief" || !a.PostHoc {
			t.Errorf("exception: steps %+v post_hoc %v", a.Steps, a.PostHoc)
		}
		var rec *policy.Logbook
		for i := range p.Logbooks {
			if p.Logbooks[i].ID == "exception_record" {
				rec = &p.Logbooks[i]
			}
		}
		if rec == nil || rec.KeptBy != "chief" {
			t.Errorf("exception record: %+v", rec)
		}
	})

	t.Run("connections approved by the IT director", func(t *testing.T) {
		for _, id := range []string{"backbone_connect", "offsite_server", "external_network", "contractor_email"} {
			a := approval(t, id)
			if len(a.Steps) != 1 || a.Steps[0].Role != "it_director" {
				t.Errorf("%s: steps %+v", id, a.Steps)
			}
		}
		if n := len(p.Approvals); n != 12 {
			t.Errorf("approvals: got %d, want 12", n)
		}
	})

	t.Run("logbooks for lending and disposal", func(t *testing.T) {
		have := map[string]policy.Logbook{}
		for _, l := range p.Logbooks {
			have[l.ID] = l
		}
		for _, id := range []string{"lending", "disposal", "equipment_disposal", "room_access", "work_record", "fault_record", "incident_record", "exception_record"} {
			if _, ok := have[id]; !ok {
				t.Errorf("logbook %s missing", id)
			}
		}
		var names []string
		for _, f := range have["disposal"].Fields {
			names = append(names, f.Name)
		}
		want := map[string]bool{"日時": true, "担当者": true, "処理内容": true}
		for _, n := range names {
			delete(want, n)
		}
		if len(want) != 0 {
			t.Errorf("disposal record lacks %v (has %v)", want, names)
		}
	})

	t.Run("mirroring for integrity 2", func(t *testing.T) {
		when, req := p.RuleWhen["mirroring"], p.RuleRequire["mirroring"]
		bare := yamagataAsset("server", "lgwan", 1, 2, 1, nil)
		if !yamagataEval(t, when, bare) {
			t.Fatal("rule does not apply to a 完全性2 server")
		}
		if yamagataEval(t, req, bare) {
			t.Error("passes without mirroring")
		}
		if !yamagataEval(t, req, yamagataAsset("server", "lgwan", 1, 2, 1, map[string]any{"mirrored": true})) {
			t.Error("fails with mirroring")
		}
		if !yamagataEval(t, when, yamagataAsset("media", "lgwan", 1, 1, 2, nil)) {
			t.Error("rule does not apply to 可用性2 media")
		}
		if yamagataEval(t, when, yamagataAsset("server", "lgwan", 3, 1, 1, nil)) {
			t.Error("rule applies to a 1/1 integrity/availability server")
		}
	})

	t.Run("redundancy and maintenance for availability 2", func(t *testing.T) {
		srv := yamagataAsset("server", "lgwan", 1, 1, 2, nil)
		for _, id := range []string{"availability-redundancy", "availability-maintenance"} {
			if !yamagataEval(t, p.RuleWhen[id], srv) {
				t.Errorf("%s does not apply to a 可用性2 server", id)
			}
			if yamagataEval(t, p.RuleWhen[id], yamagataAsset("server", "lgwan", 1, 2, 1, nil)) {
				t.Errorf("%s applies to a 可用性1 server", id)
			}
		}
		if yamagataEval(t, p.RuleRequire["availability-redundancy"], srv) {
			t.Error("redundancy passes without the measure")
		}
		if !yamagataEval(t, p.RuleRequire["availability-maintenance"], yamagataAsset("server", "lgwan", 1, 1, 2, map[string]any{"periodic_maintenance": true})) {
			t.Error("maintenance fails when done")
		}
	})

	t.Run("MFA only for the mynumber segment", func(t *testing.T) {
		when, req := p.RuleWhen["mynumber-mfa"], p.RuleRequire["mynumber-mfa"]
		if !yamagataEval(t, when, yamagataAsset("terminal", "mynumber", 3, 2, 2, nil)) {
			t.Error("does not fire for mynumber")
		}
		for _, seg := range []string{"lgwan", "internet", ""} {
			if yamagataEval(t, when, yamagataAsset("terminal", seg, 3, 2, 2, nil)) {
				t.Errorf("fires for segment %q", seg)
			}
		}
		if yamagataEval(t, req, yamagataAsset("terminal", "mynumber", 3, 2, 2, nil)) {
			t.Error("passes without MFA")
		}
		if !yamagataEval(t, req, yamagataAsset("terminal", "mynumber", 3, 2, 2, map[string]any{"mfa": true})) {
			t.Error("fails with MFA")
		}
	})

	t.Run("no software past vendor support", func(t *testing.T) {
		req := p.RuleRequire["software-support"]
		if p.RuleWhen["software-support"] != nil {
			t.Error("support rule should apply to every asset")
		}
		now := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		if !yamagataEval(t, req, yamagataAsset("system", "lgwan", 1, 1, 1, nil)) {
			t.Error("fails without a support end date")
		}
		if yamagataEval(t, req, yamagataAsset("system", "lgwan", 1, 1, 1, map[string]any{"support_end": now.AddDate(0, -1, 0)})) {
			t.Error("passes past the end of support")
		}
		if !yamagataEval(t, req, yamagataAsset("system", "lgwan", 1, 1, 1, map[string]any{"support_end": now.AddDate(1, 0, 0)})) {
			t.Error("fails while supported")
		}
		cover := p.RuleRequire["software-support-covers-use"]
		if yamagataEval(t, cover, yamagataAsset("system", "lgwan", 1, 1, 1, map[string]any{"support_end": now.AddDate(1, 0, 0), "planned_use_end": now.AddDate(2, 0, 0)})) {
			t.Error("passes when support ends within the planned use")
		}
	})

	t.Run("13 contract clauses", func(t *testing.T) {
		if n := len(p.Clauses); n != 13 {
			t.Fatalf("clauses: got %d, want 13", n)
		}
		if p.Clauses[12].Cite.Article != "10.1(2)⑬" || p.Clauses[0].Cite.Article != "10.1(2)①" {
			t.Errorf("clause articles: %s … %s", p.Clauses[0].Cite.Article, p.Clauses[12].Cite.Article)
		}
	})

	t.Run("publication through the press officer of the department", func(t *testing.T) {
		pub := p.Incident.Publication
		if pub == nil || pub.Cite.Article != "6.6(2)②" {
			t.Fatalf("publication: %+v", pub)
		}
		var route *policy.Route
		for i := range p.Incident.Routes {
			if p.Incident.Routes[i].ID == "publication" {
				route = &p.Incident.Routes[i]
			}
		}
		if route == nil || len(route.Steps) != 3 ||
			route.Steps[0].From != "deputy_chief" || route.Steps[0].To[0] != "press_officer" ||
			route.Steps[1].From != "press_officer" || route.Steps[2].To[0] != "chief" {
			t.Errorf("publication route: %+v", route)
		}
	})

	t.Run("incident report chain starts at the security manager", func(t *testing.T) {
		var route *policy.Route
		for i := range p.Incident.Routes {
			if p.Incident.Routes[i].ID == "report" {
				route = &p.Incident.Routes[i]
			}
		}
		if route == nil {
			t.Fatal("report route missing")
		}
		first, last := route.Steps[0], route.Steps[len(route.Steps)-1]
		if first.From != "staff" || first.To[0] != "security_manager" || first.Within != "速やかに" {
			t.Errorf("first step: %+v", first)
		}
		if last.From != "chief" || last.To[0] != "ciso" {
			t.Errorf("last step: %+v", last)
		}
	})

	t.Run("three threat classes, no lockout number", func(t *testing.T) {
		if len(p.Threats) != 3 {
			t.Errorf("threats: %d", len(p.Threats))
		}
		if p.Auth.LockoutAfterFailures != 0 || p.Auth.PasswordMinLength != 0 {
			t.Errorf("auth states numbers the text does not give: %+v", p.Auth)
		}
	})

	t.Run("three network segments", func(t *testing.T) {
		var ids []string
		for _, s := range p.Segments {
			ids = append(ids, s.ID)
		}
		if len(ids) != 3 || ids[0] != "mynumber" || ids[1] != "lgwan" || ids[2] != "internet" {
			t.Errorf("segments: %v", ids)
		}
	})
}

// TestYamagataDuties checks the 定期業務 of the 山形県 pack: who does each, how often, what
// closes it, and that every interval is marked as the pack's own, since the 対策基準 says only
// 定期的に, 定期, 必要に応じて or 必要があると認めた場合 and never how often.
func TestYamagataDuties(t *testing.T) {
	p := loadPack(t, "yamagata")

	want := []struct {
		id, role, every, evidence, article string
		month                              int
	}{
		{"policy-review", "headquarters", policy.EveryYear, policy.EvidenceFile, "13.3", 0},
		{"training-plan", "chief", policy.EveryYear, policy.EvidenceFile, "6.5(1)", 0},
		{"staff-compliance-check", "security_manager", policy.EveryHalf, policy.EvidenceNote, "8.2(1)①", 0},
		{"department-self-inspection", "security_manager", policy.EveryYear, policy.EvidenceFile, "13.2(1)①③", 12},
		{"system-self-inspection", "system_manager", policy.EveryYear, policy.EvidenceFile, "13.2(1)②③", 12},
		{"server-maintenance", "system_manager", policy.EveryYear, policy.EvidenceFile, "5.1(5)①", 0},
		{"offsite-equipment-check", "system_manager", policy.EveryYear, policy.EvidenceNote, "5.1(6)", 0},
		{"server-backup", "system_manager", policy.EveryMonth, policy.EvidenceNote, "7.1(1)①", 0},
		{"log-review", "system_manager", policy.EveryMonth, policy.EvidenceNote, "7.1(1)⑦", 0},
		{"login-password-change", "system_manager", policy.EveryYear, policy.EvidenceNote, "7.7(1)⑦", 0},
		{"malware-full-scan", "system_manager", policy.EveryMonth, policy.EvidenceChecklist, "7.9(2)④", 0},
		{"configuration-compliance-check", "system_manager", policy.EveryHalf, policy.EvidenceNote, "8.2(1)③", 0},
		{"emergency-plan-review", "system_manager", policy.EveryYear, policy.EvidenceNote, "9.1(3)", 0},
		{"inspection-results-to-review", "it_director", policy.EveryYear, policy.EvidenceFile, "13.2(1)④", 0},
		{"procedure-review", "it_director", policy.EveryYear, policy.EvidenceNote, "16.1(1)③", 0},
		{"security-audit", "audit_team", policy.EveryYear, policy.EvidenceFile, "13.1(1)①", 0},
	}

	t.Run("who, how often, what closes it", func(t *testing.T) {
		for _, w := range want {
			d, ok := p.RecurringDuty(w.id)
			if !ok {
				t.Errorf("no recurring duty %s", w.id)
				continue
			}
			if d.Role != w.role || d.Every != w.every || d.Evidence != w.evidence || d.Cite.Article != w.article || d.Month != w.month {
				t.Errorf("%s: role %s every %s month %d evidence %s article %q; want %s %s %d %s %q",
					w.id, d.Role, d.Every, d.Month, d.Evidence, d.Cite.Article, w.role, w.every, w.month, w.evidence, w.article)
			}
		}
		if got := len(p.RecurringDuties()); got != len(want) {
			t.Errorf("%d recurring duties, want %d", got, len(want))
		}
	})

	t.Run("the source sets no interval", func(t *testing.T) {
		for _, d := range p.RecurringDuties() {
			if !d.EveryCite.Added() || d.EveryCite.Reason == "" {
				t.Errorf("%s: every_cite %+v claims the source's interval; 山形県 gives none", d.ID, d.EveryCite)
			}
			if d.EveryCite.Article == "" || !strings.HasPrefix(d.Cite.Article, d.EveryCite.Article) {
				t.Errorf("%s: every_cite article %q is not the duty's own (%q)", d.ID, d.EveryCite.Article, d.Cite.Article)
			}
		}
	})

	// 13.2(1)③④: the 情報主管課長 uses the self-inspection results in the review, so they
	// are due before the end of the year in which the review is done.
	t.Run("self-inspections are due before the review uses them", func(t *testing.T) {
		use, _ := p.RecurringDuty("inspection-results-to-review")
		for _, id := range []string{"department-self-inspection", "system-self-inspection"} {
			d, _ := p.RecurringDuty(id)
			if d.Every != use.Every || yamagataFiscalMonth(d.Month) >= yamagataFiscalMonth(use.Month) {
				t.Errorf("%s due in month %d (%s), the review in month %d (%s)", id, d.Month, d.Every, use.Month, use.Every)
			}
		}
	})

	t.Run("7.9(2) full check also confirms the pattern files", func(t *testing.T) {
		d, _ := p.RecurringDuty("malware-full-scan")
		var refs []string
		for _, item := range d.Checklist {
			if i := strings.LastIndex(item, "（"); i >= 0 {
				refs = append(refs, item[i:])
			}
		}
		if strings.Join(refs, "") != "（7.9(2)④）（7.9(2)①）（7.9(2)③）" {
			t.Errorf("checklist items cite %v", refs)
		}
	})

	t.Run("duties the source leaves to occasion make no task", func(t *testing.T) {
		for _, id := range []string{"ciso", "deputy_chief", "security_officer", "csirt_head", "csirt_manager", "press_officer", "staff"} {
			for _, d := range roleOf(t, p, id).Duties {
				if d.Recurs() {
					t.Errorf("%s: %q recurs (%s), but the source gives it no cycle", id, d.Text, d.Every)
				}
			}
		}
		// 13.3 itself stays as the source says it: a review when the 本部 sees the need.
		n := 0
		for _, d := range roleOf(t, p, "headquarters").Duties {
			if d.Cite.Article == "13.3" && !d.Recurs() {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d non-recurring 13.3 duties of the 本部, want 1", n)
		}
	})

	t.Run("interval quotations are in the source", func(t *testing.T) {
		text := seedText(t, p.Source)
		for _, d := range p.RecurringDuties() {
			if q := d.EveryCite.Quote; q != "" && !strings.Contains(text, normalized(q)) {
				t.Errorf("%s: every_cite quotation not in the source: %q", d.ID, q)
			}
		}
	})
}

// yamagataFiscalMonth orders a duty's month within the fiscal year (April first); 0 is March.
func yamagataFiscalMonth(m int) int {
	if m == 0 {
		m = 3
	}
	return (m + 8) % 12
}
