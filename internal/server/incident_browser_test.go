package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/store/storetest"
)

// TestBrowserIncidentReportTriageTick drives Chromium through the first minutes of an incident
// on 上毛町's pack: a clerk reports it from the button on every page with what is known (a 区分,
// no file), the ネットワーク管理者 (a
// first recipient) triages it as a crime, and ticks off the first report of the escalation
// checklist. The pages along the way pass the accessibility check.
func TestBrowserIncidentReportTriageTick(t *testing.T) {
	ctx := browserContext(t)
	s, srv, _ := start(t, storetest.SQLite(t))
	sec := kogeSection(t, s)
	clerkPW, networkPW := sec.person("2001", "住民 花子", "clerk", ""), sec.person("1001", "網 管理", "network", "network_admin")
	accessible := func(name string) {
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

	staffFirstSignIn(t, ctx, srv.URL, "clerk", clerkPW)
	must(t, do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`a.site-header__report[href="/incidents/new"]`)),
		chromedp.Navigate(srv.URL+"/incidents/new"),
		chromedp.WaitVisible(chromedp.ID("f-title")),
	))
	accessible("report form")
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-title"), "不審メールの添付を開いた"),
		chromedp.SendKeys(chromedp.ID("f-items-situation"), "添付を開いたら画面が暗転した"),
		chromedp.SendKeys(chromedp.ID("f-items-suspected_act"), "標的型メール"),
		chromedp.SendKeys(chromedp.ID("f-items-damage"), "窓口端末1台"),
		chromedp.SetValue(chromedp.ID("f-category"), "crime"), // what is known: no file is needed (記録 may follow)
		chromedp.Click(chromedp.CSS("form .btn--primary")),
		chromedp.WaitVisible(chromedp.CSS(".incident-told")),
	))
	text, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "次の方に通知しました") || !strings.Contains(text, "網 管理") || !strings.Contains(text, "あなたが今すること") {
		t.Fatalf("after reporting the page reads:\n%s", text)
	}
	accessible("report confirmation")
	must(t, do(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("f-login"))))

	staffFirstSignIn(t, ctx, srv.URL, "network", networkPW)
	must(t, do(ctx,
		chromedp.Navigate(srv.URL+"/incidents"),
		chromedp.Click(chromedp.CSS(`td a[href^="/incidents/"]`)),
		chromedp.WaitVisible(chromedp.ID("f-triage-yes")),
	))
	accessible("incident waiting for triage")
	must(t, do(ctx,
		chromedp.Click(chromedp.ID("f-triage-yes")),
		chromedp.SetValue(chromedp.ID("f-triage-category"), "crime"),
		chromedp.SetValue(chromedp.ID("f-triage-severity"), "high"),
		chromedp.Click(chromedp.CSS(`form[action$="/triage"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS("ol.checklist")),
		chromedp.Click(chromedp.CSS(`form[action*="/checklist/"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS("ol.checklist .status--ok")),
	))
	text, err = run(ctx, chromedp.Text(chromedp.CSS("ol.checklist")))
	must(t, err)
	if !strings.Contains(text, "連絡済み") || !strings.Contains(text, "網 管理") || !strings.Contains(text, "速やかに") {
		t.Fatalf("after ticking the checklist reads:\n%s", text)
	}
	accessible("incident with its checklist")
}
