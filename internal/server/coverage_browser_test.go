package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/packs"
)

// TestCoverageBrowser: 上毛町's 統括情報セキュリティ責任者 opens the policy page, follows it to the
// coverage view, reads how many of the source's articles the pack acts on, narrows the list to
// the articles no element acts on yet and finds the first of them marked 未対応; then the list of
// those acted on, where it is absent.
func TestCoverageBrowser(t *testing.T) {
	r := startPersonas(t, "koge")
	lib, err := packs.Load()
	must(t, err)
	p, _ := lib.Get("koge")
	cov := p.Coverage()
	unacted := cov.NotActedArticles()
	if len(unacted) == 0 {
		t.Fatal("上毛町's pack acts on every article; the test needs one it does not")
	}
	first := unacted[0]
	row := `tr[data-unacted="true"] th`

	ctx := r.open(r.holder("chief"), "/policy")
	r.step(ctx, "follow to the coverage view",
		chromedp.Click(chromedp.CSS(`main a[href="/policy/coverage"]`)),
		chromedp.WaitVisible(chromedp.ID("coverage-summary")))
	summary, err := run(ctx, chromedp.Text(chromedp.ID("coverage-summary")))
	must(t, err)
	if want := fmt.Sprintf("原典の条項%d件のうち、要素が働いている条項%d件、未対応%d件", cov.Acted+cov.NotActed, cov.Acted, cov.NotActed); summary != want {
		t.Errorf("summary %q, want %q", summary, want)
	}
	chapters, err := run(ctx, chromedp.Text(chromedp.CSS(`div[aria-labelledby="chapters"]`)))
	must(t, err)
	for _, ch := range cov.Chapters {
		if !strings.Contains(chapters, ch.Chapter) {
			t.Errorf("the chapter table lacks %s:\n%s", ch.Chapter, chapters)
		}
	}

	r.step(ctx, "show the articles no element acts on",
		chromedp.Click(chromedp.CSS(`main a[href="/policy/coverage?show=unacted#articles"]`)),
		chromedp.WaitVisible(chromedp.CSS(row)))
	rows, err := run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main tr[data-unacted="true"]')].map(tr => tr.innerText)`))
	must(t, err)
	if len(rows) != cov.NotActed || !strings.Contains(rows[0], first.Article) || !strings.Contains(rows[0], first.Title) || !strings.Contains(rows[0], "未対応") {
		t.Errorf("the 未対応 list shows %d rows, first %q; want %d, first %s %s 未対応", len(rows), rows[:min(1, len(rows))], cov.NotActed, first.Article, first.Title)
	}
	acted, err := run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main tr:not([data-unacted]) th[scope="row"].nowrap').length`))
	must(t, err)
	if acted != 0 {
		t.Errorf("the 未対応 list shows %d articles an element acts on", acted)
	}

	r.step(ctx, "show the articles acted on",
		chromedp.Click(chromedp.CSS(`main a[href="/policy/coverage?show=acted#articles"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main strong[aria-current="true"]`)))
	text, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, fmt.Sprintf("対応あり（%d件）", cov.Acted)) || strings.Contains(text, first.Article+"\t"+first.Title) {
		t.Errorf("the 対応あり list:\n%.2000s", text)
	}
}
