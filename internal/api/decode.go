package api

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode/utf8"

	"mamori/internal/apperr"
	"mamori/internal/textcheck"
)

// decodeJSON is the one way a JSON document becomes a request value: its text is checked
// first (jsonText), then it is decoded as exactly one value with no member dst does not have.
func decodeJSON(data []byte, dst any) error {
	if err := jsonText(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return decodeError(err)
		}
		return apperr.New(apperr.Invalid, "error.json") // a second value after the first
	}
	return nil
}

// jsonText refuses a JSON document any of whose strings, member names included, carries text
// Mamori does not take, naming the member ("fields.purpose"). encoding/json would quietly turn
// invalid UTF-8 and unpaired surrogate escapes (\ud800) into U+FFFD, so the raw bytes of each
// string are checked as well as its decoded text. A document that is not JSON is left to the
// decoder to report.
func jsonText(data []byte) error {
	type frame struct {
		object  bool
		key     string
		wantKey bool
	}
	var stack []*frame
	path := func(last string) string {
		var parts []string
		for _, f := range stack {
			if f.object && f.key != "" && f != stack[len(stack)-1] {
				parts = append(parts, f.key)
			}
		}
		if last != "" {
			parts = append(parts, last)
		}
		return strings.Join(parts, ".")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var from int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or a syntax error the decoder reports
		}
		to := dec.InputOffset()
		raw := data[from:to]
		from = to
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &frame{object: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		case string:
			isKey := top != nil && top.object && top.wantKey
			p := rawProblem(raw)
			if p == textcheck.OK {
				p = textcheck.Text(t) // a form's text areas are multi-line; its member names may be a sheet's headers
			}
			if isKey {
				if p != textcheck.OK {
					return textcheck.Refusal(path(textcheck.Escape(t)), p)
				}
				top.key, top.wantKey = t, false
				continue
			}
			if p != textcheck.OK {
				name := ""
				if top != nil && top.object {
					name = top.key
				}
				return textcheck.Refusal(path(name), p)
			}
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}

// rawProblem checks the bytes of one JSON string as they were sent: valid UTF-8, and every
// \u escape of a surrogate half paired with its other half.
func rawProblem(raw []byte) textcheck.Problem {
	if !utf8.Valid(raw) {
		return textcheck.Encoding
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // \\, \", \n …: the next byte is escaped, not an escape of its own
			continue
		}
		r, ok := hex4(raw[i+2:])
		if !ok {
			continue
		}
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return textcheck.Surrogate // a low half with no high half before it
		case r >= 0xD800 && r <= 0xDBFF:
			next := raw[i+6:]
			lo, ok := rune(0), len(next) >= 2 && next[0] == '\\' && next[1] == 'u'
			if ok {
				lo, ok = hex4(next[2:])
			}
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return textcheck.Surrogate
			}
			i += 11 // past both halves
		default:
			i += 5
		}
	}
	return textcheck.OK
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
