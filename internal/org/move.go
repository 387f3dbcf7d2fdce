package org

import (
	"context"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

// Move is one change of a member of staff's place (人事異動): hired, transferred, seconded,
// returned or left, effective on a day, with the department and title on both sides as they
// were then.
type Move struct {
	ID               int64     `json:"id"`
	OrgID            int64     `json:"org_id"`
	StaffID          int64     `json:"staff_id"`
	Kind             string    `json:"kind"`
	FromDepartmentID int64     `json:"from_department_id,omitempty"`
	ToDepartmentID   int64     `json:"to_department_id,omitempty"`
	FromTitle        string    `json:"from_title,omitempty"`
	ToTitle          string    `json:"to_title,omitempty"`
	EffectiveOn      string    `json:"effective_on"`
	Source           string    `json:"source"` // manual, import, directory
	Batch            string    `json:"batch,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
}

// Kinds of move: 採用, 異動, 出向, 復帰, 退職.
const (
	MoveHire       = "hire"
	MoveTransfer   = "transfer"
	MoveSecondment = "secondment"
	MoveReturn     = "return"
	MoveLeave      = "leave"
)

// MoveKinds lists the kinds of move in the order a list shows them.
var MoveKinds = []string{MoveHire, MoveTransfer, MoveSecondment, MoveReturn, MoveLeave}

const moveColumns = `id, org_id, staff_id, kind, COALESCE(from_department_id, 0), COALESCE(to_department_id, 0),
	from_title, to_title, effective_on, source, batch, created_at`

// MovesBetween returns the organisation's moves effective from from to to (YYYY-MM-DD, both
// inclusive; an empty bound is open), oldest first. It is what other parts read to act on a
// move (training for new hires and transfers, the accounts of those who moved or left); it
// gives no names, so it needs no reader.
func MovesBetween(ctx context.Context, q store.Querier, orgID int64, from, to string) ([]Move, error) {
	if to == "" {
		to = "9999-12-31"
	}
	rows, err := q.QueryContext(ctx, `SELECT `+moveColumns+` FROM staff_moves
		WHERE org_id = $1 AND effective_on >= $2 AND effective_on <= $3 ORDER BY effective_on, id`, orgID, from, to)
	if err != nil {
		return nil, apperr.Wrap(err, "list moves")
	}
	defer rows.Close()
	var out []Move
	for rows.Next() {
		var m Move
		if err := rows.Scan(&m.ID, &m.OrgID, &m.StaffID, &m.Kind, &m.FromDepartmentID, &m.ToDepartmentID,
			&m.FromTitle, &m.ToTitle, &m.EffectiveOn, &m.Source, &m.Batch, &m.CreatedAt); err != nil {
			return nil, apperr.Wrap(err, "scan move")
		}
		m.CreatedAt = m.CreatedAt.UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "list moves")
	}
	return out, nil
}
