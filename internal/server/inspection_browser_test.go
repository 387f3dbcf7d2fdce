package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/inspection"
)

// TestBrowserSelfInspection runs 自己点検 on 岸和田市's demo in Chromium by the people who do it:
// the 情報政策課 (a holder of an organisation-wide security role) starts a campaign for 市民課;
// its 情報セキュリティ責任者 answers every item — one 未実施, with the reason — and submits; the
// 情報政策課 sends the sheet back with a reason; he reads it, corrects the answer and submits
// again; and the results show 市民課 by chapter. The pages along the way pass the accessibility
// check.
func TestBrowserSelfInspection(t *testing.T) {
	r := startPersonas(t, "kishiwada")
	bg := context.Background()
	policyDiv := ""
	for _, a := range r.accounts {
		if r.s.Inspections.CanStart(bg, r.actor(a.Login)) {
			policyDiv = a.Login
			break
		}
	}
	if policyDiv == "" {
		t.Fatal("no demo account holds an organisation-wide security role")
	}
	manager := r.holder("security_manager@市民課")
	var dept int64
	for _, g := range r.actor(manager).Roles {
		if g.RoleID == "security_manager" {
			dept = g.DepartmentID
		}
	}

	ctx := r.open(policyDiv, "/self-inspections/new")
	accessible(t, ctx, "start form")
	r.fill(ctx, []field{typed("f-title", "（臨時）")})
	r.step(ctx, "start a campaign for 市民課",
		chromedp.Click(chromedp.ID("f-scope-chosen")),
		chromedp.Click(chromedp.ID(fmt.Sprint("f-dept-", dept))),
		chromedp.Click(chromedp.ID("start-campaign")),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	campaign := r.idIn(ctx, "/self-inspections/")
	pr, err := r.s.Inspections.Campaign(bg, r.sys(), campaign)
	must(t, err)
	var sheet int64
	for _, sh := range pr.Sheets {
		if sh.DepartmentID == dept {
			sheet = sh.ID
		}
	}
	if sheet == 0 || len(pr.Sheets) < 1 {
		t.Fatalf("no sheet of 市民課 in %+v", pr.Sheets)
	}
	href := fmt.Sprintf("/self-inspections/%d/sheets/%d", campaign, sheet)
	v, err := r.s.Inspections.View(bg, r.sys(), campaign, sheet)
	must(t, err)
	first := fmt.Sprintf("answers.%d", v.Answers[0].Item.Seq)

	mctx := r.open(manager, href)
	accessible(t, mctx, "answer sheet")
	allDone := chromedp.Evaluate[bool](`(() => { document.querySelectorAll('input[type=radio][value=done]').forEach(e => e.checked = true); return true })()`)
	if _, err := run(mctx, allDone); err != nil {
		t.Fatal(err)
	}
	byID := func(id string) chromedp.CSS { return chromedp.CSS(`[id="` + id + `"]`) } // the ids hold dots
	r.step(mctx, "save and submit the sheet",
		chromedp.Click(byID("f-"+first+".not_done")),
		chromedp.SendKeys(byID("f-"+first+".comment"), "手順書を整備中のため"),
		chromedp.Click(chromedp.ID("save-answers")),
		chromedp.WaitVisible(chromedp.ID("submit-sheet")),
		chromedp.Click(chromedp.ID("submit-sheet")),
		chromedp.WaitVisible(chromedp.CSS("form .btn--danger")),
		chromedp.Click(chromedp.CSS("form .btn--danger")),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	r.wantSheet(campaign, sheet, inspection.SheetSubmitted)

	ctx = r.open(policyDiv, fmt.Sprint("/self-inspections/", campaign))
	accessible(t, ctx, "progress")
	ctx = r.open(policyDiv, href)
	r.fill(ctx, []field{typed("f-reason", "未実施の項目の対応時期を記入してください")})
	r.step(ctx, "send the sheet back", chromedp.Click(chromedp.ID("return-sheet")), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	r.wantSheet(campaign, sheet, inspection.SheetReturned)

	mctx = r.open(manager, href)
	text, err := run(mctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "未実施の項目の対応時期を記入してください") {
		t.Fatalf("the returned sheet does not say why:\n%.2000s", text)
	}
	r.step(mctx, "correct and submit again",
		chromedp.Click(byID("f-"+first+".done")),
		chromedp.Click(chromedp.ID("save-answers")),
		chromedp.WaitVisible(chromedp.ID("submit-sheet")),
		chromedp.Click(chromedp.ID("submit-sheet")),
		chromedp.WaitVisible(chromedp.CSS("form .btn--danger")),
		chromedp.Click(chromedp.CSS("form .btn--danger")),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	r.wantSheet(campaign, sheet, inspection.SheetSubmitted)

	ctx = r.open(policyDiv, fmt.Sprintf("/self-inspections/%d/results", campaign))
	text, err = run(ctx, chromedp.Text(chromedp.CSS(".results-matrix")))
	must(t, err)
	accessible(t, ctx, "results")
	name := r.sheetName(campaign, sheet)
	if !strings.Contains(text, name) || !strings.Contains(text, "100%") {
		t.Fatalf("results do not show %s done:\n%.2000s", name, text)
	}
	accessible(t, r.open(manager, "/self-inspection-findings?state=all"), "findings")
}

// accessible runs axe-core on the page of ctx at WCAG 2.1 AA.
func accessible(t *testing.T, ctx context.Context, name string) {
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

func (r *personaRun) wantSheet(campaign, sheet int64, state string) {
	r.t.Helper()
	v, err := r.s.Inspections.View(context.Background(), r.sys(), campaign, sheet)
	must(r.t, err)
	if v.Sheet.State != state {
		r.t.Fatalf("sheet %d is %s, want %s", sheet, v.Sheet.State, state)
	}
}

func (r *personaRun) sheetName(campaign, sheet int64) string {
	v, err := r.s.Inspections.View(context.Background(), r.sys(), campaign, sheet)
	must(r.t, err)
	return v.Sheet.Name()
}
