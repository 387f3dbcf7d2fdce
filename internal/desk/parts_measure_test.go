//go:build measure

// Where the desk's time goes, for docs/PERFORMANCE.md §11.

package desk_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/compliance"
	"mamori/internal/desk"
)

// partTimes times each domain read the desk makes for who, ten runs each after one to warm:
// where the desk's time goes (MAMORI_MEASURE_PARTS=1).
func partTimes(t *testing.T, e *apptest.Env, who access.Actor) {
	ctx := context.Background()
	s := e.S
	parts := map[string]func() error{
		"awaiting": func() error { _, _, err := s.Requests.Awaiting(ctx, who, 10); return err },
		"mine":     func() error { _, _, err := s.Requests.Mine(ctx, who, 10); return err },
		"overdue":  func() error { _, _, err := s.Requests.OverdueReturns(ctx, who, 10); return err },
		"incdesk":  func() error { _, err := s.Incidents.DeskOf(ctx, who, 10); return err },
		"bystate":  func() error { _, err := s.Incidents.ByState(ctx, who, desk.FiscalYearStart(e.Clock.T)); return err },
		"findings": func() error { _, _, err := s.Compliance.DepartmentFindings(ctx, who, 10); return err },
		"overview": func() error { _, _, err := s.Compliance.Overview(ctx, who); return err },
		"ending": func() error {
			_, _, err := s.Compliance.EndingSoon(ctx, who, compliance.EndingSoonDays, 10)
			return err
		},
		"confirm": func() error { _, _, err := s.Logbooks.AwaitingConfirmation(ctx, who, 10); return err },
		"unconf":  func() error { _, err := s.Logbooks.UnconfirmedBefore(ctx, who, e.Clock.T); return err },
	}
	for name, f := range parts {
		f()
		start := time.Now()
		for range 10 {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%s %-9s %s", who.Name, name, time.Since(start)/10)
	}
}
