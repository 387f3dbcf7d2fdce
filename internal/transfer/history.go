package transfer

import (
	"context"
	"encoding/json"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// appliedReport is the report of a list once applied: each row as the dry run said when it was
// applied, with its state now.
func (s *Service) appliedReport(ctx context.Context, who access.Actor, l List) (Report, error) {
	rep := Report{List: l, Kinds: map[string]int{}}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT effect, state, COALESCE(staff_id, 0) FROM transfer_rows WHERE list_id = $1 AND org_id = $2 ORDER BY row_no`, l.ID, who.OrgID)
	if err != nil {
		return rep, apperr.Wrap(err, "transfer rows")
	}
	defer rows.Close()
	for rows.Next() {
		var eff, state string
		var staffID int64
		if err := rows.Scan(&eff, &state, &staffID); err != nil {
			return rep, apperr.Wrap(err, "transfer rows")
		}
		var r Row
		_ = json.Unmarshal([]byte(eff), &r)
		r.State, r.StaffID = state, staffID
		r.Later = state == RowPending
		rep.Rows = append(rep.Rows, r)
		rep.Kinds[r.Kind]++
		if r.Later {
			rep.Later++
		}
		rep.EndRoles += len(r.EndRoles)
		rep.Accounts += r.Accounts
	}
	return rep, rows.Err()
}

// HistoryItem is one move of a member of staff with the names a page shows.
type HistoryItem struct {
	ID             int64     `json:"id"`
	Kind           string    `json:"kind"`
	FromDepartment string    `json:"from_department,omitempty"`
	ToDepartment   string    `json:"to_department,omitempty"`
	FromTitle      string    `json:"from_title,omitempty"`
	ToTitle        string    `json:"to_title,omitempty"`
	EffectiveOn    string    `json:"effective_on"`
	Source         string    `json:"source"`
	ListID         int64     `json:"list_id,omitempty"`
	Pending        bool      `json:"pending"`
	CreatedAt      time.Time `json:"created_at"`
}

// History returns a member of staff's moves, newest first: those in effect, then those pending
// in a list applied for a later day.
func (s *Service) History(ctx context.Context, who access.Actor, staffID int64) ([]HistoryItem, error) {
	if !MayRead(who) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT m.id, m.kind, COALESCE(f.name, ''), COALESCE(t.name, ''), m.from_title, m.to_title,
		m.effective_on, m.source, COALESCE(r.list_id, 0), m.created_at
		FROM staff_moves m
		LEFT JOIN departments f ON f.id = m.from_department_id
		LEFT JOIN departments t ON t.id = m.to_department_id
		LEFT JOIN transfer_rows r ON r.move_id = m.id
		WHERE m.org_id = $1 AND m.staff_id = $2 ORDER BY m.effective_on DESC, m.id DESC`, who.OrgID, staffID)
	if err != nil {
		return nil, apperr.Wrap(err, "staff moves")
	}
	var out []HistoryItem
	for rows.Next() {
		var h HistoryItem
		if err := rows.Scan(&h.ID, &h.Kind, &h.FromDepartment, &h.ToDepartment, &h.FromTitle, &h.ToTitle, &h.EffectiveOn, &h.Source, &h.ListID, &h.CreatedAt); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "staff moves")
		}
		h.CreatedAt = h.CreatedAt.UTC()
		out = append(out, h)
	}
	rows.Close()
	pend, err := s.DB.SQL.QueryContext(ctx, `SELECT r.kind, COALESCE(t.name, ''), r.to_title, r.effective_on, r.list_id
		FROM transfer_rows r LEFT JOIN departments t ON t.id = r.to_department_id
		WHERE r.org_id = $1 AND r.staff_id = $2 AND r.state = $3 ORDER BY r.effective_on DESC`, who.OrgID, staffID, RowPending)
	if err != nil {
		return nil, apperr.Wrap(err, "pending moves")
	}
	defer pend.Close()
	var later []HistoryItem
	for pend.Next() {
		h := HistoryItem{Pending: true, Source: "import"}
		if err := pend.Scan(&h.Kind, &h.ToDepartment, &h.ToTitle, &h.EffectiveOn, &h.ListID); err != nil {
			return nil, apperr.Wrap(err, "pending moves")
		}
		later = append(later, h)
	}
	return append(later, out...), pend.Err()
}
