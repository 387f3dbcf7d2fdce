package main

import (
	"encoding/json"
	"strings"
	"testing"

	"mamori/internal/policy"
)

// TestPackShowCarriesTheIndexOfTheSource: pack show lists the articles no element acts on, and
// its JSON carries the whole index.
func TestPackShowCarriesTheIndexOfTheSource(t *testing.T) {
	out := mustCLI(t, "pack", "show", "abira-kyoiku")
	for _, line := range []string{"■ 原典の条項（", "第1章 総則（対応あり", "    未対応 ［第1条］趣旨"} {
		if !strings.Contains(out, line) {
			t.Errorf("show abira-kyoiku lacks %q", line)
		}
	}
	if strings.Contains(out, "未対応 ［第15条］") {
		t.Error("show abira-kyoiku marks 第15条, which its approvals act on, as unacted")
	}
	var p struct {
		Articles []policy.SourceChapter `json:"articles"`
	}
	if err := json.Unmarshal([]byte(mustCLI(t, "pack", "show", "abira-kyoiku", "--json")), &p); err != nil {
		t.Fatal(err)
	}
	var n int
	for _, ch := range p.Articles {
		for _, a := range ch.Items {
			if a.Number == "" || a.Title == "" || a.Quote == "" {
				t.Errorf("index entry %+v lacks a number, title or quote", a)
			}
			n++
		}
	}
	if len(p.Articles) != 12 || n != 62 {
		t.Errorf("JSON index: %d chapters, %d articles; want 第1章〜第11章 and 附則, 第1条〜第61条 and 附則", len(p.Articles), n)
	}
}
