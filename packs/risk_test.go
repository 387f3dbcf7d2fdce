package packs

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

var topLevelKey = regexp.MustCompile(`\n[a-z_]+:`)

// TestEveryPackAnalysesRisks: every shipped pack names the threats it analyses and a full risk
// matrix, which no source defines (origin: added); 土岐市 keeps the base pack's matrix with an
// impact scale of its own three axes; each pack writes risk: right after threats:.
func TestEveryPackAnalysesRisks(t *testing.T) {
	lib := mustLoad(t)
	for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata"} {
		p, ok := lib.Get(id)
		if !ok {
			t.Fatalf("pack %s missing", id)
		}
		r := p.Risk
		if len(p.Threats) < 3 || !r.Defined() || !r.Cite.Added() {
			t.Errorf("%s: %d threats, risk %+v", id, len(p.Threats), r)
			continue
		}
		for _, l := range r.Likelihood {
			for _, i := range r.Impact {
				if r.LevelOf(l.ID, i.ID) == "" {
					t.Errorf("%s: no risk level for %s × %s", id, l.ID, i.ID)
				}
			}
		}
		if _, ok := p.Role(r.AcceptedBy); !ok || r.AcceptDays <= 0 {
			t.Errorf("%s: residual risk accepted by %q for %d days", id, r.AcceptedBy, r.AcceptDays)
		}
		for _, axis := range p.Classification.Axes {
			top := axis.Levels[0]
			for _, l := range axis.Levels {
				if l.Rank > top.Rank {
					top = l
				}
			}
			if got := r.ImpactOf(map[string]string{axis.ID: top.ID}); got != r.Impact[len(r.Impact)-1].ID {
				t.Errorf("%s: the top level %s:%s is proposed impact %q, not the highest", id, axis.ID, top.ID, got)
			}
		}
		b, err := os.ReadFile(id + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		th, rk := strings.Index(s, "\nthreats:"), strings.Index(s, "\nrisk:")
		// The access review (棚卸し) sits between them, just before risk:.
		if ar := strings.Index(s, "\naccess_review:"); ar > th && ar < rk {
			rk = ar
		}
		if th < 0 || rk < th || topLevelKey.MatchString(s[th+1:rk]) {
			t.Errorf("%s: risk: does not follow threats:", id)
		}
	}
	toki, _ := lib.Get("toki")
	if !toki.Inherited["risk/matrix"] || toki.Inherited["risk/impact"] {
		t.Errorf("toki: inherited %v", toki.Inherited)
	}
}
