package asset

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// Read returns an asset inside another service's transaction, whoever may see it: the caller
// has decided that already (a request's approver sees the assets of the request).
func Read(ctx context.Context, tx *sql.Tx, orgID, id int64) (Asset, error) {
	return get(ctx, tx, orgID, id)
}

// ChangeState moves an asset to another state of its life (taken_out, lent, in_use, disposed
// with the day) inside another service's transaction — a request taken out, returned or
// disposed of — with the register's own audit entry, so that the asset's history shows it.
// The caller has decided that the actor may do it. The service's state hooks run in the same
// transaction; a nil service (a caller that has no register's service) runs none.
func (s *Service) ChangeState(ctx context.Context, tx *sql.Tx, who access.Actor, at time.Time, id int64, state, disposedOn string) (Asset, error) {
	if !slices.Contains(States, state) {
		return Asset{}, apperr.InvalidField("state", "asset.error.state")
	}
	before, err := get(ctx, tx, who.OrgID, id)
	if err != nil {
		return Asset{}, err
	}
	if state != "disposed" {
		disposedOn = ""
	}
	at = at.UTC().Truncate(time.Microsecond)
	if _, err := tx.ExecContext(ctx, `UPDATE assets SET state = $1, disposed_on = $2, updated_at = $3 WHERE id = $4 AND org_id = $5`,
		state, disposedOn, at, id, who.OrgID); err != nil {
		return Asset{}, apperr.Wrap(err, "asset state")
	}
	after := before
	after.State, after.DisposedOn, after.UpdatedAt = state, disposedOn, at
	_, err = auditlog.Append(ctx, tx, who, at, auditlog.Event{Entity: "asset", EntityID: id, Action: "asset.state",
		Before: map[string]string{"state": before.State, "disposed_on": before.DisposedOn},
		After:  map[string]string{"state": state, "disposed_on": disposedOn}})
	if err != nil {
		return after, err
	}
	return after, s.stateChanged(ctx, tx, who, after)
}
