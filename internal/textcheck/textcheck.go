// Package textcheck decides whether a piece of text may enter Mamori: valid UTF-8, no NUL or
// other control characters (tab, newline and carriage return only in multi-line text), no
// surrogate halves and no bidirectional overrides or isolates, which can make a record read
// differently on screen from what it says (a file name ending "‮fdp.exe").
package textcheck

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"mamori/internal/apperr"
)

// Problem is what is wrong with a text; OK when nothing is.
type Problem int

const (
	OK        Problem = iota
	Encoding          // not valid UTF-8
	Surrogate         // a UTF-16 surrogate half (CESU-8 bytes, or an unpaired \ud800 in JSON)
	Control           // NUL, another C0 control character or DEL
	Bidi              // a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069)
)

// Key is the message catalog key that explains the problem to the user.
func (p Problem) Key() string {
	switch p {
	case Encoding:
		return "error.text_encoding"
	case Surrogate:
		return "error.text_surrogate"
	case Control:
		return "error.text_control"
	case Bidi:
		return "error.text_bidi"
	}
	return ""
}

// Line checks a single-line value: a name, a number, a query parameter.
func Line(s string) Problem { return check(s, false) }

// Text checks a multi-line value, in which tab, newline and carriage return are allowed.
func Text(s string) Problem { return check(s, true) }

func check(s string, multiline bool) Problem {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if bad := c < 0x20 || c == 0x7f; bad && !(multiline && (c == '\t' || c == '\n' || c == '\r')) {
				return Control
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			// CESU-8 (and "modified UTF-8") write a surrogate half as ED A0–BF xx.
			if c == 0xED && i+1 < len(s) && s[i+1] >= 0xA0 && s[i+1] <= 0xBF {
				return Surrogate
			}
			return Encoding
		}
		if isBidi(r) {
			return Bidi
		}
		i += n
	}
	return OK
}

// isBidi reports the explicit directional formatting characters that change the order text
// is shown in: LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI. The marks (LRM, RLM, ALM) only
// affect neighbouring neutrals and are allowed.
func isBidi(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// Escape makes any text safe to record and show. Text without a problem (multi-line text
// allowed) comes back unchanged; in any other, invalid bytes become \xNN, control and
// bidirectional characters \uNNNN, and a backslash is doubled so that the escapes cannot be
// mistaken for text.
func Escape(s string) string {
	if Text(s) == OK {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x20 || r == 0x7f || isBidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Refusal is the error for a field (a form field, a query parameter, a JSON member, a header)
// whose text has problem p: the request is malformed (400), and the message names the field.
func Refusal(field string, p Problem) *apperr.Error {
	return &apperr.Error{Code: apperr.Malformed, Key: p.Key(), Args: []any{field},
		Fields: []apperr.FieldError{{Field: field, Key: p.Key(), Args: []any{field}}}}
}

// Values checks every name and value of a query string or a posted form, names first, and
// returns the first refusal. Values may be multi-line text when multiline is set (a form's
// text areas); names never. A bad name is reported escaped.
func Values(v map[string][]string, multiline bool) error {
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if p := Line(name); p != OK {
			return Refusal(Escape(name), p)
		}
		for _, val := range v[name] {
			if p := check(val, multiline); p != OK {
				return Refusal(name, p)
			}
		}
	}
	return nil
}
