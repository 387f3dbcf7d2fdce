package server

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/review"
)

// TestBrowserReview drives 上毛町's demo through this year's review and a procedure: the
// 統括情報セキュリティ責任者 (情報政策課) opens the year's review, finds an article with the
// findings and incidents of the year, records an amendment and lays the review before the
// 委員会; the 委員会's holder approves it; the ネットワーク管理者 uploads a procedure, which a 職員
// without the role cannot read.
func TestBrowserReview(t *testing.T) {
	r := startPersonas(t, "koge")
	office, committee, network, clerk := r.holder("chief"), r.holder("committee"), r.holder("network_admin"), r.clerk()

	ctx := r.open(office, "/reviews")
	r.step(ctx, "open this year's review",
		chromedp.Click(chromedp.CSS(`form[action="/reviews"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
		chromedp.WaitVisible(chromedp.ID("articles-caption")),
	)
	id := r.idIn(ctx, "/reviews/")
	g, err := r.s.Reviews.Gather(context.Background(), r.actor(office), id)
	must(t, err)
	var art review.Article
	for _, a := range g.Articles {
		if a.Counts["finding"] > 0 || a.Counts["incident"] > 0 {
			art = a
			break
		}
	}
	if art.Article == "" {
		t.Fatalf("no article of this year's review has findings or incidents: %v", g.Counts)
	}
	base := fmt.Sprint("/reviews/", id)
	href := base + "/article?" + url.Values{"article": {art.Article}}.Encode()
	r.step(ctx, "the review lists the article with its records",
		chromedp.WaitVisible(chromedp.CSS(`main a[href="`+href+`"]`)),
		chromedp.Click(chromedp.CSS(`main a[href="`+href+`"]`)),
		chromedp.WaitVisible(chromedp.ID("facts-caption")),
	)
	text, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, art.Facts[0].Title) {
		t.Fatalf("the article's page lacks its record %q:\n%.2000s", art.Facts[0].Title, text)
	}
	r.step(ctx, "record an amendment",
		chromedp.Click(chromedp.CSS(`input[name="kind"][value="amend"]`)),
		chromedp.SendKeys(chromedp.ID("f-text"), "指摘事項の是正期限を条文に定める"),
		chromedp.Click(chromedp.CSS(`form[action$="/proposals"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	ctx = r.open(office, base)
	r.step(ctx, "submit to the 委員会",
		chromedp.Click(chromedp.CSS(`form[action$="/submit"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(`main .notice--warning`)),
		chromedp.Click(chromedp.CSS(`main form input[name="confirmed"] ~ .form__actions .btn--danger`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)

	ctx = r.open(committee, href)
	r.step(ctx, "the 委員会 approves",
		chromedp.Click(chromedp.CSS(`input[name="decision"][value="approved"]`)),
		chromedp.SendKeys(chromedp.ID("f-note"), "原案のとおり"),
		chromedp.Click(chromedp.CSS(`form[action$="/decide"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	rv, _, err := r.s.Reviews.Get(context.Background(), r.sys(), id)
	must(t, err)
	if rv.State != review.Decided || len(rv.Proposals) != 1 || rv.Proposals[0].Decision != review.Approved || rv.Proposals[0].Kind != review.Amend {
		t.Fatalf("after the decision: %+v", rv)
	}

	doc := filepath.Join(t.TempDir(), "ネットワーク運用手順.pdf")
	must(t, os.WriteFile(doc, []byte("%PDF-1.4\nネットワーク運用手順\n"), 0o600))
	ctx = r.open(network, "/procedures/new")
	r.fill(ctx, []field{typed("f-title", "無線LAN運用手順"), typed("f-doc_version", "第1版"), chosen("f-owner_role", "network_admin"),
		chosen("f-articles", art.Article), chosen("f-review_on", day(365))})
	r.step(ctx, "upload the procedure",
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{doc}),
		chromedp.Click(chromedp.CSS(`form[action="/procedures"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	pid := r.idIn(ctx, "/procedures/")
	ctx = r.open(clerk, fmt.Sprint("/procedures/", pid))
	text, err = run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if strings.Contains(text, "無線LAN運用手順") || !strings.Contains(text, "ページが見つかりません") {
		t.Fatalf("a 職員 without the role reads the procedure:\n%.1000s", text)
	}
	ctx = r.open(clerk, "/procedures")
	text, err = run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if strings.Contains(text, "無線LAN運用手順") {
		t.Fatal("the register lists the procedure to a 職員 without the role")
	}
}
