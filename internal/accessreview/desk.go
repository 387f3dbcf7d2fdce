package accessreview

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Waiting is a review with the actor's part still to do: accounts to decide, removals to prove.
type Waiting struct {
	Review   Review `json:"review"`
	ToDecide int    `json:"to_decide"`
	ToProve  int    `json:"to_prove"`
}

// Awaiting returns, for the desk and the tasks page, the open reviews with accounts the actor
// still has to decide or removals they still have to prove — the overdue ones first — at most
// limit, and how many there are.
func (s *Service) Awaiting(ctx context.Context, who access.Actor, limit int) ([]Waiting, int, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil || who.IsSystem() {
		return []Waiting{}, 0, err
	}
	decide, dargs := mineWhere(who, 2, false)
	prove, pargs := mineWhere(who, 2+len(dargs), true)
	if decide == "" && prove == "" {
		return []Waiting{}, 0, nil
	}
	if decide == "" {
		decide = "1 = 0"
	}
	if prove == "" {
		prove = "1 = 0"
	}
	args := append(append([]any{who.OrgID}, dargs...), pargs...)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT r.id,
		SUM(CASE WHEN i.outcome = '' AND `+decide+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN i.outcome IN ('remove', 'change') AND i.proof_on = '' AND `+prove+` THEN 1 ELSE 0 END)
		FROM access_reviews r JOIN access_review_items i ON i.review_id = r.id
		WHERE r.org_id = $1 AND r.state = 'open' GROUP BY r.id, r.due_on ORDER BY r.due_on, r.id`, args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "awaiting reviews")
	}
	type row struct {
		id          int64
		decide, prv int
	}
	var found []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.id, &x.decide, &x.prv); err != nil {
			rows.Close()
			return nil, 0, apperr.Wrap(err, "awaiting reviews")
		}
		if x.decide+x.prv > 0 {
			found = append(found, x)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	out := []Waiting{}
	for i, x := range found {
		if i == limit {
			break
		}
		r, err := s.load(ctx, s.DB.SQL, who.OrgID, x.id)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, Waiting{Review: r, ToDecide: x.decide, ToProve: x.prv})
	}
	return out, len(found), nil
}

// Overdue returns the open reviews past their due day that the actor reads in full (the
// 情報政策課, the openers, the system's administrator) or has a part in, most overdue first.
func (s *Service) Overdue(ctx context.Context, who access.Actor, limit int) ([]Review, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return []Review{}, err
	}
	today := jstDay(s.now())
	cond, args, all := reviewWhere(p, who, 3)
	q := `SELECT ` + reviewColumns + ` FROM access_reviews r WHERE r.org_id = $1 AND r.state = 'open' AND r.due_on < $2`
	if !all {
		q += " AND " + cond
	}
	q += " ORDER BY r.due_on, r.id LIMIT " + strconv.Itoa(max(limit, 1))
	rows, err := s.DB.SQL.QueryContext(ctx, q, append([]any{who.OrgID, today}, args...)...)
	if err != nil {
		return nil, apperr.Wrap(err, "overdue reviews")
	}
	out := []Review{}
	for rows.Next() {
		r, err := scanReview(rows, today)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "overdue reviews")
		}
		out = append(out, r)
	}
	rows.Close()
	for i := range out {
		if err := counts(ctx, s.DB.SQL, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}
