package training

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/i18n"
)

// fold is a cell as it is compared: NFKC (full-width digits and letters made half-width),
// lower case, without spaces.
func fold(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

var (
	westernDate = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
	eraDate     = regexp.MustCompile(`^(明治|大正|昭和|平成|令和|r|h)(元|\d{1,2})[年./-](\d{1,2})[月./-](\d{1,2})日?$`)
	serialDate  = regexp.MustCompile(`^\d{5}(\.0+)?$`)
)

// parseDate reads a day as people write it in a sheet: 2026-04-01, 2026/4/1, 令和8年4月1日,
// R8.4.1, or an Excel serial number; ok is false when it is no day.
func parseDate(s string) (string, bool) {
	s = fold(s)
	var y, m, d int
	switch {
	case westernDate.MatchString(s):
		p := westernDate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case eraDate.MatchString(s):
		p := eraDate.FindStringSubmatch(s)
		era := map[string]string{"r": "令和", "h": "平成"}[p[1]]
		if era == "" {
			era = p[1]
		}
		start, ok := i18n.EraStart(era)
		n := 1
		if p[2] != "元" {
			n = atoi(p[2])
		}
		if !ok || n < 1 {
			return "", false
		}
		y, m, d = start.Year()+n-1, atoi(p[3]), atoi(p[4])
	case serialDate.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", false
		}
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
		return t.Format(time.DateOnly), true
	default:
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// letter is a column's name as a spreadsheet shows it: A, B, … Z, AA …
func letter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
