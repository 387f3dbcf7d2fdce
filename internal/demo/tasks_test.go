package demo_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/store/storetest"
	"mamori/internal/task"
	"mamori/packs"
)

// TestDemoTasks: every shipped pack's demo has this year's and last year's tasks, some done with
// the evidence their duty names, some overdue and some still to come.
func TestDemoTasks(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := func() time.Time { return time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC) } // 令和8年12月7日
	for _, pk := range lib.List() {
		if pk.Source == "" {
			continue // the base pack, which no organisation runs by itself
		}
		t.Run(pk.ID, func(t *testing.T) {
			if len(pk.RecurringDuties()) == 0 {
				t.Fatalf("%s marks no recurring duties", pk.ID)
			}
			db := storetest.SQLite(t)
			s, _, orgID := loadDemo(t, db, pk.ID, at)
			ctx, sys := context.Background(), access.System(orgID, "test")
			// Over this fiscal year and the last, which the demo also makes and follows.
			count := func(status string) int {
				total := 0
				for _, y := range []int{2025, 2026} {
					_, n, err := s.Tasks.List(ctx, sys, task.Filter{FiscalYear: y, Status: status, Limit: 1})
					if err != nil {
						t.Fatal(err)
					}
					total += n
				}
				return total
			}
			done, overdue, ahead := count(task.StatusDone), count(task.StatusOverdue), count(task.StatusUpcoming)+count(task.StatusCurrent)
			if done == 0 || overdue == 0 || ahead == 0 {
				t.Fatalf("done %d, overdue %d, current or upcoming %d", done, overdue, ahead)
			}
			list, _, err := s.Tasks.List(ctx, sys, task.Filter{FiscalYear: 2026, Status: task.StatusDone, Limit: task.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range list {
				full, err := s.Tasks.Get(ctx, sys, x.ID)
				if err != nil {
					t.Fatal(err)
				}
				ok := full.DoneBy != "" && full.DoneByUserID != 0
				switch full.Evidence {
				case "file":
					ok = ok && full.File != nil
				case "logbook":
					ok = ok && full.LogbookEntryID != 0
				case "checklist":
					ok = ok && len(full.Ticked) == len(full.Checklist)
				default:
					ok = ok && full.Note != ""
				}
				if !ok {
					t.Errorf("task %d (%s) done without its evidence: %+v", full.ID, full.DutyID, full)
				}
			}
		})
	}
}
