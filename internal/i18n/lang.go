package i18n

import "strings"

// Lang is a language Mamori can display. Japanese is the default.
type Lang string

// The supported languages.
const (
	Ja Lang = "ja"
	En Lang = "en"
)

// ParseLang maps a language tag such as "en", "en-US" or "EN" to a Lang.
// Anything that is not English, including the empty string, is Japanese.
func ParseLang(s string) Lang {
	primary, _, _ := strings.Cut(strings.TrimSpace(s), "-")
	primary, _, _ = strings.Cut(primary, "_")
	if strings.EqualFold(primary, string(En)) {
		return En
	}
	return Ja
}

// Langs returns the supported languages, default first.
func Langs() []Lang {
	return []Lang{Ja, En}
}
