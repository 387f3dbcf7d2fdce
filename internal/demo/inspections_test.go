package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/inspection"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

// TestDemoInspections checks that every pack's demo has last year's closed campaign and this
// year's in progress, with answers, one sheet sent back, submitted sheets and open findings of
// 未実施 answers, one of last year's overdue.
func TestDemoInspections(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range lib.List() {
		t.Run(pk.ID, func(t *testing.T) {
			db := storetest.SQLite(t)
			s, _, orgID := loadDemo(t, db, pk.ID, nil)
			ctx := context.Background()
			sys := access.System(orgID, "test")
			list, err := s.Inspections.Campaigns(ctx, sys)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || list[0].State != inspection.CampaignOpen || list[1].State != inspection.CampaignClosed ||
				list[0].FiscalYear != list[1].FiscalYear+1 {
				t.Fatalf("campaigns %+v", list)
			}
			pr, err := s.Inspections.Campaign(ctx, sys, list[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, sh := range pr.Sheets {
				got[sh.State]++
				if sh.Answered > 0 {
					got["answered"]++
				}
			}
			if got[inspection.SheetReturned] != 1 || got[inspection.SheetSubmitted] == 0 || got["answered"] < 2 {
				t.Fatalf("sheets %v", got)
			}
			res, err := s.Inspections.Results(ctx, sys, list[0].ID)
			if err != nil || res.Previous == nil || len(res.Chapters) == 0 {
				t.Fatalf("results: %v %+v", err, res.Previous)
			}
			found, err := s.Inspections.Findings(ctx, sys, inspection.FindingFilter{})
			if err != nil {
				t.Fatal(err)
			}
			overdue := 0
			for _, f := range found {
				if f.Overdue {
					overdue++
				}
			}
			if len(found) < 2 || overdue == 0 {
				t.Fatalf("%d open findings, %d overdue", len(found), overdue)
			}
		})
	}
}
