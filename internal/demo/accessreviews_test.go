package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/accessreview"
	"mamori/internal/policy"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

// TestDemoAccessReviews checks that 岸和田市's demo has one access review in progress that found
// a leaver whose account is still to be removed, and every other pack one finished review with
// every account decided and every removal or change proved.
func TestDemoAccessReviews(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range lib.List() {
		if pk.Source == "" {
			continue
		}
		t.Run(pk.ID, func(t *testing.T) {
			db := storetest.SQLite(t)
			s, _, orgID := loadDemo(t, db, pk.ID, nil)
			ctx := context.Background()
			sys := access.System(orgID, "test")
			list, err := s.AccessReviews.List(ctx, sys, accessreview.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Fatalf("reviews %+v", list)
			}
			r := list[0]
			if pk.ID != "kishiwada" {
				if r.State != accessreview.StateClosed || r.Counts.Decided != r.Counts.Total || r.Counts.Awaiting != 0 || r.Counts.Total < 4 {
					t.Fatalf("finished review %+v", r)
				}
				return
			}
			if r.State != accessreview.StateOpen || r.Counts.Pending == 0 || r.Counts.Decided == 0 {
				t.Fatalf("review in progress %+v", r)
			}
			_, leavers, err := s.AccessReviews.Items(ctx, sys, r.ID, accessreview.ItemFilter{Flag: policy.FlagLeaver})
			if err != nil || len(leavers) != 1 || leavers[0].Outcome != "" {
				t.Fatalf("leaver %+v %v", leavers, err)
			}
		})
	}
}
