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
