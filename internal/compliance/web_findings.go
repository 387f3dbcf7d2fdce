package compliance

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// States a findings list is narrowed to on the pages and in the API: open (not covered by an
// exception), suppressed (open, covered by an exception), closed, and all.
var States = []string{"open", "suppressed", "closed", "all"}

// FindingsInState lists findings as Findings does, and also in the state "suppressed": the open
// findings an approved exception covers, and only those.
func (s *Service) FindingsInState(ctx context.Context, who access.Actor, f Filter) ([]Finding, int, error) {
	if f.State != "suppressed" {
		return s.Findings(ctx, who, f)
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return nil, 0, err
	}
	f.State, f.Suppressed = "open", true
	cond, args := where(who, f)
	cond += " AND f.suppressed_by IS NOT NULL"
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM compliance_findings f WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count findings")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 500)
	list, err := s.query(ctx, p, `SELECT `+findingColumns+findingFrom+`WHERE `+cond+
		` ORDER BY f.severity_rank DESC, f.first_seen DESC, f.id DESC LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(max(f.Offset, 0)), args...)
	return list, total, err
}
