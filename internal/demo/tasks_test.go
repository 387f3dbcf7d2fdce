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

// TestDemoTasks: every pack whose duties recur has a year of tasks in its demo, some done with
// the evidence their duty names, some overdue and some still to come.
func TestDemoTasks(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := func() time.Time { return time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC) } // 令和8年12月7日
	for _, pk := range lib.List() {
		t.Run(pk.ID, func(t *testing.T) {
			if len(pk.RecurringDuties()) == 0 {
				t.Skipf("%s marks no recurring duties yet", pk.ID)
			}
			db := storetest.SQLite(t)
			s, _, orgID := loadDemo(t, db, pk.ID, at)
			ctx, sys := context.Background(), access.System(orgID, "test")
			count := func(status string) int {
				_, n, err := s.Tasks.List(ctx, sys, task.Filter{FiscalYear: 2026, Status: status, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				return n
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
