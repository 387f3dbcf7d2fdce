package i18n

import (
	"slices"
	"testing"
)

func TestParseLang(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Lang
	}{
		{"english tag is English", "en", En},
		{"english with region is English", "en-US", En},
		{"underscore region is English", "en_GB", En},
		{"upper case is English", "EN", En},
		{"surrounding space is ignored", " en ", En},
		{"japanese tag is Japanese", "ja", Ja},
		{"japanese with region is Japanese", "ja-JP", Ja},
		{"empty defaults to Japanese", "", Ja},
		{"unsupported language defaults to Japanese", "fr", Ja},
		{"a word starting with en is not English", "english", Ja},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseLang(tt.in); got != tt.want {
				t.Errorf("ParseLang(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLangsListsJapaneseFirst(t *testing.T) {
	if got, want := Langs(), []Lang{Ja, En}; !slices.Equal(got, want) {
		t.Errorf("Langs() = %v, want %v", got, want)
	}
}
