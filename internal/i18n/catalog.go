package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Each catalog is a flat JSON object of dotted key → text, e.g.
// {"nav.home": "ホーム"}. Adding a key means adding it to every file.
//
//go:embed locales/*.json
var localeFiles embed.FS

// builtin is parsed once at init and never modified afterwards.
var builtin = mustLoad(localeFiles)

// catalogs maps each language to its key → text table.
type catalogs map[Lang]map[string]string

// T returns the text for key in lang, falling back to Japanese. If no
// catalog has the key, T returns the key itself so the gap is visible.
// With args, the text is a fmt.Sprintf format, so a catalog may write
// %[2]s … %[1]s to reorder arguments. A time.Time argument is shown as
// FormatDateTime shows it and a Day as FormatDate does, in lang: a notice
// or a message says 令和8年4月1日 09:00 in Japanese, 2026-04-01 09:00 in
// English.
func T(lang Lang, key string, args ...any) string {
	return builtin.translate(lang, key, args...)
}

// Has reports whether lang's own catalog defines key, without fallback.
func Has(lang Lang, key string) bool {
	_, ok := builtin[lang][key]
	return ok
}

// Keys returns the keys defined in lang's catalog, sorted.
func Keys(lang Lang) []string {
	return builtin.keys(lang)
}

func (c catalogs) translate(lang Lang, key string, args ...any) string {
	text, ok := c[lang][key]
	if !ok {
		text, ok = c[Ja][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, localArgs(lang, args)...)
}

// localArgs shows the moments and days among args in lang's form.
func localArgs(lang Lang, args []any) []any {
	out := args
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case time.Time:
			s = FormatDateTime(lang, v)
		case Day:
			s = v.In(lang)
		default:
			continue
		}
		if &out[0] == &args[0] {
			out = slices.Clone(args)
		}
		out[i] = s
	}
	return out
}

func (c catalogs) keys(lang Lang) []string {
	keys := make([]string, 0, len(c[lang]))
	for k := range c[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// mustLoad reads locales/<lang>.json for every supported language. The
// files are embedded, so a bad one is a build defect and panics at init.
func mustLoad(fsys embed.FS) catalogs {
	c := make(catalogs)
	for _, lang := range Langs() {
		name := "locales/" + string(lang) + ".json"
		data, err := fsys.ReadFile(name)
		if err != nil {
			panic(fmt.Sprintf("i18n: %v", err))
		}
		table, err := parseCatalog(data)
		if err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", name, err))
		}
		c[lang] = table
	}
	return c
}

// parseCatalog decodes a flat JSON object of string values. Unlike
// json.Unmarshal it rejects a key written twice, which would otherwise
// silently keep only the last text.
func parseCatalog(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil {
		return nil, err
	} else if tok != json.Delim('{') {
		return nil, errors.New("catalog must be a JSON object")
	}
	table := make(map[string]string)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // object keys are always strings
		var text string
		if err := dec.Decode(&text); err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		if _, dup := table[key]; dup {
			return nil, fmt.Errorf("key %q appears twice", key)
		}
		table[key] = text
	}
	if _, err := dec.Token(); err != nil { // closing '}'
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after catalog object")
	}
	return table, nil
}
