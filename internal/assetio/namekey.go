package assetio

import (
	"strings"
	"unicode"
)

// variants are the 異体字 that one person's name is written in on different registers, each
// with the form nameKey compares it in: a ledger typed on another PC writes 高橋 for 髙橋,
// 崎 for 﨑, 辺 for 邊 or 邉.
var variants = strings.NewReplacer(
	"髙", "高", "﨑", "崎", "嵜", "崎", "邊", "辺", "邉", "辺", "澤", "沢", "齋", "斎", "齊", "斎",
	"濱", "浜", "濵", "浜", "廣", "広", "國", "国", "嶋", "島", "嶌", "島", "櫻", "桜", "瀨", "瀬",
	"德", "徳", "惠", "恵", "眞", "真", "檜", "桧", "冨", "富", "藏", "蔵", "靜", "静", "龍", "竜",
	"彌", "弥", "壽", "寿", "條", "条", "淺", "浅", "關", "関", "舘", "館", "槇", "槙", "𠮷", "吉",
)

// nameKey is the form staff names are compared in: folded as fold does (NFKC, lower case,
// without full-width or half-width spaces), the 異体字 of variants in their common form, and
// without variation selectors. 「髙橋　一郎」, 「高橋 一郎」 and 「高橋一郎」 have one key.
func nameKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Variation_Selector, r) {
			return -1
		}
		return r
	}, s)
	return variants.Replace(fold(s))
}
