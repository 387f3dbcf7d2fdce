package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/logbook"
	"mamori/internal/policy"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

// TestDemoLogbooks checks that every logbook of every pack's demo has entries, that visitors in
// a room access log are escorted, and that a second-person logbook has confirmed entries and
// some still 未確認.
func TestDemoLogbooks(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range lib.List() {
		t.Run(pk.ID, func(t *testing.T) {
			db := storetest.SQLite(t)
			s, p, orgID := loadDemo(t, db, pk.ID, nil)
			checkDemoLogbooks(t, s.Logbooks, p.Logbooks, orgID)
		})
	}
}

func checkDemoLogbooks(t *testing.T, lbs *logbook.Service, books []policy.Logbook, orgID int64) {
	t.Helper()
	ctx := context.Background()
	sys := access.System(orgID, "test")
	for _, lb := range books {
		list, total, err := lbs.List(ctx, sys, logbook.Filter{Logbook: lb.ID, Limit: 500})
		if err != nil || total == 0 {
			t.Fatalf("%s: %d entries (%v)", lb.ID, total, err)
		}
		pending, visitors := 0, 0
		for _, e := range list {
			if e.Status == logbook.Pending {
				pending++
			}
			if e.Visitor {
				visitors++
				if e.EscortStaffID == 0 && e.Fields["escort"] == nil {
					t.Errorf("%s: visitor without escort: %+v", lb.ID, e)
				}
			}
		}
		if lb.SecondPerson && (pending == 0 || pending == total) {
			t.Errorf("%s: %d of %d entries unconfirmed", lb.ID, pending, total)
		}
		if logbook.IsRoomAccess(lb) && visitors == 0 {
			t.Errorf("%s: no visitors", lb.ID)
		}
	}
}
