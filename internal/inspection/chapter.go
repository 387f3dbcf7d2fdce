package inspection

import (
	"regexp"
	"strconv"
	"strings"
)

// The chapter of an item is the leading part of the article it cites, as the source numbers
// it: 「第2章 5(1)①ウ」 is in 「第2章 5」, 「第14条第1項(1)」 in 「第14条」, 「7.10(1)①」 in 「7.10」,
// 「6(1)」 in 「6」. A citation naming several articles (the base pack's 「上毛町 対策基準5(1)①キ /
// 安平町 第20条 …」) is read by its first.
var (
	chapterSection = regexp.MustCompile(`^(.*?第[0-9０-９]+章)\s*([0-9０-９]+)`)
	chapterArticle = regexp.MustCompile(`^(.*?第[0-9０-９]+条)`)
	chapterNumber  = regexp.MustCompile(`^(\D*?)([0-9０-９]+(?:\.[0-9]+)?)`)
	digits         = regexp.MustCompile(`[0-9]+`)
)

// Chapter returns the chapter of a cited article.
func Chapter(article string) string {
	s, _, _ := strings.Cut(article, " / ")
	s = strings.TrimSpace(s)
	if m := chapterSection.FindStringSubmatch(s); m != nil {
		return m[1] + " " + m[2]
	}
	if m := chapterArticle.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	if m := chapterNumber.FindStringSubmatch(s); m != nil {
		return m[1] + m[2]
	}
	if s == "" {
		return "—"
	}
	return s
}

// chapterLess orders chapters by their numbers (第2章 5 before 第2章 10, 6.4 before 6.10),
// then as text.
func chapterLess(a, b string) int {
	na, nb := numbers(a), numbers(b)
	for i := 0; i < len(na) && i < len(nb); i++ {
		if na[i] != nb[i] {
			return na[i] - nb[i]
		}
	}
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	return strings.Compare(a, b)
}

func numbers(s string) []int {
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
	var out []int
	for _, d := range digits.FindAllString(s, -1) {
		n, _ := strconv.Atoi(d)
		out = append(out, n)
	}
	return out
}
