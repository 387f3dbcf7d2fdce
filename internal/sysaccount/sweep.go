package sysaccount

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/org"
)

// SweepResult says what a sweep found.
type SweepResult struct {
	Checked  int `json:"checked"`
	Changed  int `json:"changed"`
	Flagged  int `json:"flagged"`
	Findings int `json:"findings"`
}

// Sweep evaluates the pack's account rules over every account in use of the organisation, as
// the staff records and the 人事異動 stand now, and stores what changed — in one transaction,
// with one audit entry, so that a sweep is applied whole or not at all. The daily job runs it,
// and it runs after an import of accounts.
func (s *Service) Sweep(ctx context.Context, who access.Actor) (SweepResult, error) {
	var res SweepResult
	if !who.IsSystem() {
		return res, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return res, err
	}
	now := s.now()
	day := now.In(tokyo).Format(time.DateOnly)
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		list, err := query(ctx, tx, "sa.org_id = $1 AND sa.state = 'active'", who.OrgID)
		if err != nil {
			return err
		}
		first := day
		for _, a := range list {
			first = min(first, a.since())
		}
		moves, err := org.MovesBetween(ctx, tx, who.OrgID, first, "")
		if err != nil {
			return err
		}
		last := map[int64]string{} // staff → the latest day they moved
		for _, m := range moves {
			if slices.Contains(movedKinds, m.Kind) && m.EffectiveOn > last[m.StaffID] {
				last[m.StaffID] = m.EffectiveOn
			}
		}
		stmt, err := tx.PrepareContext(ctx, `UPDATE system_accounts SET findings = $1, checked_on = $2 WHERE id = $3`)
		if err != nil {
			return apperr.Wrap(err, "prepare findings")
		}
		defer stmt.Close()
		for _, a := range list {
			res.Checked++
			moved := a.OwnerStaffID != 0 && last[a.OwnerStaffID] > a.since()
			f, err := evaluate(p, a, moved, now)
			if err != nil {
				return err
			}
			if len(f) > 0 {
				res.Flagged++
				res.Findings += len(f)
			}
			if slices.Equal(f, a.Findings) && a.CheckedOn != "" {
				continue
			}
			res.Changed++
			if _, err := stmt.ExecContext(ctx, strings.Join(f, ","), day, a.ID); err != nil {
				return apperr.Wrap(err, "store findings")
			}
		}
		if res.Changed == 0 {
			return nil
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: entity, EntityID: 0, Action: "system_account.sweep", After: res})
		return err
	})
	return res, err
}

// SweepAll sweeps every organisation that has accounts in use, so that a leaver or a mover the
// 人事異動 recorded since shows among the findings; it returns the number of accounts whose
// findings changed.
func (s *Service) SweepAll(ctx context.Context) (int, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT DISTINCT org_id FROM system_accounts WHERE state = 'active' ORDER BY org_id`)
	if err != nil {
		return 0, apperr.Wrap(err, "organisations with accounts")
	}
	var orgs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, apperr.Wrap(err, "organisations with accounts")
		}
		orgs = append(orgs, id)
	}
	rows.Close()
	changed := 0
	for _, id := range orgs {
		res, err := s.Sweep(ctx, access.System(id, "system_account.sweep"))
		if err != nil {
			return changed, err
		}
		changed += res.Changed
	}
	return changed, nil
}
