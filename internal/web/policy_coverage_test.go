package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mamori/packs"
)

// checkCoverage checks the coverage page of the bound pack against the pack's own index: the
// count of articles acted on and not, per chapter and in all, each article no element acts on
// marked 未対応, the filters, and the Excel export of the filtered list.
func checkCoverage(t *testing.T, b *browser, id string) {
	t.Helper()
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := lib.Get(id)
	cov := p.Coverage()
	unacted := cov.NotActedArticles()
	if len(unacted) == 0 {
		t.Fatalf("pack %s acts on every article; the page test needs one it does not", id)
	}
	first := unacted[0]
	expect(t, b.get("/policy"), http.StatusOK, fmt.Sprintf(`<a href="/policy/coverage">条文と要素の対応</a><span class="muted">（原典の条項%d件・未対応%d件）</span>`, cov.Acted+cov.NotActed, cov.NotActed))
	r := b.get("/policy/coverage")
	want := []string{
		fmt.Sprintf("原典の条項%d件のうち、要素が働いている条項%d件、未対応%d件", cov.Acted+cov.NotActed, cov.Acted, cov.NotActed),
		fmt.Sprintf(`<tr data-unacted="true"><th scope="row" class="nowrap">%s</th><td>%s</td>`, first.Article, first.Title),
		`<span class="status status--warn">未対応</span>`,
		fmt.Sprintf("すべて（%d件）", cov.Acted+cov.NotActed), fmt.Sprintf("未対応（%d件）", cov.NotActed),
	}
	for _, ch := range cov.Chapters {
		want = append(want, fmt.Sprintf(`%s</a></th><td class="num">%d</td><td class="num">%d</td><td class="num" data-unacted="%d">%d</td>`,
			ch.Chapter, len(ch.Articles), ch.Acted, ch.NotActed, ch.NotActed))
	}
	expect(t, r, http.StatusOK, want...)
	if n := strings.Count(r.body, `<tr data-unacted="true">`); n != cov.NotActed {
		t.Errorf("%d rows marked 未対応, want %d", n, cov.NotActed)
	}

	r = b.get("/policy/coverage?show=unacted")
	expect(t, r, http.StatusOK, `<strong aria-current="true">未対応（`, first.Article)
	if n, all := strings.Count(r.body, `<tr data-unacted="true">`), strings.Count(r.body, "<tr"); n != cov.NotActed {
		t.Errorf("the 未対応 filter shows %d unacted rows of %d, want %d", n, all, cov.NotActed)
	}
	r = b.get("/policy/coverage?show=acted")
	expect(t, r, http.StatusOK, `<strong aria-current="true">対応あり（`)
	if strings.Contains(r.body, `<tr data-unacted="true">`) {
		t.Error("the 対応あり filter shows an article no element acts on")
	}

	req, _ := http.NewRequest(http.MethodGet, b.f.srv.URL+"/policy/coverage/export?show=unacted", nil)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("export: %d %s", res.StatusCode, ct)
	}
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("export does not open: %v", err)
	}
	rows, _ := x.GetRows(x.GetSheetName(0))
	if len(rows) != cov.NotActed+1 || rows[0][1] != "根拠条項" || rows[1][1] != first.Article || rows[1][3] != "未対応" {
		t.Fatalf("export rows = %d, first %q", len(rows), rows[:min(2, len(rows))])
	}
}
