// Package schedule runs Mamori's background work — reminders, the end of exceptions,
// compliance sweeps, mail, audit checkpoints — from one loop: each job is claimed once per
// cluster through the database, and each run is recorded for the platform administrators.
package schedule

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

// Job is one kind of background work.
type Job struct {
	Name  string        // e.g. request.remind; also the key of its label (jobs.name.<Name>)
	Every time.Duration // how often it runs
	// Run does the work once and says how many things it did (reminders sent, mails sent …).
	Run func(ctx context.Context) (int, error)
	// Quiet runs — nothing done, nothing failed — are not recorded (the mail, every ten
	// seconds, would bury the others).
	Quiet bool
	// AtStop runs the job once more when the scheduler stops, whether or not it is due: the
	// last audit checkpoint of a process that shuts down.
	AtStop bool
}

// Scheduler runs jobs when they are due.
type Scheduler struct {
	DB   *store.DB
	Now  func() time.Time
	Log  *slog.Logger
	Jobs []Job
	// Tick is how often the loop of Start looks for due jobs; default 10 s.
	Tick time.Duration
}

// Outcomes of a run.
const (
	OK     = "ok"
	Failed = "failed"
)

// keep is how long the runs are kept.
const keep = 90 * 24 * time.Hour

func (s *Scheduler) now() time.Time { return store.Now(s.Now) }

func (s *Scheduler) tick() time.Duration {
	if s.Tick > 0 {
		return s.Tick
	}
	return 10 * time.Second
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// RunDue runs, in their order, the jobs that are due now and that this process claims, and
// returns their runs. A job that fails does not keep the others from running.
func (s *Scheduler) RunDue(ctx context.Context) ([]Run, error) {
	var out []Run
	var errs []error
	for _, j := range s.Jobs {
		if ctx.Err() != nil {
			break
		}
		ok, err := s.claim(ctx, j)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			out = append(out, s.run(ctx, j))
		}
	}
	return out, errors.Join(errs...)
}

// claim moves the job's next_at on past now when it is due; only the process whose UPDATE does
// so runs it. The next run is due one interval on, less half a tick, so that the loop's tick
// after one interval finds it due rather than the one after.
func (s *Scheduler) claim(ctx context.Context, j Job) (bool, error) {
	now := s.now()
	if _, err := s.DB.SQL.ExecContext(ctx, `INSERT INTO jobs (name, next_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, j.Name, now); err != nil {
		return false, apperr.Wrap(err, "job "+j.Name)
	}
	next := now.Add(max(j.Every-s.tick()/2, 0))
	res, err := s.DB.SQL.ExecContext(ctx, `UPDATE jobs SET next_at = $1 WHERE name = $2 AND next_at <= $3`, next, j.Name, now)
	if err != nil {
		return false, apperr.Wrap(err, "claim job "+j.Name)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// run runs a claimed job and records the run.
func (s *Scheduler) run(ctx context.Context, j Job) Run {
	r := Run{Job: j.Name, StartedAt: s.now(), Outcome: OK}
	n, err := j.Run(ctx)
	r.FinishedAt, r.Count = s.now(), int64(n)
	if err != nil {
		r.Outcome, r.Error = Failed, clip(err.Error(), 2000)
		if ctx.Err() == nil {
			s.log().Error("job failed", "job", j.Name, "error", err, "count", n)
		}
	}
	if j.Quiet && n == 0 && err == nil {
		return r
	}
	if err := s.record(context.WithoutCancel(ctx), &r); err != nil {
		s.log().Error("job run not recorded", "job", j.Name, "error", err)
	}
	return r
}

// record writes a run and lets the runs older than keep go.
func (s *Scheduler) record(ctx context.Context, r *Run) error {
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO job_runs (job, started_at, finished_at, outcome, count, error)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.Job, r.StartedAt, r.FinishedAt, r.Outcome, r.Count, r.Error).Scan(&r.ID); err != nil {
			return apperr.Wrap(err, "job run")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM job_runs WHERE job = $1 AND started_at < $2`, r.Job, r.StartedAt.Add(-keep)); err != nil {
			return apperr.Wrap(err, "old job runs")
		}
		return nil
	})
}

// Start runs the due jobs at once and then at every tick until ctx ends. The returned function
// stops the loop, waits for the work in hand and then runs the AtStop jobs once more.
func (s *Scheduler) Start(ctx context.Context) (stop func()) {
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(s.tick())
		defer t.Stop()
		for {
			if _, err := s.RunDue(lctx); err != nil && lctx.Err() == nil {
				s.log().Error("jobs", "error", err)
			}
			select {
			case <-lctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		s.Stopping(sctx)
	}
}

// Stopping runs the AtStop jobs once, unclaimed: each process does their last work itself.
func (s *Scheduler) Stopping(ctx context.Context) []Run {
	var out []Run
	for _, j := range s.Jobs {
		if j.AtStop {
			out = append(out, s.run(ctx, j))
		}
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
