package main

import (
	"context"
	"log/slog"
	"time"

	"mamori/internal/app"
)

// remindEvery is how often serve sweeps for overdue returns, late reports and incident reports
// past their deadline. Each is reminded at most once a day whichever process sweeps, so every
// server process may run it.
const remindEvery = time.Hour

// startReminders sweeps for reminders at once and then every remindEvery until serve ends; the
// returned function stops it and waits for a sweep under way.
func startReminders(ctx context.Context, s *app.Services, log *slog.Logger) func() {
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(remindEvery)
		defer t.Stop()
		for {
			sent, err := s.Requests.Remind(rctx)
			switch {
			case err != nil && rctx.Err() == nil:
				log.Error("reminders", "error", err, "sent", len(sent))
			case len(sent) > 0:
				log.Info("reminders sent", "count", len(sent))
			}
			if late, err := s.Incidents.Remind(rctx); err != nil && rctx.Err() == nil {
				log.Error("incident reminders", "error", err, "sent", len(late))
			} else if len(late) > 0 {
				log.Info("incident reminders sent", "count", len(late))
			}
			select {
			case <-rctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
