package policy

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzLoadFile loads any file as an organisation's own pack over the shipped packs: it never
// panics, and either compiles the pack it names or lists problems that each name the file.
func FuzzLoadFile(f *testing.F) {
	base, err := LoadFS(os.DirFS("../../packs"), ".")
	if err != nil {
		f.Fatal(err)
	}
	town, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		f.Fatal(err)
	}
	toki, err := os.ReadFile("../../packs/toki.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(town)
	f.Add(toki)
	village := "id: village\nname: テスト村\norganization: テスト村\nkind: municipality\nversion: \"1\"\nsource: village.txt\nextends: base\n" +
		"auth:\n  lockout_after_failures: 5\n  cite: {article: \"1\", quote: \"5回\"}\n" +
		"roles:\n  - {id: ciso, name: CISO, held_by: 村長, scope: organization, cite: {article: \"1\", quote: \"村長\"}}\n"
	f.Add([]byte(village))
	f.Add([]byte(strings.Replace(village, "extends: base", "extends: village", 1)))
	f.Add([]byte(village + "rules:\n  - {id: r, on: asset, when: \"asset.class.nowhere.rank >\", require: \"true\", severity: high, title: t, cite: {article: \"1\", quote: q}}\n"))
	f.Add([]byte("a: &a [*a, *a, *a, *a]\nb: &b [*a, *a, *a, *a]\n"))
	f.Add([]byte("id: [unterminated\n"))
	f.Add([]byte("\xef\xbb\xbfid: bom\n\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := LoadFile("own.yaml", data, base)
		if err == nil {
			if c == nil || c.ID == "" {
				t.Fatalf("a pack without an id loaded: %+v", c)
			}
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error %T %v lists no problems", err, err)
		}
		for _, p := range ps {
			if p.File == "" || p.Message == "" {
				t.Fatalf("problem %+v names no file or says nothing", p)
			}
		}
	})
}
