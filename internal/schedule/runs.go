package schedule

import (
	"context"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

// Run is one run of a job.
type Run struct {
	ID         int64     `json:"id"`
	Job        string    `json:"job"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Outcome    string    `json:"outcome"` // ok, failed
	Count      int64     `json:"count"`   // things the run did: reminders, mails, sweeps …
	Error      string    `json:"error"`   // why it failed; for the platform administrators only
}

// Service shows the runs of the jobs to the platform administrators, who keep the
// installation the jobs run in.
type Service struct {
	DB *store.DB
}

// MaySee reports whether the actor may see the runs of the jobs: the platform administrators.
func MaySee(who access.Actor) bool { return who.CanAdminister() }

// Runs lists the newest runs, at most limit (1–500, default 100), newest first; job narrows
// them to one job when not empty.
func (s *Service) Runs(ctx context.Context, who access.Actor, job string, limit int) ([]Run, error) {
	if !MaySee(who) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, job, started_at, finished_at, outcome, count, error FROM job_runs
		WHERE ($1 = '' OR job = $1) ORDER BY started_at DESC, id DESC LIMIT $2`, job, limit)
	if err != nil {
		return nil, apperr.Wrap(err, "job runs")
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.ID, &r.Job, &r.StartedAt, &r.FinishedAt, &r.Outcome, &r.Count, &r.Error); err != nil {
			return nil, apperr.Wrap(err, "job runs")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "job runs")
	}
	return out, nil
}
