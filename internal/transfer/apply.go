package transfer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/org"
	"mamori/internal/store"
)

// Apply applies a draft list, all or nothing: when any row is wrong nothing changes and the
// error names every wrong row. Moves dated today or earlier take effect at once; the others are
// kept pending and applied on their day (ApplyDue). It returns the report of what was done.
func (s *Service) Apply(ctx context.Context, who access.Actor, id int64) (Report, error) {
	if !MayImport(who) {
		return Report{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var rep Report
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		l, err := getList(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if l.State != StateDraft {
			return apperr.New(apperr.Conflict, "transfer.error.not_draft")
		}
		if rep, err = s.plan(ctx, tx, l); err != nil {
			return err
		}
		if !rep.OK() {
			return rejection(rep)
		}
		if err := s.remember(ctx, tx, who.OrgID, l.Headers, l.Mapping); err != nil {
			return err
		}
		now := s.now()
		for i := range rep.Rows {
			r := &rep.Rows[i]
			r.State = RowPending
			eff, _ := json.Marshal(r)
			var rowID int64
			err := tx.QueryRowContext(ctx, `INSERT INTO transfer_rows (org_id, list_id, row_no, kind, employee_no, name, staff_id, from_department_id,
				to_department_id, to_title, employment, destination, effective_on, state, effect) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
				who.OrgID, l.ID, r.Row, r.Kind, r.EmployeeNo, r.Name, store.NullID(r.StaffID), store.NullID(r.FromDepartmentID), store.NullID(r.ToDepartmentID),
				r.ToTitle, r.Employment, r.Destination, r.EffectiveOn, RowPending, string(eff)).Scan(&rowID)
			if err != nil {
				return apperr.Wrap(err, "insert transfer row")
			}
			if !r.Later {
				if err := applyRow(ctx, tx, who, now, l, rowID, r); err != nil {
					return err
				}
			}
			if rep.List.FirstOn == "" || r.EffectiveOn < rep.List.FirstOn {
				rep.List.FirstOn = r.EffectiveOn
			}
			if r.EffectiveOn > rep.List.LastOn {
				rep.List.LastOn = r.EffectiveOn
			}
		}
		rep.List.State = StateApplied
		if rep.Later > 0 {
			rep.List.State = StatePending
		}
		rep.List.AppliedBy, rep.List.AppliedAt = who.Name, &now
		if _, err := tx.ExecContext(ctx, `UPDATE transfer_lists SET state = $1, first_on = $2, last_on = $3, applied_by = $4, applied_at = $5,
			version = version + 1 WHERE id = $6`, rep.List.State, rep.List.FirstOn, rep.List.LastOn, who.Name, now, l.ID); err != nil {
			return apperr.Wrap(err, "apply transfer list")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "transfer_list", EntityID: l.ID, Action: "transfer.apply",
			After: map[string]any{"rows": len(rep.Rows), "kinds": rep.Kinds, "later": rep.Later, "end_roles": rep.EndRoles, "state": rep.List.State}})
		return err
	})
	return rep, err
}

// rejection is the error of a list that cannot be applied: the count, and each problem as the
// field "row N: column".
func rejection(rep Report) error {
	e := apperr.New(apperr.Invalid, "transfer.error.rejected", rep.Errors)
	for _, f := range rep.Missing {
		e.Fields = append(e.Fields, apperr.FieldError{Field: f, Key: "transfer.error.column_missing"})
	}
	for _, r := range rep.Rows {
		for _, p := range r.Problems {
			e.Fields = append(e.Fields, apperr.FieldError{Field: "row " + strconv.Itoa(r.Row) + ": " + p.Field, Key: p.Key, Args: p.Args})
		}
	}
	if len(rep.Rows) == 0 && len(rep.Missing) == 0 {
		e.Key = "transfer.error.no_rows"
	}
	return e
}

// applyRow applies one row's move in the transaction: the staff record and its move, the role
// assignments the move ends, and the row's state.
func applyRow(ctx context.Context, tx *sql.Tx, who access.Actor, now time.Time, l List, rowID int64, r *Row) error {
	st, m, err := org.ApplyMove(ctx, tx, who, now, org.MoveInput{Kind: r.Kind, StaffID: r.StaffID, EmployeeNo: r.EmployeeNo, Name: r.Name,
		Employment: r.Employment, ToDepartmentID: r.ToDepartmentID, ToTitle: r.ToTitle, Destination: r.Destination, EffectiveOn: r.EffectiveOn,
		Source: "import", Batch: l.Batch()})
	if err != nil {
		return rowError(r.Row, err)
	}
	for _, e := range r.EndRoles {
		if err := org.EndAssignment(ctx, tx, who, now, e.AssignmentID, e.ValidTo, e.Acting); err != nil {
			return rowError(r.Row, err)
		}
	}
	r.StaffID, r.State = st.ID, RowApplied
	eff, _ := json.Marshal(r)
	if _, err := tx.ExecContext(ctx, `UPDATE transfer_rows SET state = $1, staff_id = $2, move_id = $3, applied_at = $4, effect = $5 WHERE id = $6`,
		RowApplied, st.ID, m.ID, now, string(eff), rowID); err != nil {
		return apperr.Wrap(err, "transfer row applied")
	}
	return nil
}

// rowError names the row in an error the staff records gave while a row was applied.
func rowError(row int, err error) error {
	e := apperr.As(err)
	if e.Code != apperr.Invalid {
		return err
	}
	out := apperr.New(apperr.Invalid, "transfer.error.rejected", 1)
	for _, f := range e.Fields {
		out.Fields = append(out.Fields, apperr.FieldError{Field: "row " + strconv.Itoa(row) + ": " + f.Field, Key: f.Key, Args: f.Args})
	}
	if len(e.Fields) == 0 {
		out.Fields = append(out.Fields, apperr.FieldError{Field: "row " + strconv.Itoa(row), Key: e.Key, Args: e.Args})
	}
	return out
}

// Withdraw takes back a pending list before its day: its moves are withdrawn and none takes
// effect. A list some of whose moves have already taken effect cannot be withdrawn.
func (s *Service) Withdraw(ctx context.Context, who access.Actor, id int64) (List, error) {
	if !MayImport(who) {
		return List{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var l List
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if l, err = getList(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		if !l.Withdrawable() {
			return apperr.New(apperr.Conflict, "transfer.error.not_pending")
		}
		var applied int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM transfer_rows WHERE list_id = $1 AND state = $2`, id, RowApplied).Scan(&applied); err != nil {
			return apperr.Wrap(err, "transfer rows")
		}
		if applied > 0 {
			return apperr.New(apperr.Conflict, "transfer.error.partly_applied", applied)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE transfer_rows SET state = $1 WHERE list_id = $2`, RowWithdrawn, id); err != nil {
			return apperr.Wrap(err, "withdraw transfer rows")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE transfer_lists SET state = $1, withdrawn_by = $2, withdrawn_at = $3, version = version + 1 WHERE id = $4`,
			StateWithdrawn, who.Name, now, id); err != nil {
			return apperr.Wrap(err, "withdraw transfer list")
		}
		l.State, l.WithdrawnBy, l.WithdrawnAt = StateWithdrawn, who.Name, &now
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "transfer_list", EntityID: id, Action: "transfer.withdraw"})
		return err
	})
	return l, err
}

// Due is what ApplyDue did with one list.
type Due struct {
	OrgID   int64
	ListID  int64
	Applied int
	Problem string // the list could not be applied today: what is wrong
}

// ApplyDue applies, for every organisation, the pending moves whose day has come. The moves of
// one list due on a day are applied together or not at all: when the staff records no longer
// allow one (the person left meanwhile, the department was closed), the list is marked failed
// with the reason, and the 情報政策課 withdraws it and imports a corrected list.
func (s *Service) ApplyDue(ctx context.Context) ([]Due, error) {
	today := s.today()
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT DISTINCT l.org_id, l.id FROM transfer_lists l JOIN transfer_rows r ON r.list_id = l.id
		WHERE l.state = $1 AND r.state = $2 AND r.effective_on <= $3 ORDER BY l.id`, StatePending, RowPending, today)
	if err != nil {
		return nil, apperr.Wrap(err, "due transfer lists")
	}
	var due []Due
	for rows.Next() {
		var d Due
		if err := rows.Scan(&d.OrgID, &d.ListID); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "due transfer lists")
		}
		due = append(due, d)
	}
	rows.Close()
	for i := range due {
		d := &due[i]
		n, err := s.applyDueList(ctx, d.OrgID, d.ListID, today)
		d.Applied = n
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				return due, err
			}
			d.Problem = err.Error()
			if ferr := s.fail(ctx, d.OrgID, d.ListID, err); ferr != nil {
				return due, ferr
			}
		}
	}
	return due, nil
}

func (s *Service) applyDueList(ctx context.Context, orgID, id int64, today string) (int, error) {
	who := access.System(orgID, "transfer")
	n := 0
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		l, err := getList(ctx, tx, orgID, id)
		if err != nil || l.State != StatePending {
			return err
		}
		pending := map[int]int64{}
		rs, err := tx.QueryContext(ctx, `SELECT id, row_no FROM transfer_rows WHERE list_id = $1 AND state = $2 AND effective_on <= $3`, id, RowPending, today)
		if err != nil {
			return apperr.Wrap(err, "due transfer rows")
		}
		for rs.Next() {
			var rid int64
			var no int
			if err := rs.Scan(&rid, &no); err != nil {
				rs.Close()
				return apperr.Wrap(err, "due transfer rows")
			}
			pending[no] = rid
		}
		rs.Close()
		rep, err := s.plan(ctx, tx, l)
		if err != nil {
			return err
		}
		var dueRows Report
		for _, r := range rep.Rows {
			if _, ok := pending[r.Row]; ok {
				dueRows.Rows = append(dueRows.Rows, r)
				if len(r.Problems) > 0 {
					dueRows.Errors++
				}
			}
		}
		if dueRows.Errors > 0 {
			return rejection(dueRows)
		}
		now := s.now()
		for i := range dueRows.Rows {
			r := &dueRows.Rows[i]
			if err := applyRow(ctx, tx, who, now, l, pending[r.Row], r); err != nil {
				return err
			}
			n++
		}
		var left int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM transfer_rows WHERE list_id = $1 AND state = $2`, id, RowPending).Scan(&left); err != nil {
			return apperr.Wrap(err, "transfer rows")
		}
		state := StatePending
		if left == 0 {
			state = StateApplied
		}
		if _, err := tx.ExecContext(ctx, `UPDATE transfer_lists SET state = $1, problem = '', version = version + 1 WHERE id = $2`, state, id); err != nil {
			return apperr.Wrap(err, "transfer list")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "transfer_list", EntityID: id, Action: "transfer.apply_due",
			After: map[string]any{"day": today, "rows": n, "state": state}})
		return err
	})
	return n, err
}

// fail marks a pending list failed with what is wrong, for the 情報政策課 to see on its page.
func (s *Service) fail(ctx context.Context, orgID, id int64, cause error) error {
	problem, _ := json.Marshal(apperr.As(cause).Fields)
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE transfer_lists SET state = $1, problem = $2, version = version + 1 WHERE id = $3 AND org_id = $4`,
			StateFailed, string(problem), id, orgID); err != nil {
			return apperr.Wrap(err, "transfer list failed")
		}
		_, err := auditlog.Append(ctx, tx, access.System(orgID, "transfer"), s.now(), auditlog.Event{Entity: "transfer_list", EntityID: id,
			Action: "transfer.fail", After: map[string]string{"problem": fmt.Sprint(apperr.As(cause).Fields)}})
		return err
	})
}
