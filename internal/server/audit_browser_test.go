package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/audit"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// TestBrowserAudit drives 岸和田市's demo through an audit in Chromium, by the people who do it:
// the 情報セキュリティ監査統括責任者 plans an audit of a department — naming that department's
// 情報セキュリティ管理者 among the auditors is refused by name — and plans it with an
// independent auditor; the auditor adds an item, records a minor non-conformity and its finding;
// the department's manager plans the corrective action; the chief auditor issues the report,
// whose hash goes into the audit chain. The pages pass the accessibility check.
func TestBrowserAudit(t *testing.T) {
	r := startPersonas(t, "kishiwada")
	bg := context.Background()
	chief := r.holder("audit_chief")
	// 市民課 is audited: its 課長 holds the department's 情報セキュリティ管理者 role; the auditor is
	// ＩＴ推進課's インシデントハンドラー, independent of it.
	manager := r.holder("security_manager@市民課")
	managerActor := r.actor(manager)
	dept := managerActor.DepartmentID
	auditorLogin := r.holder("incident_handler")
	auditorStaff := r.actor(auditorLogin).StaffID
	accessible := func(ctx context.Context, name string) {
		t.Helper()
		if _, err := run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
			t.Fatalf("%s: load axe: %v", name, err)
		}
		out, err := run(ctx, chromedp.Evaluate[string](`(async () => JSON.stringify((await axe.run(document,
			{runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})).violations))()`, chromedp.EvalAwaitPromise))
		must(t, err)
		var vs []axeViolation
		must(t, json.Unmarshal([]byte(out), &vs))
		for _, v := range vs {
			t.Errorf("%s: %s (%s): %s", name, v.ID, v.Impact, v.Help)
		}
	}
	pick := func(id string, values ...int64) chromedp.Action[chromedp.Void] {
		vs := make([]string, len(values))
		for i, v := range values {
			vs[i] = `"` + strconv.FormatInt(v, 10) + `"`
		}
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelectorAll('#%s option').forEach(o => o.selected = [%s].includes(o.value)); true`,
			id, strings.Join(vs, ",")))
	}
	text := func(ctx context.Context) string {
		s, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
		must(t, err)
		return s
	}

	// The chief auditor plans: the department's own manager is refused, by name.
	ctx := r.open(chief, "/audits")
	accessible(ctx, "audits")
	articles := audit.Articles(mustPack(t, r))
	r.fill(ctx, []field{typed("f-audit-title", "情報資産管理の監査"), chosen("f-audit-criteria", articles[0]),
		chosen("f-audit-starts_on", day(-1)), chosen("f-audit-ends_on", day(30))})
	r.step(ctx, "name the auditors, one of the audited department", pick("f-audit-departments", dept),
		pick("f-audit-auditors", auditorStaff, managerActor.StaffID), chromedp.Click(chromedp.CSS("#audit-form .btn--primary")),
		chromedp.WaitVisible(chromedp.ID("e-audit-auditors")))
	if s := text(ctx); !strings.Contains(s, managerActor.Name) || !strings.Contains(s, "被監査部門") {
		t.Fatalf("the refusal does not name %s and the reason:\n%s", managerActor.Name, s)
	}
	if list, _ := r.s.Audits.List(bg, r.sys(), 0); len(list) != 2 { // the demo's two
		t.Fatalf("a refused plan was recorded: %d audits", len(list))
	}
	r.fill(ctx, []field{chosen("f-audit-criteria", articles[0]), chosen("f-audit-starts_on", day(-1)), chosen("f-audit-ends_on", day(30))})
	r.step(ctx, "plan it with an independent auditor", pick("f-audit-departments", dept), pick("f-audit-auditors", auditorStaff),
		chromedp.Click(chromedp.CSS("#audit-form .btn--primary")), chromedp.WaitVisible(chromedp.ID("team")))
	id := r.idIn(ctx, "/audits/")
	href := "/audits/" + strconv.FormatInt(id, 10)

	// The auditor records an item, its result and the finding.
	ctx = r.open(auditorLogin, href)
	r.fill(ctx, []field{typed("f-item-title", "情報資産管理台帳の整備"), chosen("f-item-method", "onsite")})
	r.step(ctx, "add the item", chromedp.Click(chromedp.CSS(`form[action$="/items"] button`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/result"]`)))
	d, err := r.s.Audits.Get(bg, r.sys(), id)
	must(t, err)
	item := strconv.FormatInt(d.Items[0].ID, 10)
	r.fill(ctx, []field{chosen("f-result-"+item+"-result", "minor"), typed("f-result-"+item+"-note", "台帳にない媒体が2点あった")})
	r.step(ctx, "record the result", chromedp.Click(chromedp.CSS(`form[action$="/result"] button`)), chromedp.WaitVisible(chromedp.ID("f-finding-title")))
	r.fill(ctx, []field{typed("f-finding-title", "台帳に記載のない媒体"), typed("f-finding-root_cause", "購入時の登録手順がない")})
	r.step(ctx, "record the finding", chromedp.Click(chromedp.CSS(`form[action$="/findings"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#findings ~ section.card`)))
	accessible(ctx, "audit, as its auditor")

	// The department's manager plans the corrective action.
	d, err = r.s.Audits.Get(bg, r.sys(), id)
	must(t, err)
	f := "action-" + strconv.FormatInt(d.Findings[0].ID, 10)
	ctx = r.open(manager, href)
	r.fill(ctx, []field{typed("f-"+f+"-plan", "購入時に台帳へ登録する手順を定める"), chosen("f-"+f+"-due_on", day(60))})
	r.step(ctx, "plan the corrective action", chromedp.Evaluate[chromedp.Void](`(s => { s.selectedIndex = 1 })(document.getElementById('f-`+f+`-owner_staff_id')); true`),
		chromedp.Click(chromedp.CSS(`form[action$="/actions"] button`)), chromedp.WaitVisible(chromedp.CSS(`#findings ~ section.card .card`)))
	accessible(ctx, "audit, as the audited department's manager")

	// The chief auditor issues the report.
	ctx = r.open(chief, href)
	r.fill(ctx, []field{typed("f-report-intro", "監査の結果を報告する。"), typed("f-report-summary", "台帳の整備を監査した。"),
		typed("f-report-opinion", "台帳の登録手順の整備を求める。"), ticked("f-report-issue")})
	r.step(ctx, "issue the report", chromedp.Click(chromedp.CSS(`form[action$="/report"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/report"]`)))
	d, err = r.s.Audits.Get(bg, r.sys(), id)
	must(t, err)
	if d.State != audit.StateReported || d.Report.SHA256 == "" || len(d.Findings[0].Actions) != 1 {
		t.Fatalf("after issue: state %s, hash %q, actions %d", d.State, d.Report.SHA256, len(d.Findings[0].Actions))
	}
	entries, _, err := r.s.Audit.List(bg, r.sys(), auditlog.Filter{Action: "audit.report.issue", Limit: 10})
	must(t, err)
	if len(entries) == 0 || !strings.Contains(entries[0].After, d.Report.SHA256) {
		t.Fatalf("the report's hash is not in the audit chain: %+v", entries)
	}
	r.open(chief, href+"/report")
	if s := text(r.as(chief)); !strings.Contains(s, "監査の結果と意見") || !strings.Contains(s, d.Report.SHA256) {
		t.Fatalf("the printed report reads:\n%s", s)
	}
}

func mustPack(t *testing.T, r *personaRun) *policy.Compiled {
	t.Helper()
	p, _, err := r.s.Policy.Active(context.Background(), r.orgID)
	must(t, err)
	return p
}
