package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/review"
	"mamori/internal/store/storetest"
)

// TestDemoReviews: every pack's demo has last year's review decided — a proposal to keep, one
// to amend (approved) and one to add (rejected) — and three procedures, one past its review
// date and one open to all staff.
func TestDemoReviews(t *testing.T) {
	for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata"} {
		t.Run(id, func(t *testing.T) {
			db := storetest.SQLite(t)
			s, _, orgID := loadDemo(t, db, id, nil)
			ctx, sys := context.Background(), access.System(orgID, "test")
			list, err := s.Reviews.List(ctx, sys)
			if err != nil || len(list) != 1 {
				t.Fatalf("reviews %+v, %v", list, err)
			}
			r := list[0]
			if r.State != review.Decided || r.FiscalYear != review.FiscalYear(s.Now())-1 || len(r.Proposals) != 3 {
				t.Fatalf("last year's review %+v", r)
			}
			kinds := map[string]string{}
			for _, p := range r.Proposals {
				kinds[p.Kind] = p.Decision
			}
			if kinds[review.Amend] != review.Approved || kinds[review.Add] != review.Rejected || kinds[review.Keep] != review.Approved {
				t.Errorf("decisions %v", kinds)
			}
			procs, err := s.Reviews.Procedures(ctx, sys, review.ProcedureFilter{})
			if err != nil || len(procs) != 3 {
				t.Fatalf("procedures %+v, %v", procs, err)
			}
			overdue, public := 0, 0
			for _, p := range procs {
				if p.Overdue {
					overdue++
				}
				if p.AllStaff {
					public++
				}
			}
			if overdue != 1 || public != 1 {
				t.Errorf("%d overdue, %d open to all staff", overdue, public)
			}
			// The year's incidents and findings are facts of the articles they cite.
			from, to := review.Period(review.FiscalYear(s.Now()))
			inc, err := s.Incidents.ArticleFacts(ctx, sys, from, to)
			if err != nil {
				t.Fatal(err)
			}
			fnd, err := s.Compliance.ArticleFacts(ctx, sys, from, to)
			if err != nil || len(fnd) == 0 {
				t.Fatalf("%d finding facts, %v", len(fnd), err)
			}
			for _, f := range append(inc, fnd...) {
				if f.Article == "" || f.Link == "" || f.Title == "" || f.State == "" {
					t.Errorf("fact %+v", f)
				}
			}
			if id == "koge" && len(inc) == 0 {
				t.Error("no incident of the demo cites an article")
			}
		})
	}
}
