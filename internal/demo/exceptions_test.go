package demo_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/compliance"
	"mamori/internal/i18n"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestDemoCompliance: the demo of 上毛町 and 山形県 shows open findings of the pack's rules, a
// finished sweep, and approved exceptions naming a rule and an asset, one of them ending within
// a week; the findings they cover are suppressed.
func TestDemoCompliance(t *testing.T) {
	for _, id := range []string{"koge", "yamagata"} {
		t.Run(id, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				s, _, orgID := loadDemo(t, db, id, nil)
				ctx, sys := context.Background(), access.System(orgID, "test")
				_, open, err := s.Compliance.Findings(ctx, sys, compliance.Filter{Limit: 1})
				if err != nil || open == 0 {
					t.Fatalf("open findings %d, %v", open, err)
				}
				if trend, err := s.Compliance.Trend(ctx, sys, 7); err != nil || len(trend) != 1 {
					t.Fatalf("trend %+v, %v", trend, err)
				}
				list, err := s.Compliance.Exceptions(ctx, sys, "active")
				if err != nil {
					t.Fatal(err)
				}
				soon := time.Now().In(i18n.Tokyo).AddDate(0, 0, 7).Format(time.DateOnly)
				named, near := 0, 0
				for _, e := range list {
					if len(e.Rules) == 0 || len(e.Items) == 0 || e.ExpiresOn == "" || e.Reason == "" {
						continue // one the demo requests file for the record only
					}
					named++
					if e.ExpiresOn <= soon {
						near++
					}
				}
				if named < 3 {
					t.Fatalf("%d active exceptions name a rule and an asset: %+v", named, list)
				}
				if near == 0 {
					t.Fatalf("no exception ends within a week: %+v", list)
				}
				_, suppressed, err := s.Compliance.Findings(ctx, sys, compliance.Filter{State: "suppressed", Limit: 1})
				if err != nil || suppressed == 0 {
					t.Fatalf("suppressed findings %d, %v", suppressed, err)
				}
			})
		})
	}
}
