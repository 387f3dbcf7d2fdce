package compliance

import (
	"context"

	"mamori/internal/access"
)

// States a findings list is narrowed to on the pages and in the API: open (not covered by an
// exception), suppressed (open, covered by an exception), closed, and all.
var States = []string{"open", "suppressed", "closed", "all"}

// FindingsInState lists findings as Findings does, and also in the state "suppressed": the open
// findings an approved exception covers, and only those.
func (s *Service) FindingsInState(ctx context.Context, who access.Actor, f Filter) ([]Shown, int, error) {
	if f.State != "suppressed" {
		return s.Findings(ctx, who, f)
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return nil, 0, err
	}
	f.State, f.Suppressed = "open", true
	return s.findings(ctx, who, p, f, " AND f.suppressed_by IS NOT NULL")
}
