package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/risk"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestDemoRisks: every pack's demo has a risk register: candidates of every threat, assessed
// risks with a plan and an owner, and one residual risk accepted with an expiry.
func TestDemoRisks(t *testing.T) {
	for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata"} {
		t.Run(id, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				s, p, orgID := loadDemo(t, db, id, nil)
				reg, err := s.Risks.List(context.Background(), access.System(orgID, "test"), risk.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				states, threats := map[string]int{}, map[string]bool{}
				for _, r := range reg.Risks {
					states[r.State]++
					threats[r.Threat] = true
					if r.State == risk.StateAssessed && (r.OwnerDepartmentID == 0 || r.ResidualLevel == "") {
						t.Errorf("assessed without owner or residual risk: %+v", r)
					}
				}
				if states[risk.StateCandidate] == 0 || states[risk.StateAssessed] != 3 || states[risk.StateAccepted] != 1 || len(threats) != len(p.Threats) {
					t.Fatalf("states %v, threats %d of %d", states, len(threats), len(p.Threats))
				}
			})
		})
	}
}
