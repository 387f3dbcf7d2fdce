package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/transfer"
)

// TestDemoTransfers: every pack's demo has last April's 人事異動 applied (moves, a hire, a leaver)
// and the coming April's list waiting for its day.
func TestDemoTransfers(t *testing.T) {
	for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata"} {
		t.Run(id, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				s, _, orgID := loadDemo(t, db, id, nil)
				ctx, sys := context.Background(), access.System(orgID, "test")
				applied, err := s.Transfers.Lists(ctx, sys, transfer.StateApplied, 10)
				if err != nil {
					t.Fatal(err)
				}
				pending, err := s.Transfers.Lists(ctx, sys, transfer.StatePending, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(applied) != 1 || len(pending) != 1 {
					t.Fatalf("applied %d, pending %d lists", len(applied), len(pending))
				}
				moves, err := org.MovesBetween(ctx, db.SQL, orgID, "", "")
				if err != nil {
					t.Fatal(err)
				}
				kinds := map[string]int{}
				for _, m := range moves {
					kinds[m.Kind]++
				}
				if kinds[org.MoveHire] != 1 || kinds[org.MoveLeave] < 1 || kinds[org.MoveTransfer] < 1 {
					t.Fatalf("moves in effect: %v", kinds)
				}
				rep, err := s.Transfers.Check(ctx, sys, pending[0].ID)
				if err != nil || rep.Later != 3 {
					t.Fatalf("pending list: %d waiting, %v", rep.Later, err)
				}
			})
		})
	}
}
