package policy

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func loadOne(t *testing.T, yaml string) (*Compiled, error) {
	t.Helper()
	return LoadFile("t.yaml", []byte(yaml), nil)
}

func TestGoodPackLoadsAndEvaluates(t *testing.T) {
	lib, err := LoadFS(os.DirFS("testdata/good"), ".")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := lib.Get("town")
	if !ok {
		t.Fatal("pack town missing")
	}
	if p.Auth.LockoutAfterFailures != 3 || len(p.Roles) != 3 || p.Digest == "" {
		t.Fatalf("pack = %+v", p.Pack)
	}
	important := AssetRecord{Kind: "terminal", Class: map[string]LevelRef{"importance": {ID: "I", Rank: 3}}, Attrs: map[string]any{}, Now: time.Now()}
	when, req := p.RuleWhen["mfa-on-important"], p.RuleRequire["mfa-on-important"]
	if ok, err := when.Eval(important); err != nil || !ok {
		t.Fatalf("when = %v, %v", ok, err)
	}
	if ok, err := req.Eval(important); err != nil || ok {
		t.Fatalf("require without mfa = %v, %v", ok, err)
	}
	important.Attrs["mfa"] = true
	if ok, _ := req.Eval(important); !ok {
		t.Fatal("require with mfa failed")
	}
	if ok, err := p.ApprovalWhen["take_out"].Eval(important); err != nil || !ok {
		t.Fatalf("take-out condition = %v, %v", ok, err)
	}
}

func TestProblemsNameTheFileAndElement(t *testing.T) {
	base, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, from, to, path, message string
	}{
		{"unknown role in an approval step", "role: manager, of: applicant_department", "role: boss, of: applicant_department", "approvals[take_out].steps[0].role", `unknown role "boss"`},
		{"expression that does not type-check", `require: "has(asset.attrs.mfa) && asset.attrs.mfa == true"`, `require: "asset.zone.rank == 'x'"`, "rules[mfa-on-important].require", "CEL"},
		{"expression that is not a condition", `require: "has(asset.attrs.mfa) && asset.attrs.mfa == true"`, `require: "asset.zone.rank"`, "rules[mfa-on-important].require", "want bool"},
		{"unknown axis", `when: "asset.class.importance.rank >= 3"`, `when: "asset.class.secrecy.rank >= 3"`, "rules[mfa-on-important].when", `unknown classification axis "secrecy"`},
		{"unknown attribute", `asset.attrs.mfa == true`, `asset.attrs.mirrored == true`, "rules[mfa-on-important].require", `unknown attribute "mirrored"`},
		{"unknown level in a zone", `store: ["importance:I"]`, `store: ["importance:X"]`, "zones[L3].store[0]", `no level "X"`},
		{"unknown contact in a route", "to: [pref]", "to: [police]", "incident.routes[main].steps[0].to[0]", `unknown contact "police"`},
		{"missing citation", `cite: {article: "2(2)", quote: "総務課長を統括とする"}`, `cite: {article: "", quote: "総務課長を統括とする"}`, "roles[chief].cite.article", "cite"},
		{"missing quotation", `cite: {article: "2(2)", quote: "総務課長を統括とする"}`, `cite: {article: "2(2)"}`, "roles[chief].cite.quote", "quote"},
		{"duplicate id", "id: chief\n", "id: ciso\n", "roles[ciso].id", "used twice"},
		{"misspelt key", "returnable: true", "returnabel: true", "", "returnabel"},
		{"bad severity", "severity: high", "severity: huge", "rules[mfa-on-important].severity", "huge"},
		{"unknown acting role", "acting: [chief]", "acting: [mayor]", "roles[ciso].acting[0]", `unknown role "mayor"`},
		{"unknown role among alternatives", "role: manager, of: applicant_department}", "role: manager, of: applicant_department, or: [{role: boss, of: organization}]}", "approvals[take_out].steps[0].or[0].role", `unknown role "boss"`},
		{"joint deciders without a scope", "role: manager, of: applicant_department}", "role: manager, of: applicant_department, and: [{role: chief}]}", "approvals[take_out].steps[0].and[0].of", `of ""`},
		{"alternatives and joint deciders at once", "role: manager, of: applicant_department}", "role: manager, of: applicant_department, or: [{role: chief, of: organization}], and: [{role: ciso, of: organization}]}", "approvals[take_out].steps[0]", "not both"},
		{"unknown role among a measure's alternatives", "decided_by: ciso, cite", "decided_by: ciso, or: [mayor], cite", "incident.measures[cut].or[0]", `unknown role "mayor"`},
		{"measure role named twice", "decided_by: ciso, cite", "decided_by: ciso, or: [chief, ciso], cite", "incident.measures[cut].or[1]", "twice"},
		{"measure alternatives without decided_by", "decided_by: ciso, cite", "or: [chief], cite", "incident.measures[cut].or", "decided_by"},
		{"unknown effect", "returnable: true", "returnable: true\n    effect: burn", "approvals[take_out].effect", `effect "burn"`},
		{"due date field that is not a date", "returnable: true", "returnable: true\n    due_field: purpose", "approvals[take_out].due_field", "not a date"},
		{"lending that is not returned", "returnable: true", "effect: lend", "approvals[take_out].effect", "returnable"},
		{"report deadline without post-hoc approval", "returnable: true", "returnable: true\n    report_within_days: 2", "approvals[take_out].report_within_days", "post_hoc"},
		{"notice to an unknown role", "returnable: true", "returnable: true\n    notify_after: [{role: mayor, of: organization, cite: {article: \"6(1)\", quote: \"報告\"}}]", "approvals[take_out].notify_after[0].role", `unknown role "mayor"`},
		{"notice without a quotation", "returnable: true", "returnable: true\n    notify_after: [{role: chief, of: organization, cite: {article: \"6(1)\"}}]", "approvals[take_out].notify_after[0].cite.quote", "quote"},
		{"unknown role that must use MFA", "mfa_roles: [ciso, chief]", "mfa_roles: [ciso, mayor]", "auth.mfa_roles[1]", `unknown role "mayor"`},
		{"role named twice for MFA", "mfa_roles: [ciso, chief]", "mfa_roles: [ciso, ciso]", "auth.mfa_roles[1]", "twice"},
		{"MFA roles without a citation", `mfa_cite: {article: "9", quote: "多要素認証"}`, "", "auth.mfa.cite.article", "cite"},
		{"MFA roles without a quotation or origin", `mfa_cite: {article: "9", quote: "多要素認証"}`, `mfa_cite: {article: "9"}`, "auth.mfa.cite.quote", "quote"},
		{"unknown way to unlock", "unlock: admin", "unlock: never", "auth.unlock", `"never"`},
		{"unlock after no period", "unlock: admin", "unlock: after", "auth.unlock_after_minutes", "1 to 10080"},
		{"unlock after more than a week", "unlock: admin", "unlock: after\n  unlock_after_minutes: 10081", "auth.unlock_after_minutes", "1 to 10080"},
		{"a period with unlock by an administrator", "unlock: admin", "unlock: admin\n  unlock_after_minutes: 30", "auth.unlock_after_minutes", "only for unlock: after"},
		{"unlock without a citation", `unlock_cite: {article: "10", origin: added, reason: 団体の運用上の設定}`, "", "auth.unlock.cite.article", "cite"},
		{"field neither quoted nor added", "cite: {origin: added, reason: 申請の審査のため}", "", "approvals[take_out].fields[0].cite", "origin: added"},
		{"field quoted without its words", `cite: {article: "7", quote: "氏名を記録する"}`, `cite: {article: "7"}`, "logbooks[room].fields[0].cite.quote", "quote"},
		{"added without a reason", "cite: {origin: added, reason: 報告の整理のため}", "cite: {origin: added}", "incident.report_items[0].cite.reason", "reason"},
		{"report deadline resting on nothing", "returnable: true", "returnable: true\n    post_hoc: true", "approvals[take_out].report_within_cite", "origin: added"},
		{"exception period resting on nothing", "logbooks:\n", strings.Replace(waiver("waiver", exceptionFields), "    max_days_cite: {origin: added, reason: 期間の定めがない}\n", "", 1) + "logbooks:\n", "approvals[waiver].max_days_cite", "origin: added"},
		{"note without the source's words", "logbooks:\n", "notes: [{id: n1, article: \"3\", issue: 番号の重複, action: 別々に扱う}]\nlogbooks:\n", "notes[n1].quote", "quote"},
		{"note without its action", "logbooks:\n", "notes: [{id: n1, article: \"3\", quote: \"その他\", issue: 番号の重複}]\nlogbooks:\n", "notes[n1].action", "what the pack does"},
		{"unknown origin", `unlock_cite: {article: "10", origin: added, reason: 団体の運用上の設定}`, `unlock_cite: {article: "10", origin: mamori}`, "auth.unlock.cite.origin", `"mamori"`},
		{"exception kind without the expiry the register reads", "logbooks:\n", waiver("waiver", "rules: rule, assets: assets") + "logbooks:\n", "approvals[waiver].fields", `"expires_on" of type date`},
		{"exception field of another type", "logbooks:\n", waiver("waiver", "rules: rule, assets: assets, expires_on: text") + "logbooks:\n", "approvals[waiver].fields", `"expires_on" of an exception kind must be of type date`},
		{"two exception kinds", "logbooks:\n", waiver("waiver", exceptionFields) + waiver("waiver2", exceptionFields) + "logbooks:\n", "approvals[waiver2].exception", `"waiver" already does`},
		{"audit role every member of staff holds", "    scope: department\n", "    scope: department\n    all_staff: true\n    auditor: true\n", "roles[manager].auditor", "audit role"},
		{"nobody approves a recurrence plan", "  plan_approved_by: ciso\n", "", "incident.plan_approved_by", "plan_approval"},
		{"step about the subject of a request without one", "subject: asset\n    when: \"asset.class.importance.rank >= 2\"\n    steps: [{role: manager, of: applicant_department}]", "subject: none\n    steps: [{role: manager, of: system}]", "approvals[take_out].steps[0].of", "asset subject"},
		{"duty that recurs at no known interval", "every: month", "every: fortnight", "roles[manager].duties[0].every", `"fortnight"`},
		{"recurring duty without an id", "      - id: room-log-check\n        text:", "      - text:", "roles[manager].duties[0].id", "missing"},
		{"interval resting on nothing", "every_cite: {article: \"7\", origin: added, reason: 原典は確認の頻度を定めない}", "", "roles[manager].duties[0].every_cite.article", "interval"},
		{"duty closed by an unknown logbook", "logbook: room\n", "logbook: gate\n", "roles[manager].duties[0].logbook", `"gate"`},
		{"month for a monthly duty", "every: month", "every: month\n        month: 4", "roles[manager].duties[0].month", "yearly"},
		{"checklist without items", "evidence: logbook\n        logbook: room\n", "evidence: checklist\n", "roles[manager].duties[0].checklist", "items"},
		{"recurrence fields on a duty that does not recur", "        every: month\n", "", "roles[manager].duties[0].every", "how often"},
	} {
		t.Run(c.name, func(t *testing.T) {
			y := string(base)
			if !strings.Contains(y, c.from) {
				t.Fatalf("test pack lacks %q", c.from)
			}
			_, err := loadOne(t, strings.Replace(y, c.from, c.to, 1))
			if err == nil {
				t.Fatal("accepted")
			}
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("err = %T %v", err, err)
			}
			found := false
			for _, p := range ps {
				if p.File == "t.yaml" && (c.path == "" || p.Path == c.path) && strings.Contains(p.Message, c.message) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no problem at %s mentioning %q in:\n%v", c.path, c.message, err)
			}
		})
	}
}

func TestExtendsMarksWhatIsInherited(t *testing.T) {
	town, _ := os.ReadFile("testdata/good/town.yaml")
	child := `id: village
name: テスト村
organization: テスト村
kind: municipality
version: "1"
source: village.txt
extends: town
auth:
  lockout_after_failures: 5
  cite: {article: "1", quote: "5回"}
roles:
  - {id: ciso, name: CISO, held_by: 村長, scope: organization, cite: {article: "1", quote: "村長"}}
`
	lib, err := LoadFS(fstest.MapFS{"town.yaml": {Data: town}, "village.yaml": {Data: []byte(child)}}, ".")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := lib.Get("village")
	if r, _ := v.Role("ciso"); r.HeldBy != "村長" {
		t.Fatalf("child's role did not replace the parent's: %+v", r)
	}
	if _, ok := v.Role("chief"); !ok || !v.Inherited["roles/chief"] || v.Inherited["roles/ciso"] {
		t.Fatalf("inherited = %v", v.Inherited)
	}
	if v.Auth.LockoutAfterFailures != 5 || len(v.Rules) != 1 || !v.Inherited["rules/mfa-on-important"] {
		t.Fatalf("merged = %+v", v.Pack)
	}
	if !slices.Equal(v.Auth.MFARoles, []string{"ciso", "chief"}) || v.Auth.MFACite.Article != "9" || !v.Inherited["auth/mfa"] ||
		v.Auth.Unlock != UnlockByAdmin || !v.Auth.UnlockCite.Added() || !v.Inherited["auth/unlock"] {
		t.Fatalf("login rules not inherited: %+v, inherited %v", v.Auth, v.Inherited)
	}
	circle := strings.Replace(child, "extends: town", "extends: village", 1)
	if _, err := LoadFS(fstest.MapFS{"village.yaml": {Data: []byte(circle)}}, "."); err == nil || !strings.Contains(err.Error(), "circle") {
		t.Fatalf("a pack extending itself: %v", err)
	}
	if _, err := LoadFS(fstest.MapFS{"village.yaml": {Data: []byte(strings.Replace(child, "extends: town", "extends: nowhere", 1))}}, "."); err == nil || !strings.Contains(err.Error(), `unknown pack "nowhere"`) {
		t.Fatalf("unknown base: %v", err)
	}
}

func TestCostLimitStopsRunawayExpressions(t *testing.T) {
	y, _ := os.ReadFile("testdata/good/town.yaml")
	heavy := strings.Replace(string(y), `require: "has(asset.attrs.mfa) && asset.attrs.mfa == true"`,
		`require: "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, a+b+c+d+e > 0)))))"`, 1)
	p, err := loadOne(t, heavy)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.RuleRequire["mfa-on-important"].Eval(AssetRecord{Class: map[string]LevelRef{}, Attrs: map[string]any{}})
	if err == nil || !strings.Contains(err.Error(), "cost") {
		t.Fatalf("a 100,000-step expression ran: %v", err)
	}
}

func TestDiffNamesWhatDiffers(t *testing.T) {
	y, _ := os.ReadFile("testdata/good/town.yaml")
	a, err := loadOne(t, string(y))
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(y), "lockout_after_failures: 3", "lockout_after_failures: 5", 1)
	changed = strings.Replace(changed, "  - id: manager\n", "  - id: head\n", 1)
	changed = strings.Replace(changed, "role: manager", "role: head", -1)
	changed = strings.Replace(changed, "kept_by: manager", "kept_by: head", 1)
	changed = strings.Replace(changed, `cite: {article: "2(1)", quote: "副町長をCISOとする"}`, `cite: {article: "第2条", quote: "別の文言"}`, 1)
	b, err := loadOne(t, changed)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range Diff(a.Pack, b.Pack) {
		got[d.Kind+"/"+d.ID] = d.Change
	}
	want := map[string]string{"auth/login": "differs", "roles/manager": "only_a", "roles/head": "only_b", "approvals/take_out": "differs", "logbooks/room": "differs"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if _, ok := got["roles/ciso"]; ok {
		t.Error("a change of citation alone was reported as a different requirement")
	}
	if len(Diff(a.Pack, a.Pack)) != 0 {
		t.Error("a pack differs from itself")
	}
}

func TestLoginRulesOfAPack(t *testing.T) {
	town, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadOne(t, string(town))
	if err != nil {
		t.Fatal(err)
	}
	a := p.Auth
	if a.Unlock != UnlockByAdmin || a.UnlockMinutes() != 0 || !a.UnlockCite.Added() || a.MFACite.Added() ||
		!slices.Equal(a.MFARoles, []string{"ciso", "chief"}) {
		t.Fatalf("auth = %+v", a)
	}
	after := strings.Replace(string(town), "unlock: admin", "unlock: after\n  unlock_after_minutes: 30", 1)
	if p, err = loadOne(t, after); err != nil {
		t.Fatal(err)
	}
	if p.Auth.Unlock != UnlockAfter || p.Auth.UnlockMinutes() != 30 {
		t.Fatalf("auth = %+v", p.Auth)
	}
	// A setting of the organisation's own needs no quotation, since the words are not the
	// source's.
	setting := strings.Replace(string(town), `mfa_cite: {article: "9", quote: "多要素認証"}`, `mfa_cite: {article: "9", origin: added, reason: 団体の運用上の設定}`, 1)
	if p, err = loadOne(t, setting); err != nil {
		t.Fatal(err)
	}
	if !p.Auth.MFACite.Added() {
		t.Fatalf("auth = %+v", p.Auth)
	}
}

// exceptionFields are the fields an exception kind needs, as "id: type" pairs for waiver.
const exceptionFields = "rules: rule, assets: assets, expires_on: date"

// waiver is an approval kind of town.yaml marked as requesting exceptions, with the fields
// given as "id: type" pairs.
func waiver(id, fields string) string {
	var fs []string
	for _, f := range strings.Split(fields, ", ") {
		fid, typ, _ := strings.Cut(f, ": ")
		fs = append(fs, "{id: "+fid+", name: "+fid+", type: "+typ+", cite: {origin: added, reason: 登録簿が読む}}")
	}
	return "  - id: " + id + "\n    name: 例外措置\n    subject: none\n    exception: true\n    steps: [{role: ciso, of: organization}]\n" +
		"    fields: [" + strings.Join(fs, ", ") + "]\n    max_days_cite: {origin: added, reason: 期間の定めがない}\n    cite: {article: \"6(2)\", quote: \"例外措置\"}\n"
}

func TestMarksTheProgramReliesOn(t *testing.T) {
	town, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadOne(t, string(town))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.ExceptionKind(); ok {
		t.Error("a pack without a marked kind has an exception kind")
	}
	for _, r := range p.Roles {
		if r.Auditor {
			t.Errorf("role %s is an audit role without the mark", r.ID)
		}
	}
	if roles, _ := p.PlanApprovers(); !slices.Equal(roles, []string{"ciso"}) {
		t.Errorf("plan approvers = %v, want the plan_approved_by role", roles)
	}

	y := strings.Replace(string(town), "logbooks:\n", waiver("waiver", exceptionFields)+"logbooks:\n", 1)
	y = strings.Replace(y, "    held_by: 総務課長\n    scope: organization\n", "    held_by: 総務課長\n    scope: organization\n    auditor: true\n", 1)
	y = strings.Replace(y, "  plan_approved_by: ciso\n", "  plan_approval: take_out\n", 1)
	if p, err = loadOne(t, y); err != nil {
		t.Fatal(err)
	}
	if a, ok := p.ExceptionKind(); !ok || a.ID != "waiver" || a.Mark() != MarkException {
		t.Errorf("exception kind = %+v, %v", a, ok)
	}
	if a, _ := p.Approval("take_out"); a.Mark() != "" {
		t.Errorf("take_out is marked %q", a.Mark())
	}
	if r, _ := p.Role("chief"); !r.Auditor {
		t.Error("chief lost its auditor mark")
	}
	if r, _ := p.Role("ciso"); r.Auditor {
		t.Error("ciso gained an auditor mark")
	}
	if roles, cite := p.PlanApprovers(); !slices.Equal(roles, []string{"manager"}) || cite != "6(1)" {
		t.Errorf("plan approvers = %v (%s), want the steps of take_out", roles, cite)
	}
}

func TestCoverageGroupsByArticleAndListsAdded(t *testing.T) {
	town, _ := os.ReadFile("testdata/good/town.yaml")
	c, err := loadOne(t, string(town))
	if err != nil {
		t.Fatal(err)
	}
	cov := c.Coverage()
	added := cov.Added
	var found bool
	for _, a := range cov.Unindexed {
		for _, e := range a.Elements {
			if e.ID == "logbooks/room/fields/name" {
				found = a.Article == "7"
			}
		}
	}
	if !found {
		t.Errorf("field 氏名 is not listed under article 7: %+v", cov.Unindexed)
	}
	var ids []string
	for _, e := range added {
		ids = append(ids, e.ID)
	}
	for _, want := range []string{"approvals/take_out/fields/purpose", "incident/report_items/when", "auth/unlock"} {
		if !slices.Contains(ids, want) {
			t.Errorf("added elements %v lack %s", ids, want)
		}
	}
}

// TestWordHours: the hours read into the source's words are shown as the organisation's
// setting only when the pack gives no minutes of its own and the words set a deadline.
func TestWordHours(t *testing.T) {
	for _, c := range []struct {
		step RouteStep
		want int
	}{
		{RouteStep{Within: "速やかに"}, 24},
		{RouteStep{Within: "直ちに"}, 1},
		{RouteStep{Within: "速やかに", WithinMinutes: 30}, 0},
		{RouteStep{Within: "必要に応じて"}, 0},
		{RouteStep{}, 0},
	} {
		if got := c.step.WordHours(); got != c.want {
			t.Errorf("%+v: %d hours, want %d", c.step, got, c.want)
		}
	}
	if got := (Category{Within: "遅滞なく"}).WordHours(); got != 24 {
		t.Errorf("category 遅滞なく: %d hours, want 24", got)
	}
}

// TestRecurringDutiesOfAPack checks that a duty with an interval is found with its role, and
// one without is not.
func TestRecurringDutiesOfAPack(t *testing.T) {
	b, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := loadOne(t, string(b))
	if err != nil {
		t.Fatal(err)
	}
	ds := c.Pack.RecurringDuties()
	if len(ds) != 1 || ds[0].Role != "manager" || ds[0].ID != "room-log-check" || ds[0].Every != EveryMonth || ds[0].Logbook != "room" {
		t.Fatalf("recurring duties = %+v", ds)
	}
	if _, ok := c.Pack.RecurringDuty("room-log-check"); !ok {
		t.Fatal("duty not found by id")
	}
	if _, ok := c.Pack.RecurringDuty("nothing"); ok {
		t.Fatal("unknown duty found")
	}
}
