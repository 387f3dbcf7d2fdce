package auditlog

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// History returns the entries about one record, newest first, at most limit of them, with the
// values withheld that the record's rule keeps from the actor (an asset's past as the highest
// class). It does not check whether the actor may read the record: the caller shows a record's
// history only to someone it has already let read it (the audit log as a whole stays with
// auditors and administrators).
func (s *Service) History(ctx context.Context, who access.Actor, entity, entityID string, limit int) ([]Entry, error) {
	orgID := who.OrgID
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+entryColumns+` FROM audit_entries
		WHERE org_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY seq DESC LIMIT $4`, orgID, entity, entityID, limit)
	if err != nil {
		return nil, apperr.Wrap(err, "audit history")
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "audit history")
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "audit history")
	}
	return out, s.screen(ctx, who, out)
}
