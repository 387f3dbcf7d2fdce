package directory

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/org"
	"mamori/internal/store"
)

// MoveSource marks the staff moves a directory sign-in or sync records.
const MoveSource = "directory"

// RoleSource marks the role assignments that came from the directory's groups.
const RoleSource = "directory"

const staffCols = `id, COALESCE(department_id, 0), employee_no, name, title, email, active`

func scanStaffRow(sc interface{ Scan(...any) error }) (staffRow, error) {
	var r staffRow
	err := sc.Scan(&r.ID, &r.DepartmentID, &r.EmployeeNo, &r.Name, &r.Title, &r.Email, &r.Active)
	return r, err
}

// linkStaff finds the person's staff record — the one their user is linked to, else the one
// with their employee number — or creates it in the mapped department, and keeps its
// department, name and mail as the directory says, recording a move when the department
// changes.
func (s *Service) linkStaff(ctx context.Context, tx *sql.Tx, sys access.Actor, linked int64, id Identity, deptID int64, today string, now time.Time) (staffRow, error) {
	var r staffRow
	var err error
	empNo := staffNumber(id)
	switch {
	case linked != 0:
		r, err = scanStaffRow(tx.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE id = $1 AND org_id = $2`, linked, sys.OrgID))
	case empNo != "":
		r, err = scanStaffRow(tx.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE org_id = $1 AND employee_no = $2`, sys.OrgID, empNo))
	default:
		err = sql.ErrNoRows
	}
	if errors.Is(err, sql.ErrNoRows) {
		return s.createStaff(ctx, tx, sys, id, deptID, now)
	}
	if err != nil {
		return r, apperr.Wrap(err, "staff")
	}
	if !r.Active {
		return r, nil
	}
	before := r
	name, mail := strings.TrimSpace(id.Name), strings.TrimSpace(id.Email)
	if name != "" {
		r.Name = name
	}
	if mail != "" {
		r.Email = mail
	}
	moved := r.DepartmentID != deptID
	r.DepartmentID = deptID
	if r == before {
		return r, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE staff SET department_id = $1, name = $2, email = $3 WHERE id = $4 AND org_id = $5`,
		store.NullID(r.DepartmentID), r.Name, r.Email, r.ID, sys.OrgID); err != nil {
		return r, apperr.Wrap(err, "update staff")
	}
	if moved {
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_moves (org_id, staff_id, kind, from_department_id, to_department_id,
			from_title, to_title, effective_on, source, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			sys.OrgID, r.ID, org.MoveTransfer, store.NullID(before.DepartmentID), store.NullID(r.DepartmentID), before.Title, r.Title,
			today, MoveSource, now); err != nil {
			return r, apperr.Wrap(err, "record move")
		}
	}
	action := "staff.update"
	if moved {
		action = "staff.move"
	}
	_, err = auditlog.Append(ctx, tx, sys, now, auditlog.Event{Entity: "staff", EntityID: r.ID, Action: action,
		Before: before, After: map[string]any{"staff": r, "source": MoveSource}})
	return r, err
}

func (s *Service) createStaff(ctx context.Context, tx *sql.Tx, sys access.Actor, id Identity, deptID int64, now time.Time) (staffRow, error) {
	r := staffRow{DepartmentID: deptID, EmployeeNo: staffNumber(id), Name: strings.TrimSpace(id.Name),
		Email: strings.TrimSpace(id.Email), Active: true}
	if r.Name == "" {
		r.Name = id.Login
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO staff (org_id, department_id, employee_no, name, employment, email, active, created_at)
		VALUES ($1, $2, $3, $4, 'regular', $5, TRUE, $6) RETURNING id`,
		sys.OrgID, store.NullID(deptID), r.EmployeeNo, r.Name, r.Email, now).Scan(&r.ID)
	if store.IsUniqueViolation(err) {
		return r, apperr.InvalidField("employee_no", "org.error.employee_no_taken")
	}
	if err != nil {
		return r, apperr.Wrap(err, "insert staff")
	}
	_, err = auditlog.Append(ctx, tx, sys, now, auditlog.Event{Entity: "staff", EntityID: r.ID, Action: "staff.create",
		After: map[string]any{"staff": r, "source": MoveSource}})
	return r, err
}

// staffNumber is the employee number a person's staff record has: the directory's, or its login
// where it gives none.
func staffNumber(id Identity) string {
	if n := strings.TrimSpace(id.EmployeeNo); n != "" {
		return n
	}
	return strings.ToLower(strings.TrimSpace(id.Login))
}

// grantKey identifies a role assignment by what it grants.
type grantKey struct {
	Role, Scope string
	Dept        int64
	System      string
}

// wanted returns the role assignments the person's groups give, by the settings.
func (st Settings) wanted(groups []string, ownDept int64) map[grantKey]bool {
	out := map[grantKey]bool{}
	for _, rule := range st.Groups {
		member := false
		for _, g := range groups {
			if groupMatches(rule.Group, g) {
				member = true
				break
			}
		}
		if !member {
			continue
		}
		k := grantKey{Role: rule.RoleID, Scope: assignmentScope(rule.Scope)}
		switch rule.Scope {
		case ScopeOwnDepartment:
			k.Dept = ownDept
		case ScopeFixedDepartment:
			k.Dept = rule.DepartmentID
		case ScopeSystem:
			k.System = rule.SystemRef
		}
		if k.Scope == "department" && k.Dept == 0 {
			continue
		}
		out[k] = true
	}
	return out
}

// syncRoles ends the directory's role assignments the person's groups no longer give (from
// yesterday) and adds those they now give (from today). Assignments made by hand are not read.
func (s *Service) syncRoles(ctx context.Context, tx *sql.Tx, sys access.Actor, st Settings, staff staffRow, groups []string, today string, now time.Time) error {
	want := st.wanted(groups, staff.DepartmentID)
	rows, err := tx.QueryContext(ctx, `SELECT id, role_id, scope, COALESCE(department_id, 0), system_ref FROM role_assignments
		WHERE org_id = $1 AND holder_staff_id = $2 AND source = $3 AND (valid_to = '' OR valid_to >= $4)`,
		sys.OrgID, staff.ID, RoleSource, today)
	if err != nil {
		return apperr.Wrap(err, "directory roles")
	}
	type held struct {
		id  int64
		key grantKey
	}
	var have []held
	for rows.Next() {
		var h held
		if err := rows.Scan(&h.id, &h.key.Role, &h.key.Scope, &h.key.Dept, &h.key.System); err != nil {
			rows.Close()
			return apperr.Wrap(err, "directory roles")
		}
		have = append(have, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return apperr.Wrap(err, "directory roles")
	}
	yesterday := mustDay(today).AddDate(0, 0, -1).Format(time.DateOnly)
	for _, h := range have {
		if want[h.key] {
			delete(want, h.key)
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE role_assignments SET valid_to = $1 WHERE id = $2`, yesterday, h.id); err != nil {
			return apperr.Wrap(err, "end role")
		}
		if _, err := auditlog.Append(ctx, tx, sys, now, auditlog.Event{Entity: "role_assignment", EntityID: h.id, Action: "role.end",
			After: map[string]any{"valid_to": yesterday, "role_id": h.key.Role, "holder_staff_id": staff.ID, "source": RoleSource}}); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(want) {
		a := org.RoleAssignment{OrgID: sys.OrgID, RoleID: k.Role, Scope: k.Scope, DepartmentID: k.Dept, SystemRef: k.System,
			HolderStaffID: staff.ID, ValidFrom: today, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO role_assignments (org_id, role_id, scope, department_id, system_ref,
			holder_staff_id, valid_from, valid_to, created_at, source) VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9) RETURNING id`,
			a.OrgID, a.RoleID, a.Scope, store.NullID(a.DepartmentID), a.SystemRef, a.HolderStaffID, a.ValidFrom, now, RoleSource).Scan(&a.ID); err != nil {
			return apperr.Wrap(err, "assign role")
		}
		if _, err := auditlog.Append(ctx, tx, sys, now, auditlog.Event{Entity: "role_assignment", EntityID: a.ID, Action: "role.assign",
			After: map[string]any{"assignment": a, "source": RoleSource}}); err != nil {
			return err
		}
	}
	return nil
}

func mustDay(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func sortedKeys(m map[grantKey]bool) []grantKey {
	out := make([]grantKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func less(a, b grantKey) bool {
	if a.Role != b.Role {
		return a.Role < b.Role
	}
	if a.Scope != b.Scope {
		return a.Scope < b.Scope
	}
	if a.Dept != b.Dept {
		return a.Dept < b.Dept
	}
	return a.System < b.System
}
