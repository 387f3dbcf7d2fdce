package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/store/storetest"
)

// TestEveryDemoHasAFinishedAuditAndThisYearsPlan: each pack's demo has last year's audit,
// reported, with an open finding whose corrective action is overdue, and this year's plans.
func TestEveryDemoHasAFinishedAuditAndThisYearsPlan(t *testing.T) {
	for _, pack := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata"} {
		t.Run(pack, func(t *testing.T) {
			ctx := context.Background()
			s := app.New(storetest.SQLite(t), auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
			first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "demo", OrgName: "デモ", PackID: pack})
			if err != nil {
				t.Fatal(err)
			}
			p, _, err := s.Policy.Active(ctx, first.Org.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := demo.Load(ctx, s, first.Org.ID, p); err != nil {
				t.Fatal(err)
			}
			sys := access.System(first.Org.ID, "test")
			year := audit.FiscalYear(s.Now())
			last, err := s.Audits.List(ctx, sys, year-1)
			if err != nil || len(last) != 1 || last[0].State != audit.StateReported || last[0].OpenFindings != 1 || last[0].Report.SHA256 == "" {
				t.Fatalf("last year's audits: %+v %v", last, err)
			}
			d, err := s.Audits.Get(ctx, sys, last[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			overdue := 0
			for _, f := range d.Findings {
				for _, c := range f.Actions {
					if c.Overdue {
						overdue++
					}
				}
			}
			if overdue != 1 || audit.ReportHash(d) != d.Report.SHA256 {
				t.Fatalf("overdue actions %d, report hash %s vs %s", overdue, audit.ReportHash(d), d.Report.SHA256)
			}
			plans, err := s.Audits.Plans(ctx, sys, year)
			if err != nil || len(plans) != 2 {
				t.Fatalf("this year's plans: %+v %v", plans, err)
			}
			if now, _ := s.Audits.List(ctx, sys, year); len(now) != 1 {
				t.Fatalf("this year's audits: %+v", now)
			}
		})
	}
}
