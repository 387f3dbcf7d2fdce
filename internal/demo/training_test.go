package demo_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/store/storetest"
	"mamori/internal/training"
	"mamori/packs"
)

// TestDemoTraining: every shipped pack's demo has this year's training plan with attendance and
// gaps — people who took their courses and people still missing, some overdue — and 岸和田市's
// has new hires, transfers, a make-up session and imported e-learning.
func TestDemoTraining(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := func() time.Time { return time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC) }
	for _, pk := range lib.List() {
		if pk.Source == "" {
			continue
		}
		t.Run(pk.ID, func(t *testing.T) {
			db := storetest.SQLite(t)
			s, _, orgID := loadDemo(t, db, pk.ID, at)
			ctx, sys := context.Background(), access.System(orgID, "test")
			pl, err := s.Trainings.PlanFor(ctx, sys, 2026)
			if err != nil {
				t.Fatal(err)
			}
			m, err := s.Trainings.Matrix(ctx, sys, pl.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			overdue := 0
			for _, c := range pl.Courses {
				overdue += c.Overdue
			}
			if m.Total.Completed == 0 || m.Total.Completed == m.Total.Assigned || overdue == 0 {
				t.Fatalf("completed %d of %d, overdue %d", m.Total.Completed, m.Total.Assigned, overdue)
			}
			if pk.ID != "kishiwada" {
				return
			}
			reasons := map[string]int{}
			hows := map[string]int{}
			list, err := s.Trainings.Assignments(ctx, sys, training.Filter{PlanID: pl.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				reasons[a.Reason]++
				hows[a.How]++
			}
			if reasons[training.ReasonHire] < 2 || reasons[training.ReasonTransfer] < 2 || hows[training.HowImport] == 0 || hows[training.HowRollCall] == 0 {
				t.Errorf("reasons %v, recorded %v", reasons, hows)
			}
			sessions, err := s.Trainings.Sessions(ctx, sys, pl.ID)
			if err != nil {
				t.Fatal(err)
			}
			makeup := false
			for _, x := range sessions {
				makeup = makeup || x.MakeupOf != 0
			}
			if !makeup {
				t.Error("no make-up session")
			}
		})
	}
}
