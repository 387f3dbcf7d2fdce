package server

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/risk"
)

// TestBrowserRiskAnalysis runs 上毛町's demo through its risk analysis (第1章 8): the
// 統括情報セキュリティ責任者 of the 情報政策課 generates the candidates after the 確認 step and
// assesses one on the matrix — a residual risk higher than the inherent one refused first,
// naming its field — and the CISO accepts its residual risk until a day; the heat maps show the
// risk before and after treatment, and the pages pass the accessibility check and show no code.
func TestBrowserRiskAnalysis(t *testing.T) {
	r := startPersonas(t, "koge")
	analyst, ciso := r.holder("chief"), r.holder("ciso")
	pack, _, err := r.s.Policy.Active(context.Background(), r.orgID)
	must(t, err)
	codes := codesOf(pack)
	checked := func(ctx context.Context, name string) {
		t.Helper()
		page, err := run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		must(t, err)
		for _, p := range screenProblems(page, codes, true) {
			t.Errorf("%s: %s", name, p)
		}
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

	ctx := r.open(analyst, "/")
	r.step(ctx, "the register from the navigation", chromedp.Click(chromedp.CSS(`.site-nav a[href="/risks"]`)),
		chromedp.WaitVisible(chromedp.ID("heat-inherent")))
	checked(ctx, "/risks")
	r.step(ctx, "generate the candidates", chromedp.Click(chromedp.ID("risk-generate")),
		chromedp.WaitVisible(chromedp.CSS(`main form .btn--danger`)),
		chromedp.Click(chromedp.CSS(`main form .btn--danger`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	reg, err := r.s.Risks.List(context.Background(), r.sys(), risk.Filter{State: risk.StateCandidate})
	must(t, err)
	if len(reg.Risks) == 0 {
		t.Fatal("no candidate after the generation")
	}
	target := reg.Risks[0]
	for _, x := range reg.Risks {
		if x.Impact == "large" && !x.Restricted {
			target = x
			break
		}
	}
	href := "/risks/" + itoa(target.ID)
	r.step(ctx, "open a candidate", chromedp.Click(chromedp.CSS(`a[href="`+href+`"]`)), chromedp.WaitVisible(chromedp.ID("f-likelihood")))
	checked(ctx, href)
	r.fill(ctx, []field{chosen("f-likelihood", "high"), chosen("f-impact", "medium"), chosen("f-treatment", "reduce"),
		typed("f-plan", "不正プログラム対策ソフトの導入状況を全端末で点検し、未導入の端末に導入する"),
		chosen("f-owner_department_id", itoa(r.actor(analyst).DepartmentID)),
		chosen("f-residual_likelihood", "low"), chosen("f-residual_impact", "large")})
	r.step(ctx, "a residual risk above the inherent one", chromedp.Click(chromedp.ID("risk-assess")), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	text, err := run(ctx, chromedp.Text(chromedp.CSS(".error-summary")))
	must(t, err)
	if !strings.Contains(text, "残留リスクは対応前のリスクより高くできません") {
		t.Fatalf("the error summary reads %q", text)
	}
	checked(ctx, "assessment with an error")
	r.fill(ctx, []field{chosen("f-impact", "large")})
	r.step(ctx, "assess", chromedp.Click(chromedp.ID("risk-assess")), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	text, err = run(ctx, chromedp.Text(chromedp.ID("risk-state")))
	must(t, err)
	if !strings.Contains(text, "評価済み") {
		t.Fatalf("after the assessment the state reads %q", text)
	}

	cctx := r.open(ciso, href)
	r.fill(cctx, []field{chosen("f-until", day(180)), typed("f-note", "次年度予算で対策するまでの間、受容する")})
	r.step(cctx, "accept the residual risk", chromedp.Click(chromedp.ID("risk-accept")), chromedp.WaitVisible(chromedp.ID("risk-accepted")))
	text, err = run(cctx, chromedp.Text(chromedp.ID("risk-state")))
	must(t, err)
	if !strings.Contains(text, "受容済み") {
		t.Fatalf("after the acceptance the state reads %q", text)
	}
	got, _, err := r.s.Risks.Get(context.Background(), r.sys(), target.ID)
	must(t, err)
	if got.State != risk.StateAccepted || got.AcceptedUntil != day(180) || got.Treatment != "reduce" {
		t.Fatalf("the risk is %+v", got)
	}
	r.step(cctx, "the heat maps", chromedp.Navigate(r.srv.URL+"/risks"), chromedp.WaitVisible(chromedp.CSS("#heat-residual svg")))
	cells, err := run(cctx, chromedp.Evaluate[int](`document.querySelectorAll("#heat-inherent .risk-heatmap__cell").length`))
	must(t, err)
	total, err := run(cctx, chromedp.Evaluate[string](`document.querySelector("#heat-residual").dataset.total`))
	must(t, err)
	if cells != 9 || total == "0" {
		t.Fatalf("the heat map has %d cells and %s residual risks", cells, total)
	}
	checked(cctx, "/risks with the heat maps")
	r.step(cctx, "the printed register", chromedp.Navigate(r.srv.URL+"/risks/print"), chromedp.WaitVisible(chromedp.CSS(".risk-sheet")))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
