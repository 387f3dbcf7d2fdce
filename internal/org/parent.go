package org

import (
	"context"
	"database/sql"
	"errors"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// An organisation's parent is the body above it that it reports incidents to (a prefecture over
// its municipalities, 山形県 2.1(10)⑦). The tree of organisations has no cycles: an organisation
// is never its own parent, nor the parent of one of its ancestors.

// Organizations returns every organisation, by code. Only the system and platform
// administrators list them.
func (s *Service) Organizations(ctx context.Context, who access.Actor) ([]Organization, error) {
	if !who.IsSystem() && !who.PlatformAdmin {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+orgColumns+` FROM organizations ORDER BY code`)
	if err != nil {
		return nil, apperr.Wrap(err, "organizations")
	}
	defer rows.Close()
	var out []Organization
	for rows.Next() {
		var o Organization
		if err := rows.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.ParentID, &o.PackID, &o.LockoutAfterFailures, &o.CreatedAt); err != nil {
			return nil, apperr.Wrap(err, "organizations")
		}
		o.CreatedAt = o.CreatedAt.UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}

// OrganizationByCode returns one organisation by its code.
func (s *Service) OrganizationByCode(ctx context.Context, code string) (Organization, error) {
	return s.scanOrg(s.DB.SQL.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE code = $1`, code))
}

// SetParent sets (parentID 0: clears) the parent of an organisation, audited in the
// organisation's own chain. The system sets any organisation's parent; a platform administrator
// only their own organisation's.
func (s *Service) SetParent(ctx context.Context, who access.Actor, orgID, parentID int64) (Organization, error) {
	if !who.IsSystem() && !(who.PlatformAdmin && who.OrgID == orgID) {
		return Organization{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if parentID == orgID {
		return Organization{}, apperr.InvalidField("parent_id", "org.error.parent_self")
	}
	now := s.now()
	var after Organization
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := s.scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = $1`, orgID))
		if err != nil {
			return err
		}
		if parentID != 0 {
			// Walk up from the new parent: meeting the organisation would close a cycle.
			at, steps := parentID, 0
			for at != 0 {
				if at == orgID {
					return apperr.InvalidField("parent_id", "org.error.parent_cycle")
				}
				var up sql.NullInt64
				err := tx.QueryRowContext(ctx, `SELECT parent_id FROM organizations WHERE id = $1`, at).Scan(&up)
				if errors.Is(err, sql.ErrNoRows) {
					return apperr.InvalidField("parent_id", "org.error.organization_missing")
				}
				if err != nil {
					return apperr.Wrap(err, "parent organization")
				}
				if steps++; steps > 1000 {
					return apperr.InvalidField("parent_id", "org.error.parent_cycle")
				}
				at = up.Int64
			}
		}
		var parent any
		if parentID != 0 {
			parent = parentID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE organizations SET parent_id = $1 WHERE id = $2`, parent, orgID); err != nil {
			return apperr.Wrap(err, "set parent")
		}
		after = before
		after.ParentID = parentID
		who.OrgID = orgID
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "organization", EntityID: orgID, Action: "organization.parent",
			Before: map[string]int64{"parent_id": before.ParentID}, After: map[string]int64{"parent_id": parentID}})
		return err
	})
	return after, err
}
