package inspection

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// What a person's desk shows of self-inspection: the sheets of running campaigns waiting for
// their answers (not begun, half answered or sent back), soonest deadline first, and the open
// findings of the sheets they read.

// Awaiting returns the sheets of open campaigns the actor answers that are not submitted, at
// most limit, and how many there are.
func (s *Service) Awaiting(ctx context.Context, who access.Actor, limit int) ([]Sheet, int, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil || who.IsSystem() {
		return []Sheet{}, 0, err
	}
	cond, args := mine(p, who, 1)
	if cond == "" {
		return []Sheet{}, 0, nil
	}
	args = append([]any{who.OrgID}, args...)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT s.campaign_id, s.id FROM inspection_sheets s
		JOIN inspection_campaigns c ON c.id = s.campaign_id
		WHERE c.org_id = $1 AND c.state = 'open' AND s.state <> 'submitted' AND `+cond+`
		ORDER BY s.deadline, s.id`, args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "awaiting sheets")
	}
	var ids [][2]int64
	for rows.Next() {
		var c, id int64
		if err := rows.Scan(&c, &id); err != nil {
			rows.Close()
			return nil, 0, apperr.Wrap(err, "awaiting sheets")
		}
		ids = append(ids, [2]int64{c, id})
	}
	rows.Close()
	out := []Sheet{}
	for i, x := range ids {
		if i == limit {
			break
		}
		_, sh, _, _, err := s.place(ctx, s.DB.SQL, who, x[0], x[1])
		if err != nil {
			return nil, 0, err
		}
		out = append(out, sh)
	}
	return out, len(ids), rows.Err()
}
