package org

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// RoleAssignment says who holds a pack role (and who acts for them, 代行), over which scope and
// for which period. Role ids come from the organisation's policy pack.
type RoleAssignment struct {
	ID            int64     `json:"id"`
	OrgID         int64     `json:"org_id"`
	RoleID        string    `json:"role_id"`
	Scope         string    `json:"scope"`
	DepartmentID  int64     `json:"department_id,omitempty"`
	SystemRef     string    `json:"system_ref,omitempty"`
	HolderStaffID int64     `json:"holder_staff_id,omitempty"`
	ActingStaffID int64     `json:"acting_staff_id,omitempty"`
	ValidFrom     string    `json:"valid_from,omitempty"` // YYYY-MM-DD, inclusive; "" for open
	ValidTo       string    `json:"valid_to,omitempty"`   // YYYY-MM-DD, inclusive; "" for open
	CreatedAt     time.Time `json:"created_at"`
}

// Role scopes.
var RoleScopes = []string{"organization", "department", "system"}

// AssignRole records a role assignment.
func (s *Service) AssignRole(ctx context.Context, who access.Actor, in RoleAssignment) (RoleAssignment, error) {
	if !who.CanAdminister() {
		return RoleAssignment{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	in.RoleID = strings.TrimSpace(in.RoleID)
	checkCode(&v, "role_id", in.RoleID)
	if !contains(RoleScopes, in.Scope) {
		v.Add("scope", "org.error.scope")
	}
	if in.Scope == "department" && in.DepartmentID == 0 {
		v.Add("department_id", "error.required")
	}
	if in.Scope == "system" && strings.TrimSpace(in.SystemRef) == "" {
		v.Add("system_ref", "error.required")
	}
	if in.HolderStaffID == 0 {
		v.Add("holder_staff_id", "error.required")
	}
	for _, d := range []struct{ field, val string }{{"valid_from", in.ValidFrom}, {"valid_to", in.ValidTo}} {
		if d.val != "" {
			if _, err := time.Parse(time.DateOnly, d.val); err != nil {
				v.Add(d.field, "error.date")
			}
		}
	}
	if in.ValidFrom != "" && in.ValidTo != "" && in.ValidTo < in.ValidFrom && !v.Has("valid_to") {
		v.Add("valid_to", "org.error.period")
	}
	if s.Catalog != nil && !v.Has("role_id") {
		scope, ok, err := s.Catalog.RoleScope(ctx, who.OrgID, in.RoleID)
		switch {
		case err != nil:
			return RoleAssignment{}, err
		case !ok:
			v.Add("role_id", "org.error.unknown_role", in.RoleID)
		case scope != "" && scope != in.Scope && !v.Has("scope"):
			v.Add("scope", "org.error.role_scope", scope)
		}
	}
	if err := v.Err(); err != nil {
		return RoleAssignment{}, err
	}
	in.OrgID, in.CreatedAt = who.OrgID, s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := checkDepartment(ctx, tx, who.OrgID, in.DepartmentID); err != nil {
			return err
		}
		for _, f := range []struct {
			field string
			id    int64
		}{{"holder_staff_id", in.HolderStaffID}, {"acting_staff_id", in.ActingStaffID}} {
			if f.id == 0 {
				continue
			}
			if _, err := staffByID(ctx, tx, who.OrgID, f.id); err != nil {
				if apperr.CodeOf(err) == apperr.NotFound {
					return apperr.InvalidField(f.field, "org.error.staff_missing")
				}
				return err
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO role_assignments (org_id, role_id, scope, department_id, system_ref,
			holder_staff_id, acting_staff_id, valid_from, valid_to, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			in.OrgID, in.RoleID, in.Scope, store.NullID(in.DepartmentID), in.SystemRef, store.NullID(in.HolderStaffID),
			store.NullID(in.ActingStaffID), in.ValidFrom, in.ValidTo, in.CreatedAt).Scan(&in.ID)
		if err != nil {
			return apperr.Wrap(err, "insert role assignment")
		}
		_, err = auditlog.Append(ctx, tx, who, in.CreatedAt, auditlog.Event{Entity: "role_assignment", EntityID: in.ID, Action: "role.assign", After: in})
		return err
	})
	return in, err
}

// GrantsOf returns the roles a staff member holds or acts for on the given day (JST date
// YYYY-MM-DD).
func GrantsOf(ctx context.Context, q store.Querier, orgID, staffID int64, day string) ([]access.Grant, error) {
	if staffID == 0 {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT role_id, scope, COALESCE(department_id, 0), system_ref,
		CASE WHEN holder_staff_id = $2 THEN 0 ELSE 1 END
		FROM role_assignments
		WHERE org_id = $1 AND (holder_staff_id = $2 OR acting_staff_id = $2)
		  AND (valid_from = '' OR valid_from <= $3) AND (valid_to = '' OR valid_to >= $3)
		ORDER BY role_id`, orgID, staffID, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.Grant
	for rows.Next() {
		var g access.Grant
		var acting int
		if err := rows.Scan(&g.RoleID, &g.Scope, &g.DepartmentID, &g.SystemRef, &acting); err != nil {
			return nil, err
		}
		g.Acting = acting == 1
		out = append(out, g)
	}
	return out, rows.Err()
}

// Roles lists the organisation's role assignments.
func (s *Service) Roles(ctx context.Context, who access.Actor) ([]RoleAssignment, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, org_id, role_id, scope, COALESCE(department_id, 0), system_ref,
		COALESCE(holder_staff_id, 0), COALESCE(acting_staff_id, 0), valid_from, valid_to, created_at
		FROM role_assignments WHERE org_id = $1 ORDER BY role_id, id`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "roles")
	}
	defer rows.Close()
	var out []RoleAssignment
	for rows.Next() {
		var r RoleAssignment
		if err := rows.Scan(&r.ID, &r.OrgID, &r.RoleID, &r.Scope, &r.DepartmentID, &r.SystemRef, &r.HolderStaffID,
			&r.ActingStaffID, &r.ValidFrom, &r.ValidTo, &r.CreatedAt); err != nil {
			return nil, apperr.Wrap(err, "roles")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// EndRole ends an assignment on the given day (YYYY-MM-DD, inclusive), keeping it as history.
func (s *Service) EndRole(ctx context.Context, who access.Actor, id int64, day string) error {
	if !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return apperr.InvalidField("valid_to", "error.date")
	}
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var from, to string
		err := tx.QueryRowContext(ctx, `SELECT valid_from, valid_to FROM role_assignments WHERE id = $1 AND org_id = $2`, id, who.OrgID).Scan(&from, &to)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err != nil {
			return apperr.Wrap(err, "role assignment")
		}
		if from != "" && day < from {
			return apperr.InvalidField("valid_to", "org.error.period")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE role_assignments SET valid_to = $1 WHERE id = $2`, day, id); err != nil {
			return apperr.Wrap(err, "end role")
		}
		_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "role_assignment", EntityID: id, Action: "role.end",
			Before: map[string]string{"valid_to": to}, After: map[string]string{"valid_to": day}})
		return err
	})
}

// RoleHolding is a role assignment with the names a page shows.
type RoleHolding struct {
	RoleAssignment
	HolderName     string `json:"holder_name"`
	HolderTitle    string `json:"holder_title"`
	ActingName     string `json:"acting_name,omitempty"`
	DepartmentName string `json:"department_name,omitempty"`
	Current        bool   `json:"current"`
}

// Holdings lists the organisation's role assignments with names, current ones (on day,
// YYYY-MM-DD) first, each group by role.
func (s *Service) Holdings(ctx context.Context, who access.Actor, day string) ([]RoleHolding, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT r.id, r.org_id, r.role_id, r.scope, COALESCE(r.department_id, 0), r.system_ref,
		COALESCE(r.holder_staff_id, 0), COALESCE(r.acting_staff_id, 0), r.valid_from, r.valid_to, r.created_at,
		COALESCE(h.name, ''), COALESCE(h.title, ''), COALESCE(a.name, ''), COALESCE(d.name, '')
		FROM role_assignments r
		LEFT JOIN staff h ON h.id = r.holder_staff_id
		LEFT JOIN staff a ON a.id = r.acting_staff_id
		LEFT JOIN departments d ON d.id = r.department_id
		WHERE r.org_id = $1 ORDER BY r.role_id, d.code, r.id`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "holdings")
	}
	defer rows.Close()
	var current, past []RoleHolding
	for rows.Next() {
		var h RoleHolding
		if err := rows.Scan(&h.ID, &h.OrgID, &h.RoleID, &h.Scope, &h.DepartmentID, &h.SystemRef, &h.HolderStaffID, &h.ActingStaffID,
			&h.ValidFrom, &h.ValidTo, &h.CreatedAt, &h.HolderName, &h.HolderTitle, &h.ActingName, &h.DepartmentName); err != nil {
			return nil, apperr.Wrap(err, "holdings")
		}
		h.CreatedAt = h.CreatedAt.UTC()
		h.Current = (h.ValidFrom == "" || h.ValidFrom <= day) && (h.ValidTo == "" || h.ValidTo >= day)
		if h.Current {
			current = append(current, h)
		} else {
			past = append(past, h)
		}
	}
	return append(current, past...), rows.Err()
}

// CurrentRoles lists the assignments in force on day.
func (s *Service) CurrentRoles(ctx context.Context, who access.Actor, day string) ([]RoleHolding, error) {
	all, err := s.Holdings(ctx, who, day)
	var out []RoleHolding
	for _, h := range all {
		if h.Current {
			out = append(out, h)
		}
	}
	return out, err
}
