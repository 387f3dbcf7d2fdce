package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// MoveInput is one move to apply to the staff records, as the 人事異動 list or a directory gives
// it. StaffID is 0 for the hire of someone Mamori does not know yet.
type MoveInput struct {
	Kind           string
	StaffID        int64
	EmployeeNo     string // a hire's
	Name           string // a hire's
	Employment     string // a hire's; regular when empty
	ToDepartmentID int64  // hire, transfer, return
	ToTitle        string // "" keeps the title
	Destination    string // where a secondment goes (出向先), kept as the move's title
	EffectiveOn    string // YYYY-MM-DD
	Source         string // import, directory, manual
	Batch          string
}

// ApplyMove applies one move inside the caller's transaction: the staff record (department,
// title, active, hired_on, left_on) under the same rules as a hand edit, the staff_moves row,
// and their audit entries. A leaver's and a seconded person's Mamori sign-in is disabled with
// them. It ends no role: the caller decides which assignments the move ends (EndAssignment).
func ApplyMove(ctx context.Context, tx *sql.Tx, who access.Actor, now time.Time, in MoveInput) (Staff, Move, error) {
	if !who.CanAdminister() {
		return Staff{}, Move{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if !contains(MoveKinds, in.Kind) {
		return Staff{}, Move{}, apperr.InvalidField("kind", "org.error.move_kind")
	}
	if _, err := time.Parse(time.DateOnly, in.EffectiveOn); err != nil {
		return Staff{}, Move{}, apperr.InvalidField("effective_on", "error.date")
	}
	if err := checkDepartment(ctx, tx, who.OrgID, in.ToDepartmentID); err != nil {
		return Staff{}, Move{}, err
	}
	var before, st Staff
	if in.StaffID == 0 {
		if in.Kind != MoveHire {
			return Staff{}, Move{}, apperr.InvalidField("employee_no", "org.error.staff_missing")
		}
		if in.Employment == "" {
			in.Employment = "regular"
		}
		sin := StaffInput{DepartmentID: in.ToDepartmentID, EmployeeNo: in.EmployeeNo, Name: in.Name, Title: in.ToTitle, Employment: in.Employment, Active: true}
		if err := sin.validate(); err != nil {
			return Staff{}, Move{}, err
		}
		st = Staff{OrgID: who.OrgID, DepartmentID: sin.DepartmentID, EmployeeNo: sin.EmployeeNo, Name: sin.Name, Title: sin.Title,
			Employment: sin.Employment, Active: true, HiredOn: in.EffectiveOn, CreatedAt: now}
		err := tx.QueryRowContext(ctx, `INSERT INTO staff (org_id, department_id, employee_no, name, kana, title, employment, email, active, hired_on, created_at)
			VALUES ($1, $2, $3, $4, '', $5, $6, '', $7, $8, $9) RETURNING id`,
			st.OrgID, store.NullID(st.DepartmentID), st.EmployeeNo, st.Name, st.Title, st.Employment, st.Active, st.HiredOn, st.CreatedAt).Scan(&st.ID)
		if store.IsUniqueViolation(err) {
			return Staff{}, Move{}, apperr.InvalidField("employee_no", "org.error.employee_no_taken")
		}
		if err != nil {
			return Staff{}, Move{}, apperr.Wrap(err, "insert staff")
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "staff", EntityID: st.ID, Action: "staff.create", After: st}); err != nil {
			return Staff{}, Move{}, err
		}
	} else {
		var err error
		if before, err = staffByID(ctx, tx, who.OrgID, in.StaffID); err != nil {
			if apperr.CodeOf(err) == apperr.NotFound {
				return Staff{}, Move{}, apperr.InvalidField("employee_no", "org.error.staff_missing")
			}
			return Staff{}, Move{}, err
		}
		st = before
		switch in.Kind {
		case MoveHire: // taken on again
			st.DepartmentID, st.Active, st.HiredOn, st.LeftOn = in.ToDepartmentID, true, in.EffectiveOn, ""
		case MoveTransfer:
			st.DepartmentID = in.ToDepartmentID
		case MoveReturn:
			st.DepartmentID, st.Active = in.ToDepartmentID, true
		case MoveSecondment:
			st.Active = false
		case MoveLeave:
			st.Active, st.LeftOn = false, in.EffectiveOn
		}
		if in.ToTitle != "" && in.Kind != MoveLeave && in.Kind != MoveSecondment {
			st.Title = in.ToTitle
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET department_id = $1, title = $2, active = $3, hired_on = $4, left_on = $5
			WHERE id = $6 AND org_id = $7`, store.NullID(st.DepartmentID), st.Title, st.Active, st.HiredOn, st.LeftOn, st.ID, who.OrgID); err != nil {
			return Staff{}, Move{}, apperr.Wrap(err, "move staff")
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "staff", EntityID: st.ID, Action: "staff.update", Before: before, After: st}); err != nil {
			return Staff{}, Move{}, err
		}
		if !st.Active && before.Active {
			if err := disableSignIn(ctx, tx, who, now, st.ID); err != nil {
				return Staff{}, Move{}, err
			}
		}
	}
	m := Move{OrgID: who.OrgID, StaffID: st.ID, Kind: in.Kind, FromDepartmentID: before.DepartmentID, ToDepartmentID: st.DepartmentID,
		FromTitle: before.Title, ToTitle: st.Title, EffectiveOn: in.EffectiveOn, Source: in.Source, Batch: in.Batch, CreatedAt: now}
	switch in.Kind {
	case MoveSecondment:
		m.ToDepartmentID, m.ToTitle = 0, in.Destination
	case MoveLeave:
		m.ToDepartmentID, m.ToTitle = 0, ""
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO staff_moves (org_id, staff_id, kind, from_department_id, to_department_id, from_title, to_title,
		effective_on, source, batch, recorded_by_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		m.OrgID, m.StaffID, m.Kind, store.NullID(m.FromDepartmentID), store.NullID(m.ToDepartmentID), m.FromTitle, m.ToTitle,
		m.EffectiveOn, m.Source, m.Batch, store.NullID(who.UserID), m.CreatedAt).Scan(&m.ID)
	if err != nil {
		return Staff{}, Move{}, apperr.Wrap(err, "insert move")
	}
	_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "staff", EntityID: st.ID, Action: "staff.move", After: m})
	return st, m, err
}

// disableSignIn disables the Mamori sign-in of a member of staff who left or went away on
// secondment; a platform administrator's account is left to the platform administrators.
func disableSignIn(ctx context.Context, tx *sql.Tx, who access.Actor, now time.Time, staffID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE org_id = $1 AND staff_id = $2 AND disabled = FALSE AND platform_admin = FALSE`, who.OrgID, staffID)
	if err != nil {
		return apperr.Wrap(err, "users of staff")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return apperr.Wrap(err, "users of staff")
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = TRUE WHERE id = $1`, id); err != nil {
			return apperr.Wrap(err, "disable user")
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: id, Action: "user.disable",
			After: map[string]string{"reason": "staff.move", "staff_id": strconv.FormatInt(staffID, 10)}}); err != nil {
			return err
		}
	}
	return nil
}

// EndAssignment ends a role assignment on day (its last day, YYYY-MM-DD) inside the caller's
// transaction, keeping it as history; acting is true to take the person off only as acting
// holder (代行), which leaves the assignment in force.
func EndAssignment(ctx context.Context, tx *sql.Tx, who access.Actor, now time.Time, id int64, day string, acting bool) error {
	var to string
	err := tx.QueryRowContext(ctx, `SELECT valid_to FROM role_assignments WHERE id = $1 AND org_id = $2`, id, who.OrgID).Scan(&to)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return apperr.Wrap(err, "role assignment")
	}
	if acting {
		if _, err := tx.ExecContext(ctx, `UPDATE role_assignments SET acting_staff_id = NULL WHERE id = $1`, id); err != nil {
			return apperr.Wrap(err, "clear acting holder")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "role_assignment", EntityID: id, Action: "role.acting_end",
			After: map[string]string{"reason": "staff.move"}})
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE role_assignments SET valid_to = $1 WHERE id = $2`, day, id); err != nil {
		return apperr.Wrap(err, "end role")
	}
	_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "role_assignment", EntityID: id, Action: "role.end",
		Before: map[string]string{"valid_to": to}, After: map[string]string{"valid_to": day, "reason": "staff.move"}})
	return err
}
