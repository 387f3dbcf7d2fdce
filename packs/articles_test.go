package packs

import (
	"slices"
	"testing"
)

// indexedPacks are the shipped packs with a source, each with the parts of its citations that
// name something the index of its source does not hold as an article, and why.
var indexedPacks = map[string][]string{
	"koge":         nil,
	"toki":         nil,
	"abira-kyoiku": {"様式第1号〜第7号"}, // the 様式 exist only as images in the source
	"kishiwada":    nil,
	"yamagata":     nil,
}

// TestEveryCitedArticleIsIndexed checks, for every shipped pack with a source, that the pack
// indexes its source and that each of its own elements acts on an article of that index: every
// part of its citation falls on an indexed article, save the parts named above.
func TestEveryCitedArticleIsIndexed(t *testing.T) {
	for id, allowed := range indexedPacks {
		t.Run(id, func(t *testing.T) {
			p := loadPack(t, id)
			if len(p.Articles) == 0 {
				t.Fatal("the pack has no index of its source's articles")
			}
			for path, c := range citations(p) {
				if c.Article == "" {
					continue
				}
				numbers, unmatched := p.ArticlesOf(c.Article)
				for _, u := range unmatched {
					if !slices.Contains(allowed, u) {
						t.Errorf("%s: %q falls on no article of the index (cite %q)", path, u, c.Article)
					}
				}
				if len(numbers) == 0 && len(unmatched) == 0 {
					t.Errorf("%s: cite %q names no article", path, c.Article)
				}
			}
			cov := p.Coverage()
			if cov.Acted == 0 || cov.NotActed+cov.Acted != len(p.IndexedArticles()) {
				t.Errorf("coverage counts %d acted + %d not acted of %d articles", cov.Acted, cov.NotActed, len(p.IndexedArticles()))
			}
			t.Logf("%d chapters, %d articles: %d acted on, %d not (未対応)", len(p.Articles), len(p.IndexedArticles()), cov.Acted, cov.NotActed)
		})
	}
}

// TestIndexFollowsTheSourcesNumbering checks, article by article, where citations of each pack
// fall: the longest indexed prefix, lists with 「・」 and commas, the doubled ⑱ of 上毛町, and the
// first and last articles of each source.
func TestIndexFollowsTheSourcesNumbering(t *testing.T) {
	for _, c := range []struct {
		pack, cite  string
		want        []string
		first, last string
	}{
		{"koge", "第2章 6(1)⑱ 機器構成の変更の制限", []string{"第2章 6(1)"}, "序", "用語集"},
		{"koge", "第2章 5(4)③キ・6(2)③イ", []string{"第2章 5(4)", "第2章 6(2)"}, "", ""},
		{"koge", "第2章 6(4)①エ・②ア", []string{"第2章 6(4)"}, "", ""},
		{"koge", "第2章 2(6)②・別紙", []string{"第2章 2(6)", "別紙"}, "", ""},
		{"koge", "緊急時対応計画 4(3)", []string{"緊急時対応計画 4(3)"}, "", ""},
		{"koge", "第1章 2(1)", []string{"第1章 2(1)"}, "", ""},
		{"koge", "第1章 2(10)", []string{"第1章 2(10)"}, "", ""},
		{"toki", "6(3)②・2(11)", []string{"6(3)", "2(11)"}, "1", "10"},
		{"abira-kyoiku", "第10条第4項・第5項", []string{"第10条"}, "第1条", "附則"},
		{"abira-kyoiku", "第1条", []string{"第1条"}, "", ""},
		{"kishiwada", "第2章 1(4)⑥, 10 図2", []string{"第2章 1(4)", "第2章 10"}, "第2章 1(1)", "第2章 11(2)"},
		{"yamagata", "7.10(1)③ / 6.6", []string{"7.10(1)", "6.6"}, "委託仕様書 第1", "別表"},
		{"yamagata", "7.1(1)⑧", []string{"7.1(1)"}, "", ""},
	} {
		p := loadPack(t, c.pack)
		got, unmatched := p.ArticlesOf(c.cite)
		if !slices.Equal(got, c.want) || len(unmatched) > 0 {
			t.Errorf("%s %q acts on %v (unmatched %v), want %v", c.pack, c.cite, got, unmatched, c.want)
		}
		all := p.IndexedArticles()
		if c.first != "" && (all[0].Number != c.first || all[len(all)-1].Number != c.last) {
			t.Errorf("%s index runs %s … %s, want %s … %s", c.pack, all[0].Number, all[len(all)-1].Number, c.first, c.last)
		}
	}
}
