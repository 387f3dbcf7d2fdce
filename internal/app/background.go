package app

import (
	"context"
	"log/slog"
	"time"

	"mamori/internal/auditlog"
	"mamori/internal/notify"
	"mamori/internal/schedule"
)

// How often each background job runs. Each run is claimed in the database, so of several server
// processes one runs it.
const (
	// RemindEvery: overdue returns, late reports and incident reports past their deadline are
	// looked for hourly; each is reminded of at most once a day.
	RemindEvery = time.Hour
	// ComplianceEvery: exceptions past their last day end, and a sweep is looked for — the
	// sweep itself runs once a day, and at once when an organisation's pack changes.
	ComplianceEvery = 10 * time.Minute
	// TaskEvery: the year's tasks of recurring duties are made for departments and systems
	// where a role came to be held, and their holders reminded of those due soon or overdue.
	TaskEvery = time.Hour
	// AccountsEvery: the pack's account rules over every system account, so that a leaver or
	// a mover recorded by the 人事異動 shows on the system's administrator's desk.
	AccountsEvery = time.Hour
	// TransferEvery: the moves of pending 人事異動 lists take effect on their day (from 00:00
	// JST, at the latest this long after).
	TransferEvery = 10 * time.Minute
	// TrainingEvery: new hires and those transferred (the April 人事異動 above all) are
	// assigned the courses of the year's training plan.
	TrainingEvery = time.Hour
	// CheckpointEvery: a signed checkpoint of each audit chain that moved on.
	CheckpointEvery = time.Hour
)

// Background is what the scheduler needs beyond the services: the mailer when mail is on, the
// place of the audit checkpoints, and the log its jobs report to.
type Background struct {
	Mailer *notify.Mailer   // nil: no mail is sent
	Anchor *auditlog.Anchor // nil: no checkpoints are signed
	Log    *slog.Logger
}

// Scheduler returns the one scheduler of the background jobs, in the order they run when due
// together: reminders, the end of exceptions before the sweep that counts what they suppressed,
// mail, audit checkpoints (once more when the scheduler stops).
func (s *Services) Scheduler(b Background) *schedule.Scheduler {
	log := b.Log
	if log == nil {
		log = slog.Default()
	}
	jobs := []schedule.Job{
		{Name: "request.remind", Every: RemindEvery, Run: func(ctx context.Context) (int, error) {
			sent, err := s.Requests.Remind(ctx)
			if len(sent) > 0 {
				log.Info("reminders sent", "count", len(sent))
			}
			return len(sent), err
		}},
		{Name: "incident.remind", Every: RemindEvery, Run: func(ctx context.Context) (int, error) {
			late, err := s.Incidents.Remind(ctx)
			if len(late) > 0 {
				log.Info("incident reminders sent", "count", len(late))
			}
			return len(late), err
		}},
		{Name: "transfer.apply", Every: TransferEvery, Run: func(ctx context.Context) (int, error) {
			due, err := s.Transfers.ApplyDue(ctx)
			n := 0
			for _, d := range due {
				if d.Problem != "" {
					log.Warn("transfer list not applied", "org", d.OrgID, "list", d.ListID, "problem", d.Problem)
					continue
				}
				log.Info("transfers applied", "org", d.OrgID, "list", d.ListID, "count", d.Applied)
				n += d.Applied
			}
			return n, err
		}},
		{Name: "task.generate", Every: TaskEvery, Run: func(ctx context.Context) (int, error) {
			made, err := s.Tasks.GenerateAll(ctx)
			n := 0
			for _, g := range made {
				log.Info("tasks made", "org", g.OrgID, "fiscal_year", g.FiscalYear, "count", g.Created)
				n += g.Created
			}
			return n, err
		}},
		{Name: "task.remind", Every: TaskEvery, Run: func(ctx context.Context) (int, error) {
			sent, err := s.Tasks.Remind(ctx)
			if len(sent) > 0 {
				log.Info("task reminders sent", "count", len(sent))
			}
			return len(sent), err
		}},
		{Name: "training.assign", Every: TrainingEvery, Run: func(ctx context.Context) (int, error) {
			made, err := s.Trainings.AssignAll(ctx)
			n := 0
			for _, a := range made {
				log.Info("training assigned", "org", a.OrgID, "fiscal_year", a.FiscalYear, "count", a.Created)
				n += a.Created
			}
			return n, err
		}},
		{Name: "compliance.expire", Every: ComplianceEvery, Run: func(ctx context.Context) (int, error) {
			ended, err := s.Compliance.Expire(ctx)
			if len(ended) > 0 {
				log.Info("exceptions ended", "count", len(ended))
			}
			return len(ended), err
		}},
		{Name: "compliance.sweep", Every: ComplianceEvery, Run: func(ctx context.Context) (int, error) {
			sweeps, err := s.Compliance.Scheduled(ctx)
			for _, sw := range sweeps {
				log.Info("compliance sweep", "org", sw.OrgID, "cause", sw.Cause, "assets", sw.Assets, "open", sw.Open.Total(),
					"cel", sw.CEL, "storage", sw.Storage)
			}
			return len(sweeps), err
		}},
		{Name: "system_account.sweep", Every: AccountsEvery, Run: s.SystemAccounts.SweepAll},
	}
	if m := b.Mailer; m != nil {
		jobs = append(jobs, schedule.Job{Name: "mail.send", Every: m.Every(), Quiet: true, Run: m.SendDue})
	}
	if an := b.Anchor; an != nil {
		jobs = append(jobs, schedule.Job{Name: "audit.checkpoint", Every: CheckpointEvery, AtStop: true, Run: func(ctx context.Context) (int, error) {
			cps, err := an.CheckpointAll(ctx, s.DB.SQL, true, s.Now())
			for _, c := range cps {
				log.Info("audit checkpoint", "org", c.Org, "seq", c.Seq, "hash", c.Hash, "key", c.Key, "file", an.File)
			}
			return len(cps), err
		}})
	}
	return &schedule.Scheduler{DB: s.DB, Now: s.Now, Log: log, Jobs: jobs}
}
