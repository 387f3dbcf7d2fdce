package request

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxListItems is the most entries a list field (rule, assets) takes.
const maxListItems = 1000

// listValue reads a field that names several things by their codes — the pack's rule ids
// (type rule) or assets' 管理番号 (type assets) — written one per line or separated by commas
// (、，,) or spaces, or given as a JSON list. Codes are folded to half-width (NFKC) and kept in
// the order given, each once. Whether the codes exist is for the service that acts on them.
func listValue(raw any) (any, string) {
	var parts []string
	switch x := raw.(type) {
	case string:
		parts = strings.FieldsFunc(x, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",、，;", r) })
	case []string:
		parts = x
	case []any:
		for _, v := range x {
			s, ok := v.(string)
			if !ok {
				return nil, "request.error.list"
			}
			parts = append(parts, s)
		}
	default:
		return nil, "request.error.list"
	}
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(norm.NFKC.String(p))
		if p == "" || slices.Contains(out, p) {
			continue
		}
		if utf8.RuneCountInString(p) > 200 {
			return nil, "request.error.too_long"
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, "request.error.list"
	}
	if len(out) > maxListItems {
		return nil, "request.error.too_long"
	}
	return out, ""
}
