package policy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// townWithIndex is the good test pack with an index of its source: articles 1 to 12, where 2
// and 8 are indexed by their items and 11 and 12 are acted on by no element.
func townWithIndex(t *testing.T) *Compiled {
	t.Helper()
	town, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	index := `
articles:
  - chapter: 第1章 総則
    items:
      - {number: "1", title: 目的, quote: "1 目的"}
      - {number: "2(1)", title: CISO, quote: "(1) CISO"}
      - {number: "2(2)", title: 統括, quote: "(2) 統括"}
      - {number: "2(3)", title: 管理者, quote: "(3) 管理者"}
      - {number: "3", title: 分類, quote: "3 分類"}
      - {number: "4", title: 区分, quote: "4 区分"}
      - {number: "5", title: 区画, quote: "5 区画"}
      - {number: "6", title: 持ち出し, quote: "6 持ち出し"}
  - chapter: 第2章 運用
    items:
      - {number: "7", title: 入退室, quote: "7 入退室"}
      - {number: "8", title: 事案, quote: "8 事案"}
      - {number: "8(1)", title: 漏えい, quote: "(1) 漏えい"}
      - {number: "8(2)", title: 報告, quote: "(2) 報告"}
      - {number: "8(3)", title: 切断, quote: "(3) 切断"}
      - {number: "9", title: 認証, quote: "9 認証"}
      - {number: "10", title: ログイン, quote: "10 ログイン"}
      - {number: "11", title: 監査, quote: "11 監査"}
      - {number: "12", title: 見直し, quote: "12 見直し"}
`
	c, err := loadOne(t, string(town)+index)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestArticlesOfReadsTheLongestIndexedPrefix(t *testing.T) {
	c := townWithIndex(t)
	for _, x := range []struct {
		cite            string
		want, unmatched []string
	}{
		{"8(1)", []string{"8(1)"}, nil},
		{"8(1)②", []string{"8(1)"}, nil},
		{"8", []string{"8"}, nil},
		{"1", []string{"1"}, nil},
		{"10", []string{"10"}, nil},    // not 1
		{"12(3)", []string{"12"}, nil}, // not 1
		{"3 表", []string{"3"}, nil},
		{"2(1)・2(3)", []string{"2(1)", "2(3)"}, nil},
		{"2(1)・(3)", []string{"2(1)", "2(3)"}, nil},
		{"2(1)・別紙", []string{"2(1)"}, []string{"別紙"}},
		{"8(1)①・②", []string{"8(1)"}, nil},
		{"6, 7", []string{"6", "7"}, nil},
		{"9 / 別表", []string{"9"}, []string{"別表"}},
		{"13", nil, []string{"13"}},
		{"上毛町 対策基準6(1)② / 安平町 第38条", nil, []string{"上毛町 対策基準6(1)②", "安平町 第38条"}},
	} {
		got, un := c.ArticlesOf(x.cite)
		if !slices.Equal(got, x.want) || !slices.Equal(un, x.unmatched) {
			t.Errorf("%q acts on %v, unmatched %v; want %v, %v", x.cite, got, un, x.want, x.unmatched)
		}
	}
}

func TestCoverageListsEveryIndexedArticleAndTheUnacted(t *testing.T) {
	c := townWithIndex(t)
	cov := c.Coverage()
	if len(cov.Chapters) != 2 || len(cov.Chapters[0].Articles) != 8 || len(cov.Chapters[1].Articles) != 9 {
		t.Fatalf("chapters = %+v", cov.Chapters)
	}
	var unacted []string
	for _, a := range cov.NotActedArticles() {
		unacted = append(unacted, a.Article)
	}
	// 1 目的, 11 and 12 have no element.
	if want := []string{"1", "11", "12"}; !slices.Equal(unacted, want) {
		t.Errorf("unacted = %v, want %v", unacted, want)
	}
	if cov.NotActed != 3 || cov.Acted != 14 || cov.Chapters[0].NotActed != 1 || cov.Chapters[1].NotActed != 2 {
		t.Errorf("counts: %d acted, %d not; per chapter %+v", cov.Acted, cov.NotActed, cov.Chapters)
	}
	var seven []string
	for _, e := range cov.Chapters[1].Articles[0].Elements {
		seven = append(seven, e.ID)
	}
	if !slices.Contains(seven, "logbooks/room/fields/name") {
		t.Errorf("article 7 lists %v, want the field 氏名", seven)
	}
	if len(cov.Unindexed) != 0 {
		t.Errorf("unindexed = %+v, want every cite on the index", cov.Unindexed)
	}
}

func TestAnIndexWithoutNumbersTitlesOrQuotesIsRefused(t *testing.T) {
	town, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := string(town) + `
articles:
  - chapter: ""
    items: []
  - chapter: 第1章
    items:
      - {number: "1", title: 目的, quote: "1 目的"}
      - {number: "1", title: 再掲, quote: "1 目的"}
      - {number: "", title: 番号なし, quote: "x"}
      - {number: "2", title: "", quote: ""}
`
	_, err = loadOne(t, bad)
	if err == nil {
		t.Fatal("a bad index was accepted")
	}
	for _, want := range []string{
		"articles[0].chapter", "articles[0].items", `article "1" is indexed twice`,
		"articles[1].items[2].number", "articles[1].items[2].title", "articles[1].items[2].quote",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problems lack %q:\n%v", want, err)
		}
	}
}

func TestAPackOverAnotherKeepsItsIndex(t *testing.T) {
	town, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	parent := string(town) + "\narticles:\n  - chapter: 第1章\n    items:\n      - {number: \"7\", title: 入退室, quote: \"7 入退室\"}\n"
	own := "id: town-local\nname: 運用版\norganization: テスト町\nkind: municipality\nversion: \"1\"\nextends: town\n"
	p, err := Parse("town.yaml", []byte(parent))
	if err != nil {
		t.Fatal(err)
	}
	o, err := Parse("local.yaml", []byte(own))
	if err != nil {
		t.Fatal(err)
	}
	m := merge(p, o)
	if len(m.Articles) != 1 || m.Articles[0].Items[0].Number != "7" {
		t.Errorf("merged index = %+v", m.Articles)
	}
}
