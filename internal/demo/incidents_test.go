package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/incident"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

// TestDemoIncidents checks that every pack's demo has an incident at every stage — waiting for
// triage, with a report overdue, contained with a measure or note and evidence, recovered and
// monitored, closed with its root cause and an approved and announced plan, restricted, reported
// from outside — and a 緊急連絡網 that warns of exactly one role nobody can be reached for.
func TestDemoIncidents(t *testing.T) {
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
			list, _, err := s.Incidents.List(ctx, sys, incident.Filter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, in := range list {
				got[in.State]++
				full, err := s.Incidents.Get(ctx, sys, in.ID)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case in.Restricted:
					got["restricted"]++
				case in.Outside != nil:
					got["outside"]++
				case in.State == incident.Contained && len(full.Evidence) > 0:
					got["contained with evidence"]++
				case in.State == incident.Recovered && in.MonitoringUntil != nil:
					got["monitoring"]++
				case in.State == incident.Closed && in.RootCause != "" && in.Plan.Approved() && in.Plan.AnnouncedAt != nil:
					got["closed with plan"]++
				}
				for _, n := range full.Checklist {
					if n.State == "done" && n.Means != "system" {
						got["ticked"]++
					}
				}
			}
			over, err := s.Incidents.Overdue(ctx, sys)
			if err != nil {
				t.Fatal(err)
			}
			got["overdue"] = len(over)
			for _, w := range []string{incident.Reported, incident.Open, "ticked", "overdue", "contained with evidence", "monitoring",
				"closed with plan", "restricted", "outside"} {
				if got[w] == 0 {
					t.Errorf("no demo incident %s: %v", w, got)
				}
			}
			contacts, err := s.Incidents.Contacts(ctx, sys)
			if err != nil {
				t.Fatal(err)
			}
			roleless := 0
			for _, c := range contacts.Contacts {
				if c.Role != "" && len(c.Holders) > 0 {
					reachable := false
					for _, h := range c.Holders {
						reachable = reachable || h.Phone != ""
					}
					if !reachable {
						roleless++
					}
				}
			}
			if roleless != 1 {
				t.Errorf("%d roles of the 緊急連絡網 cannot be reached, want 1", roleless)
			}
			res, err := s.Audit.Verify(ctx, sys)
			if err != nil || !res.OK() {
				t.Fatalf("audit chain: %+v %v", res, err)
			}
		})
	}
}
