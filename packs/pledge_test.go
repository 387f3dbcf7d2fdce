package packs

import (
	"slices"
	"testing"
)

// TestPledgesAreThoseTheSourcesRequire checks who signs each shipped pack's pledges and when:
// 上毛町 and 山形県 ask their 非常勤 staff at hiring, 岸和田市 the staff of its contractors at the
// start of their work; 安平町's is its board's own setting, 土岐市's are the base pack's.
func TestPledgesAreThoseTheSourcesRequire(t *testing.T) {
	for _, c := range []struct {
		pack, id, employment, event string
		added, inherited            bool
	}{
		{"koge", "nonregular-consent", "fiscal_year", "hire", false, false},
		{"yamagata", "nonregular-consent", "part_time", "hire", false, false},
		{"kishiwada", "contractor-confidentiality", "contractor", "contract_start", false, false},
		{"abira-kyoiku", "contractor-compliance", "contractor", "contract_start", true, false},
		{"toki", "nonregular-consent", "part_time", "hire", true, true},
		{"toki", "contractor-confidentiality", "contractor", "contract_start", true, true},
	} {
		p := mustLoad(t)
		pk, ok := p.Get(c.pack)
		if !ok {
			t.Fatalf("pack %s missing", c.pack)
		}
		x, ok := pk.Pledge(c.id)
		if !ok {
			t.Errorf("%s: no pledge %s", c.pack, c.id)
			continue
		}
		if !x.Binds(c.employment, nil) || x.Binds("regular", nil) {
			t.Errorf("%s/%s: signers %+v", c.pack, c.id, x.Signers)
		}
		if !x.On(c.event) || !x.On("policy_change") {
			t.Errorf("%s/%s: when %v", c.pack, c.id, x.When)
		}
		if !x.TextCite.Added() {
			t.Errorf("%s/%s: the sources give no form text, yet the text is not marked added", c.pack, c.id)
		}
		if pk.Inherited["pledges/"+c.id] != c.inherited {
			t.Errorf("%s/%s: inherited %v", c.pack, c.id, pk.Inherited["pledges/"+c.id])
		}
		if !c.inherited && x.Cite.Added() != c.added {
			t.Errorf("%s/%s: cite added %v, want %v", c.pack, c.id, x.Cite.Added(), c.added)
		}
		if slices.Contains(x.Signers.Employment, "regular") {
			t.Errorf("%s/%s: no source asks regular staff to sign", c.pack, c.id)
		}
	}
}
