package schedule_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/schedule"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// counter is a job's work that counts its runs and does n things each time.
type counter struct {
	runs int
	n    int
	err  error
}

func (c *counter) run(context.Context) (int, error) { c.runs++; return c.n, c.err }

// Each job runs when it is due by the clock: at once, then once per interval.
func TestJobsRunWhenDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := &clock{t: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		hourly, often := &counter{n: 2}, &counter{}
		s := &schedule.Scheduler{DB: db, Now: c.now, Jobs: []schedule.Job{
			{Name: "hourly", Every: time.Hour, Run: hourly.run},
			{Name: "often", Every: 10 * time.Minute, Run: often.run},
		}}
		step := func(d time.Duration, wantHourly, wantOften int) {
			t.Helper()
			c.t = c.t.Add(d)
			if _, err := s.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
			if hourly.runs != wantHourly || often.runs != wantOften {
				t.Fatalf("at %s: hourly ran %d times, often %d; want %d and %d", c.t.Format(time.TimeOnly), hourly.runs, often.runs, wantHourly, wantOften)
			}
		}
		step(0, 1, 1)
		step(time.Second, 1, 1)
		step(10*time.Minute, 1, 2)
		step(5*time.Minute, 1, 2)
		step(45*time.Minute, 2, 3)
		step(time.Hour, 3, 4)

		admin := access.System(1, "test")
		runs, err := (&schedule.Service{DB: db}).Runs(ctx, admin, "hourly", 0)
		if err != nil || len(runs) != 3 || runs[0].Outcome != schedule.OK || runs[0].Count != 2 || !runs[0].StartedAt.Equal(c.t) {
			t.Fatalf("runs of hourly %+v %v", runs, err)
		}
	})
}

// Of two processes on one database, one runs each due job.
func TestOneProcessRunsEachJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h1, h2 := storetest.TwoHandles(t, db)
		c := &clock{t: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		work := &counter{}
		a := &schedule.Scheduler{DB: h1, Now: c.now, Jobs: []schedule.Job{{Name: "remind", Every: time.Hour, Run: work.run}}}
		b := &schedule.Scheduler{DB: h2, Now: c.now, Jobs: []schedule.Job{{Name: "remind", Every: time.Hour, Run: work.run}}}
		for i := 0; i < 3; i++ {
			for _, s := range []*schedule.Scheduler{a, b, b, a} {
				if _, err := s.RunDue(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if work.runs != i+1 {
				t.Fatalf("hour %d: %d runs, want %d", i, work.runs, i+1)
			}
			c.t = c.t.Add(time.Hour)
		}
	})
}

// A failed run is recorded with its error for the administrators only, and does not keep the
// next job from running; quiet runs that did nothing are not recorded; the AtStop jobs run once
// more at the end.
func TestRunsRecordedForAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := &clock{t: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		broken := &counter{n: 1, err: errors.New("smtp: connection refused")}
		mail, last := &counter{}, &counter{n: 1}
		s := &schedule.Scheduler{DB: db, Now: c.now, Jobs: []schedule.Job{
			{Name: "broken", Every: time.Hour, Run: broken.run},
			{Name: "mail", Every: 10 * time.Second, Quiet: true, Run: mail.run},
			{Name: "checkpoint", Every: time.Hour, AtStop: true, Run: last.run},
		}}
		runs, err := s.RunDue(ctx)
		if err != nil || len(runs) != 3 || runs[0].Outcome != schedule.Failed || mail.runs != 1 || last.runs != 1 {
			t.Fatalf("first runs %+v %v", runs, err)
		}
		mail.n = 4
		c.t = c.t.Add(10 * time.Second)
		if _, err := s.RunDue(ctx); err != nil || mail.runs != 2 || broken.runs != 1 {
			t.Fatalf("mail ran %d times, broken %d; %v", mail.runs, broken.runs, err)
		}
		if got := s.Stopping(ctx); len(got) != 1 || got[0].Job != "checkpoint" || last.runs != 2 {
			t.Fatalf("at stop %+v", got)
		}

		svc := &schedule.Service{DB: db}
		list, err := svc.Runs(ctx, access.System(1, "test"), "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var jobs []string
		for _, r := range list {
			jobs = append(jobs, r.Job)
		}
		// Newest first; the quiet mail run that sent nothing is not there.
		if got := strings.Join(jobs, " "); got != "checkpoint mail checkpoint broken" {
			t.Fatalf("runs %q", got)
		}
		if r := list[3]; r.Outcome != schedule.Failed || r.Error != "smtp: connection refused" || r.Count != 1 {
			t.Fatalf("failed run %+v", r)
		}
		if _, err := svc.Runs(ctx, access.Actor{OrgID: 1, UserID: 5, StaffID: 3}, "", 0); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a user who is not an administrator saw the runs: %v", err)
		}
	})
}
