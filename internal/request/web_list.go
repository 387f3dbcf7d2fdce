package request

import (
	"context"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// ListMine returns the actor's own requests, newest first, narrowed by f's state and kind and
// by the JST days they were filed on (since and until, YYYY-MM-DD, inclusive; either may be ""),
// and how many there are: the list of "my requests".
func (s *Service) ListMine(ctx context.Context, who access.Actor, f Filter, since, until string) ([]Request, int, error) {
	var v apperr.Validation
	checkDay(&v, "from", since, false)
	checkDay(&v, "to", until, false)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	args := []any{who.OrgID, who.StaffID}
	arg := func(x any) string {
		args = append(args, x)
		return "$" + itoa(len(args))
	}
	where := []string{"r.org_id = $1", "r.applicant_staff_id = $2"}
	if f.State != "" {
		where = append(where, "r.state = "+arg(f.State))
	}
	if f.Kind != "" {
		where = append(where, "r.kind = "+arg(f.Kind))
	}
	if since != "" {
		t, _ := time.ParseInLocation(time.DateOnly, since, jst)
		where = append(where, "r.created_at >= "+arg(t.UTC()))
	}
	if until != "" {
		t, _ := time.ParseInLocation(time.DateOnly, until, jst)
		where = append(where, "r.created_at < "+arg(t.AddDate(0, 0, 1).UTC()))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM requests r WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count requests")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	lim, off := arg(f.Limit), arg(f.Offset)
	list, err := s.query(ctx, `SELECT `+columns+from+`WHERE `+cond+` ORDER BY r.id DESC LIMIT `+lim+` OFFSET `+off, args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, s.screenList(ctx, who, list)
}
