package assetio

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/i18n"
)

// fold is the form values are compared in: NFKC (全角 digits and letters become half-width,
// half-width kana full-width), lower case, without spaces.
func fold(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// The Japanese words a register uses for kinds and states, the first of each being the one an
// export writes.
var (
	kindWords = map[string][]string{
		"information": {"情報", "電子データ", "データ", "電子情報", "情報資産", "電子ファイル"},
		"system":      {"情報システム", "システム", "業務システム"},
		"server":      {"サーバ", "サーバー", "サーバ機器", "サーバー機器"},
		"terminal":    {"端末", "パソコン", "PC", "パーソナルコンピュータ", "パーソナルコンピューター", "業務端末", "業務用端末", "端末機", "ノートパソコン", "デスクトップパソコン", "ノートPC", "デスクトップPC", "クライアント端末", "シンクライアント"},
		"mobile":      {"モバイル端末", "モバイル", "携帯端末", "スマートフォン", "スマホ", "タブレット", "タブレット端末", "携帯電話", "モバイル機器"},
		"media":       {"電磁的記録媒体", "記録媒体", "媒体", "USBメモリ", "USBメモリー", "外部記録媒体", "外部媒体", "電子媒体", "外付けHDD", "外付けハードディスク", "DVD", "CD", "SDカード", "光ディスク"},
		"network":     {"ネットワーク機器", "ネットワーク", "通信機器", "ルータ", "ルーター", "スイッチ", "ファイアウォール", "無線LANアクセスポイント"},
		"document":    {"文書", "紙", "紙文書", "紙媒体", "書類", "帳票", "紙資料"},
	}
	stateWords = map[string][]string{
		"in_use":    {"使用中", "稼働中", "運用中", "利用中", "使用", "稼働", "運用", "利用"},
		"lent":      {"貸出中", "貸出", "貸し出し中", "貸出し中", "貸し出し"},
		"taken_out": {"持出中", "持ち出し中", "持出し中", "持出", "持ち出し"},
		"in_repair": {"修理中", "修理", "故障中", "故障"},
		"stored":    {"保管", "保管中", "予備", "在庫", "未使用", "休止", "休止中"},
		"disposed":  {"廃棄済", "廃棄済み", "廃棄", "廃止", "廃止済", "除却", "除却済"},
	}
	kindOf  = wordIndex(kindWords)
	stateOf = wordIndex(stateWords)
)

func wordIndex(words map[string][]string) map[string]string {
	out := map[string]string{}
	for id, list := range words {
		out[fold(id)] = id
		for _, w := range list {
			out[fold(w)] = id
		}
	}
	return out
}

// kindLabel and stateLabel are what an export writes.
func kindLabel(id string) string  { return firstWord(kindWords, id) }
func stateLabel(id string) string { return firstWord(stateWords, id) }

func firstWord(words map[string][]string, id string) string {
	if w, ok := words[id]; ok {
		return w[0]
	}
	return id
}

// parseKind and parseState read a kind or state in Japanese or as its id.
func parseKind(s string) (string, bool) {
	id, ok := kindOf[fold(s)]
	return id, ok
}

func parseState(s string) (string, bool) {
	id, ok := stateOf[fold(s)]
	return id, ok
}

var (
	// 2026-04-01, 2026/4/1, 2026.4.1, 2026年4月1日, each optionally followed by a time of day
	// (Excel writes "2026/04/01 0:00" into a CSV).
	westernDate = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:t?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?z?)?$`)
	// 令和8年4月1日, 令和元年5月1日, R8.4.1, H31/4/30
	eraDate = regexp.MustCompile(`^(令和|平成|昭和|大正|明治|r|h|s|t|m)(元|\d{1,2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
	compact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	serial  = regexp.MustCompile(`^\d{1,5}(?:\.\d+)?$`)
)

// parseDate reads a date as municipalities write it and returns it as YYYY-MM-DD: ISO, with
// slashes or 年月日, in a Japanese era (令和8年4月1日, 元年, R8.4.1), as 20260401, or as an Excel
// serial day number. A date that does not exist (2026-02-30) is refused.
func parseDate(s string) (string, bool) {
	s = fold(s)
	if s == "" {
		return "", true
	}
	var y, m, d int
	switch {
	case westernDate.MatchString(s):
		p := westernDate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case eraDate.MatchString(s):
		p := eraDate.FindStringSubmatch(s)
		n := 1
		if p[2] != "元" {
			n = atoi(p[2])
		}
		start, ok := i18n.EraStart(p[1])
		if !ok || n < 1 {
			return "", false
		}
		y, m, d = start.Year()+n-1, atoi(p[3]), atoi(p[4])
		if time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Before(start) {
			return "", false // 令和1年4月1日 is still 平成
		}
	case compact.MatchString(s):
		p := compact.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case serial.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 10000 { // day 10000 is 1927-05-18; smaller numbers are not dates of a register
			return "", false
		}
		return excelDay(f).Format(time.DateOnly), true
	default:
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1868 || y > 9999 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// excelDay turns an Excel serial day number (1900 date system) into a date. Excel counts the
// non-existent 1900-02-29 as day 60, so days from 61 on are counted from 1899-12-30.
func excelDay(f float64) time.Time {
	days := int(math.Floor(f))
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if days < 61 {
		base = base.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, days)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// parseQuantity reads a whole number, allowing 全角 digits, thousands separators and a
// counter word (3台, 10枚, 1式).
func parseQuantity(s string) (int, bool) {
	s = strings.ReplaceAll(fold(s), ",", "")
	if s == "" {
		return 0, true
	}
	s = strings.TrimRightFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' })
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && f >= 0 && f <= math.MaxInt32 {
		return int(f), true
	}
	return 0, false
}

// boolWords widen what a sheet may write in a yes/no column; the asset package reads the
// rest (はい, 有, ○, true, 1 …).
var boolWords = map[string]string{
	"済": "true", "済み": "true", "実施": "true", "実施済": "true", "実施済み": "true", "設定済": "true", "設定済み": "true",
	"対応済": "true", "対応済み": "true", "有り": "true", "要": "true", "◯": "true", "✓": "true", "✔": "true", "レ": "true",
	"未": "false", "未実施": "false", "未設定": "false", "未対応": "false", "無し": "false", "不要": "false", "-": "false",
	"ー": "false", "✕": "false", "x": "false",
}

func parseBool(s string) string {
	if v, ok := boolWords[fold(s)]; ok {
		return v
	}
	return strings.TrimSpace(s)
}

// neutralize defuses a cell that a spreadsheet would read as a formula (OWASP CSV injection):
// a value starting with = + - @, a tab or a carriage return gets a leading apostrophe.
func neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// unneutralize undoes neutralize on a value read back from a file Mamori wrote.
func unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// KindID reads a kind as a user writes it: its id or a Japanese word (端末, サーバ, 媒体 …).
func KindID(s string) (string, bool) { return parseKind(s) }

// StateID reads a state as a user writes it: its id or a Japanese word (使用中, 廃棄済 …).
func StateID(s string) (string, bool) { return parseState(s) }
