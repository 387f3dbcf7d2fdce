package incident

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// AuditReadable is the incident rule for the audit log (an auditlog.Reader of the kinds
// "incident" and "incident_evidence"): an entry about an incident, or about a piece of its
// evidence, is readable in full by those who see the incident now (reach.go) — so a restricted
// incident's report stays with its reporter, its handlers and the organisation-wide security
// roles, and a platform administrator, who sees no incident, reads none of it. Anyone else
// reads who did what kind of thing to which incident, and when.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	seen := map[int64]bool{}
	for i, e := range entries {
		id, err := strconv.ParseInt(e.EntityID, 10, 64)
		if err != nil {
			continue
		}
		if e.Entity == "incident_evidence" {
			err := s.DB.SQL.QueryRowContext(ctx, `SELECT incident_id FROM incident_evidence WHERE id = $1`, id).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return nil, apperr.Wrap(err, "evidence of audit entry")
			}
		} else if e.Entity != "incident" {
			continue
		}
		ok, known := seen[id]
		if !known {
			if ok, err = s.sees(ctx, who, id); err != nil {
				return nil, err
			}
			seen[id] = ok
		}
		out[i] = ok
	}
	return out, nil
}

// Readable is the incident rule for notices (a notify.Reader): a notice about an incident
// keeps its words for those who see the incident now (sees) — a report quoted to X's security
// manager before the incident was restricted is not hers to read after.
func (s *Service) Readable(ctx context.Context, who access.Actor, ids []int64) ([]bool, error) {
	out := make([]bool, len(ids))
	seen := map[int64]bool{}
	for i, id := range ids {
		ok, known := seen[id]
		if !known {
			var err error
			if ok, err = s.sees(ctx, who, id); err != nil {
				return nil, err
			}
			seen[id] = ok
		}
		out[i] = ok
	}
	return out, nil
}

// sees reports whether the actor sees the incident now: as one of its organisation's people
// (reach.go), or as a receiver of the parent organisation it was reported upward to.
func (s *Service) sees(ctx context.Context, who access.Actor, id int64) (bool, error) {
	_, _, _, err := s.place(ctx, s.DB.SQL, who, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		_, err = s.asParent(ctx, s.DB.SQL, who, id)
	}
	switch apperr.CodeOf(err) {
	case "":
		return true, nil
	case apperr.NotFound:
		return false, nil
	}
	return false, err
}

// ContactsAuditReadable is the rule for the audit entries about the numbers of the pack's
// outside contacts (kind "incident_contact"): readable by those who may see the contact list.
func ContactsAuditReadable(_ context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	for i := range out {
		out[i] = MaySeeContacts(who)
	}
	return out, nil
}
