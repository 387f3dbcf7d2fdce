package accessreview

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/auditlog"
)

// AuditReadable is the audit log's Reader of the kinds this package writes: an entry about a
// review is read in full by those who read the review in full; one about an item by those who
// read the item (its reviewers and provers, and those who read the review in full).
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return out, err
	}
	reviewsByID := map[int64]Review{}
	review := func(id int64) (Review, bool) {
		if r, ok := reviewsByID[id]; ok {
			return r, true
		}
		r, err := s.loadBare(ctx, s.DB.SQL, who.OrgID, id)
		if err != nil {
			return r, false
		}
		reviewsByID[id] = r
		return r, true
	}
	for i, e := range entries {
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		switch e.Entity {
		case "access_review":
			r, ok := review(id)
			out[i] = ok && full(p, who, r)
		case "access_review_item":
			var it Item
			var reviewID int64
			if err := s.DB.SQL.QueryRowContext(ctx, `SELECT review_id, COALESCE(department_id, 0), system_ref FROM access_review_items
				WHERE org_id = $1 AND id = $2`, who.OrgID, id).Scan(&reviewID, &it.DepartmentID, &it.SystemRef); err != nil {
				continue
			}
			r, ok := review(reviewID)
			out[i] = ok && (full(p, who, r) || reviews(who, r, it) || proves(who, r, it))
		}
	}
	return out, nil
}
