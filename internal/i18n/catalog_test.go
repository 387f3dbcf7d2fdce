package i18n

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// catalogProblems lists every key that is missing from, or empty in, one of
// the catalogs, naming the key and the catalog.
func catalogProblems(c catalogs) []string {
	all := make(map[string]bool)
	for _, lang := range Langs() {
		for k := range c[lang] {
			all[k] = true
		}
	}
	var problems []string
	for _, lang := range Langs() {
		for k := range all {
			text, ok := c[lang][k]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("key %q is missing from locales/%s.json", k, lang))
			case strings.TrimSpace(text) == "":
				problems = append(problems, fmt.Sprintf("key %q is empty in locales/%s.json", k, lang))
			}
		}
	}
	slices.Sort(problems)
	return problems
}

func TestCatalogsHaveEveryKeyInEveryLanguage(t *testing.T) {
	for _, p := range catalogProblems(builtin) {
		t.Error(p)
	}
	if len(builtin[Ja]) == 0 {
		t.Error("locales/ja.json has no keys")
	}
}

func TestCatalogProblemsFindsGaps(t *testing.T) {
	tests := []struct {
		name string
		c    catalogs
		want []string
	}{
		{
			name: "complete catalogs have no problems",
			c:    catalogs{Ja: {"a": "あ"}, En: {"a": "a"}},
		},
		{
			name: "key only in Japanese is missing from English",
			c:    catalogs{Ja: {"a": "あ", "b": "い"}, En: {"a": "a"}},
			want: []string{`key "b" is missing from locales/en.json`},
		},
		{
			name: "key only in English is missing from Japanese",
			c:    catalogs{Ja: {}, En: {"a": "a"}},
			want: []string{`key "a" is missing from locales/ja.json`},
		},
		{
			name: "blank text is reported as empty",
			c:    catalogs{Ja: {"a": " "}, En: {"a": "a"}},
			want: []string{`key "a" is empty in locales/ja.json`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := catalogProblems(tt.c); !slices.Equal(got, tt.want) {
				t.Errorf("catalogProblems() = %q, want %q", got, tt.want)
			}
		})
	}
}

// placeholders returns the fmt arguments a catalog text uses, as sorted
// "%[n]v" strings, so "%[2]s / %[1]d" and "%d / %s" compare equal.
func placeholders(s string) []string {
	var out []string
	arg := 1
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			continue
		}
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '[':
				end := strings.IndexByte(s[i:], ']')
				if end < 0 {
					return append(out, "%!(BADINDEX)")
				}
				n, err := strconv.Atoi(s[i+1 : i+end])
				if err != nil {
					return append(out, "%!(BADINDEX)")
				}
				arg = n
				i += end
				continue
			case c == '*':
				out = append(out, fmt.Sprintf("%%[%d]*", arg))
				arg++
				continue
			case strings.IndexByte("+-# 0123456789.", c) >= 0:
				continue
			}
			out = append(out, fmt.Sprintf("%%[%d]%c", arg, c))
			arg++
			break
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestPlaceholdersParsesVerbs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain text has none", "ホーム", nil},
		{"escaped percent is not a verb", "100%%", nil},
		{"sequential verbs number their arguments", "%s: %d件", []string{"%[1]s", "%[2]d"}},
		{"indexed verbs keep their argument", "%[2]s / %[1]d", []string{"%[1]d", "%[2]s"}},
		{"flags and width are skipped", "%-5.2f", []string{"%[1]f"}},
		{"reused argument counts once", "%[1]s %[1]s", []string{"%[1]s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := placeholders(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("placeholders(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCatalogPlaceholdersMatchAcrossLanguages(t *testing.T) {
	for _, key := range builtin.keys(Ja) {
		want := placeholders(builtin[Ja][key])
		for _, lang := range Langs()[1:] {
			text, ok := builtin[lang][key]
			if !ok {
				continue // reported by TestCatalogsHaveEveryKeyInEveryLanguage
			}
			if got := placeholders(text); !slices.Equal(got, want) {
				t.Errorf("key %q: locales/%s.json uses placeholders %q, locales/ja.json uses %q", key, lang, got, want)
			}
		}
	}
}

func TestT(t *testing.T) {
	c := catalogs{
		Ja: {"only.ja": "日本語だけ", "both": "両方", "count": "%d件", "range": "%[1]s から %[2]s"},
		En: {"both": "both", "count": "%d items", "range": "%[2]s back to %[1]s"},
	}
	tests := []struct {
		name string
		lang Lang
		key  string
		args []any
		want string
	}{
		{"japanese text for Japanese", Ja, "both", nil, "両方"},
		{"english text for English", En, "both", nil, "both"},
		{"english falls back to Japanese for a key only Japanese has", En, "only.ja", nil, "日本語だけ"},
		{"unknown language falls back to Japanese", Lang("fr"), "both", nil, "両方"},
		{"unknown key returns the key", En, "no.such.key", nil, "no.such.key"},
		{"unknown key with args still returns the key", Ja, "no.such.key", []any{1}, "no.such.key"},
		{"args are formatted", Ja, "count", []any{3}, "3件"},
		{"indexed args may be reordered", En, "range", []any{"A", "B"}, "B back to A"},
		{"text without args is not formatted", Ja, "only.ja", nil, "日本語だけ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.translate(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("translate(%q, %q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
			}
		})
	}
}

func TestTUsesEmbeddedCatalogs(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		key  string
		want string
	}{
		{"japanese app name", Ja, "app.name", "Mamori（守り）"},
		{"english skip link", En, "nav.skip", "Skip to main content"},
		{"missing key is shown as itself", En, "no.such.key", "no.such.key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := T(tt.lang, tt.key); got != tt.want {
				t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
			}
		})
	}
}

func TestHas(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		key  string
		want bool
	}{
		{"defined key", En, "nav.home", true},
		{"undefined key", En, "no.such.key", false},
		{"unknown language has nothing", Lang("fr"), "nav.home", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Has(tt.lang, tt.key); got != tt.want {
				t.Errorf("Has(%q, %q) = %v, want %v", tt.lang, tt.key, got, tt.want)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	t.Run("keys are sorted", func(t *testing.T) {
		if keys := Keys(Ja); !slices.IsSorted(keys) {
			t.Errorf("Keys(Ja) is not sorted: %q", keys)
		}
	})
	t.Run("keys include a shell key", func(t *testing.T) {
		if !slices.Contains(Keys(En), "nav.home") {
			t.Error(`Keys(En) lacks "nav.home"`)
		}
	})
	t.Run("changing the result does not change the catalog", func(t *testing.T) {
		keys := Keys(Ja)
		keys[0] = "changed"
		if Keys(Ja)[0] == "changed" {
			t.Error("Keys returned the catalog's own slice")
		}
	})
}

func TestParseCatalog(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr string
	}{
		{name: "flat object", in: `{"a.b": "x", "c": "y"}`, want: map[string]string{"a.b": "x", "c": "y"}},
		{name: "empty object", in: `{}`, want: map[string]string{}},
		{name: "duplicate key is rejected", in: `{"a": "x", "a": "y"}`, wantErr: `key "a" appears twice`},
		{name: "non-string value is rejected", in: `{"a": 1}`, wantErr: `key "a"`},
		{name: "nested object is rejected", in: `{"a": {"b": "x"}}`, wantErr: `key "a"`},
		{name: "array is rejected", in: `["a"]`, wantErr: "must be a JSON object"},
		{name: "syntax error is rejected", in: `{"a": "x",}`, wantErr: "invalid character"},
		{name: "trailing data is rejected", in: `{} {}`, wantErr: "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCatalog([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseCatalog(%s) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseCatalog(%s): %v", tt.in, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("parseCatalog(%s) = %v, want %v", tt.in, got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("parseCatalog(%s)[%q] = %q, want %q", tt.in, k, got[k], v)
				}
			}
		})
	}
}
