package task

import (
	"context"

	"mamori/internal/access"
)

// Overdue returns, for the desk, the overdue tasks whose role the actor holds, most overdue
// first, and how many there are.
func (s *Service) Overdue(ctx context.Context, who access.Actor, limit int) ([]Task, int, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return []Task{}, 0, err
	}
	return s.List(ctx, who, Filter{Status: StatusOverdue, Mine: true, Limit: limit})
}

// OverdueCount counts the overdue tasks the actor reads (the whole organisation's for those
// who watch it).
func (s *Service) OverdueCount(ctx context.Context, who access.Actor) (int, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return 0, err
	}
	w, args, err := s.where(who, Filter{Status: StatusOverdue})
	if err != nil {
		return 0, err
	}
	var n int
	err = s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM tasks t WHERE `+w, args...).Scan(&n)
	return n, err
}

// Summary is the fiscal year's tasks the actor reads, counted by status, with the overdue ones
// (up to a limit) for the committee report.
type Summary struct {
	FiscalYear   int    `json:"fiscal_year"`
	Counts       Count  `json:"counts"`
	Overdue      []Task `json:"overdue"`
	OverdueTotal int    `json:"overdue_total"`
}

// SummaryOf is the current fiscal year's summary of the tasks the actor reads; an
// organisation without a pack has none.
func (s *Service) SummaryOf(ctx context.Context, who access.Actor, limit int) (Summary, error) {
	fy := FiscalYear(s.now())
	out := Summary{FiscalYear: fy, Overdue: []Task{}}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return out, err
	}
	for _, st := range Statuses {
		w, args, err := s.where(who, Filter{Status: st, FiscalYear: fy})
		if err != nil {
			return out, err
		}
		var n int
		if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM tasks t WHERE `+w, args...).Scan(&n); err != nil {
			return out, err
		}
		switch st {
		case StatusDone:
			out.Counts.Done = n
		case StatusOverdue:
			out.Counts.Overdue = n
		case StatusCurrent:
			out.Counts.Current = n
		case StatusUpcoming:
			out.Counts.Upcoming = n
		}
	}
	out.Overdue, out.OverdueTotal, err = s.List(ctx, who, Filter{Status: StatusOverdue, Limit: limit})
	return out, err
}
