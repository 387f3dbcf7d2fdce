package main

import (
	"context"
	"log/slog"
	"time"

	"mamori/internal/app"
)

// complianceEvery is how often serve looks for a sweep to run and exceptions to end. The sweep
// itself runs once a day, and at once when an organisation's pack changes; each run is claimed
// in the database, so of several server processes one sweeps.
const complianceEvery = 10 * time.Minute

// startCompliance runs the scheduled sweeps and ends expired exceptions at once and then every
// complianceEvery until serve ends; the returned function stops it and waits for work under way.
func startCompliance(ctx context.Context, s *app.Services, log *slog.Logger) func() {
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(complianceEvery)
		defer t.Stop()
		for {
			ended, err := s.Compliance.Expire(cctx)
			if err != nil && cctx.Err() == nil {
				log.Error("exceptions", "error", err)
			} else if len(ended) > 0 {
				log.Info("exceptions ended", "count", len(ended))
			}
			sweeps, err := s.Compliance.Scheduled(cctx)
			if err != nil && cctx.Err() == nil {
				log.Error("compliance sweep", "error", err)
			}
			for _, sw := range sweeps {
				log.Info("compliance sweep", "org", sw.OrgID, "cause", sw.Cause, "assets", sw.Assets, "open", sw.Open.Total(),
					"cel", sw.CEL, "storage", sw.Storage)
			}
			select {
			case <-cctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
