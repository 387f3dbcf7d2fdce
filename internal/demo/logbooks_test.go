package demo_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/i18n"
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
		for _, e := range list {
			// Entries are written in office hours on weekdays (8:30–17:15): every date and time
			// of an entry falls there.
			for _, f := range lb.Fields {
				v, _ := e.Fields[f.ID].(string)
				at, err := time.Parse(time.RFC3339, v)
				if f.Type != "datetime" || err != nil {
					continue
				}
				at = at.In(i18n.Tokyo)
				mins := at.Hour()*60 + at.Minute()
				if wd := at.Weekday(); wd == time.Saturday || wd == time.Sunday || mins < 8*60+30 || mins > 17*60+15 {
					t.Errorf("%s: %s at %s, outside office hours", lb.ID, f.ID, at.Format("Mon 2006-01-02 15:04"))
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
