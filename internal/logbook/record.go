package logbook

import (
	"context"
	"database/sql"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// Record writes an entry that another record's act requires — taking out and returning an
// asset writes the pack's 持ち出し logbook (policy.TakeOutLog) — in that act's transaction tx,
// with its audit entry, so that the staff member never writes it twice and the act and its
// entry stand or fall together. The act has already decided who may do it, so the writer's
// reach of the logbook is not asked; the entry is checked against its logbook like any other,
// its assets as the program sees them (the act's subject is the act's to check).
func (s *Service) Record(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, in Input) (Entry, error) {
	lb, ok := Find(p, in.Logbook)
	if !ok {
		return Entry{}, apperr.InvalidField("logbook", "logbook.error.logbook", in.Logbook)
	}
	if in.DepartmentID == 0 {
		in.DepartmentID = who.DepartmentID
	}
	c, err := check(ctx, tx, who.OrgID, asset.SightOf(access.System(who.OrgID, ""), p), lb, in)
	if err != nil {
		return Entry{}, err
	}
	id, err := s.insert(ctx, tx, who, c, 0)
	if err != nil {
		return Entry{}, err
	}
	e, err := get(ctx, tx, who.OrgID, id)
	if err != nil {
		return Entry{}, err
	}
	_, err = auditlog.Append(ctx, tx, who, e.CreatedAt, auditlog.Event{Entity: "logbook_entry", EntityID: id, Action: "logbook.create", After: e})
	return e, err
}
