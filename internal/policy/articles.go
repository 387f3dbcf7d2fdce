package policy

import (
	"slices"
	"strings"
	"unicode"
)

// SourceChapter is one chapter (or other top-level part) of the pack's source with the index of
// its articles, in the source's order: the source laid beside the pack, so that an article no
// element acts on can be seen (未対応).
type SourceChapter struct {
	Chapter string `yaml:"chapter" json:"chapter"`
	// Quote is the chapter's heading as the source writes it, where it has one.
	Quote string          `yaml:"quote,omitempty" json:"quote,omitempty"`
	Items []SourceArticle `yaml:"items" json:"items"`
}

// SourceArticle is one article or heading of the source: its number written as the pack's
// elements write it in their citations (「第2章 5(1)」「第15条」「7.10(1)」), its title, and the
// heading's words verbatim, which a test finds in the source text.
type SourceArticle struct {
	Number string `yaml:"number" json:"number"`
	Title  string `yaml:"title" json:"title"`
	Quote  string `yaml:"quote" json:"quote"`
}

// articles checks the index of the source: every chapter is named and has articles, every
// article has a number used once, a title and (in a pack with a source) the heading's words.
func (c *checker) articles() {
	seen := map[string]bool{}
	for i, ch := range c.p.Articles {
		path := elemPath("articles", i, "")
		if strings.TrimSpace(ch.Chapter) == "" {
			c.add(path+".chapter", "a chapter of the index is named")
		}
		if len(ch.Items) == 0 {
			c.add(path+".items", "a chapter of the index lists its articles")
		}
		for j, a := range ch.Items {
			ap := elemPath(path+".items", j, a.Number)
			n := strings.TrimSpace(a.Number)
			switch {
			case n == "":
				c.add(ap+".number", "an article of the index has its number as the pack's citations write it")
			case seen[n]:
				c.add(ap+".number", "article %q is indexed twice", n)
			}
			seen[n] = true
			if strings.TrimSpace(a.Title) == "" {
				c.add(ap+".title", "title is missing")
			}
			if c.p.Source != "" && strings.TrimSpace(a.Quote) == "" {
				c.add(ap+".quote", "quote the heading's words as the source writes them")
			}
		}
	}
}

// IndexedArticles lists the articles of the source's index in the source's order.
func (p *Pack) IndexedArticles() []SourceArticle {
	var out []SourceArticle
	for _, ch := range p.Articles {
		out = append(out, ch.Items...)
	}
	return out
}

// ArticlesOf returns the numbers of the indexed articles that a citation acts on, and the parts
// of the citation that fall on no indexed article. A citation may name several articles
// (「第2章 5(4)③キ・6(2)③イ」「6.7, 7.7(1)」「7.10(1)③ / 6.6」); each part acts on the
// indexed article whose number is the longest prefix of it. A part that leaves out what it
// shares with the first part is read with it: it takes the place of the first part's last token
// of its kind (「②ア」 of 「①エ」, 「第5項」 of 「第4項」, 「5」 of 「項番4」), or follows the first
// part's chapter (「10 図2」 after 「第2章 1(4)⑥」). Words after the number (「第2章 6(1)⑱
// 機器構成の変更の制限」, naming which of 上毛町's two ⑱ is meant) do not change the article.
func (p *Pack) ArticlesOf(article string) (numbers, unmatched []string) {
	parts := splitCite(article)
	if len(parts) == 0 {
		return nil, nil
	}
	first := parts[0]
	chapter := ""
	if i := strings.IndexAny(first, " 　"); i > 0 {
		chapter = first[:i+1]
	}
	for i, part := range parts {
		n := p.longestPrefix(part)
		if n == "" && i > 0 {
			if n = p.longestPrefix(sameKind(first, part)); n == "" {
				n = p.longestPrefix(chapter + part)
			}
		}
		if n == "" {
			unmatched = append(unmatched, part)
			continue
		}
		if !slices.Contains(numbers, n) {
			numbers = append(numbers, n)
		}
	}
	return numbers, unmatched
}

// sameKind returns first with its last token of the kind part begins with (a number, a circled
// number, a katakana item, a parenthesised number, a 第…) replaced by part; "" when it has none.
func sameKind(first, part string) string {
	rs := []rune(part)
	if len(rs) == 0 {
		return ""
	}
	kind := runeKind(rs[0])
	if kind == 0 {
		return ""
	}
	fr := []rune(first)
	for i := len(fr) - 1; i >= 0; i-- {
		if runeKind(fr[i]) != kind {
			continue
		}
		j := i
		for kind == kindDigit && j > 0 && runeKind(fr[j-1]) == kindDigit {
			j--
		}
		return string(fr[:j]) + part
	}
	return ""
}

const (
	kindDigit = iota + 1
	kindCircled
	kindKatakana
	kindDai
	kindParen
)

func runeKind(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return kindDigit
	case r >= '①' && r <= '⑳', r >= '㉑' && r <= '㉟':
		return kindCircled
	case r >= 'ァ' && r <= 'ヺ':
		return kindKatakana
	case r == '第':
		return kindDai
	case r == '(' || r == '（':
		return kindParen
	}
	return 0
}

// splitCite cuts a citation into the articles it names.
func splitCite(s string) []string {
	f := func(r rune) bool { return r == '・' || r == '/' || r == ',' || r == '、' || r == '，' }
	var out []string
	for _, part := range strings.FieldsFunc(s, f) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// longestPrefix returns the number of the indexed article that is the longest prefix of s and
// ends where a number ends (「7.1」 is not a prefix of 「7.10(1)」, nor 「第1章 1」 of 「第1章 10」).
func (p *Pack) longestPrefix(s string) string {
	best := ""
	if s == "" {
		return ""
	}
	for _, ch := range p.Articles {
		for _, a := range ch.Items {
			n := a.Number
			if len(n) <= len(best) || !strings.HasPrefix(s, n) {
				continue
			}
			if rest := s[len(n):]; rest != "" {
				r := []rune(rest)[0]
				if unicode.IsDigit(r) || r == '.' {
					continue
				}
			}
			best = n
		}
	}
	return best
}
