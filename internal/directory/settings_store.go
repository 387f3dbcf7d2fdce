package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/store"
)

// defaultSettings are an organisation's settings before any are saved: off.
func defaultSettings(orgID int64) Settings {
	return Settings{OrgID: orgID, DepartmentFrom: DeptFromAttribute, DepartmentAttribute: "department",
		Departments: []DepartmentRule{}, Groups: []GroupRule{}, BreakGlass: []string{}}
}

// settingsOf reads the organisation's settings; an organisation without any has the defaults.
func settingsOf(ctx context.Context, q store.Querier, orgID int64) (Settings, error) {
	var body string
	st := defaultSettings(orgID)
	var enabled bool
	var version int
	err := q.QueryRowContext(ctx, `SELECT enabled, body, version, updated_at FROM directory_settings WHERE org_id = $1`, orgID).
		Scan(&enabled, &body, &version, &st.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, apperr.Wrap(err, "directory settings")
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		return st, apperr.Wrap(err, "directory settings body")
	}
	st.OrgID, st.Enabled, st.Version, st.UpdatedAt = orgID, enabled, version, st.UpdatedAt.UTC()
	return st, nil
}

// Settings returns the actor's organisation's directory settings.
func (s *Service) Settings(ctx context.Context, who access.Actor) (Settings, error) {
	if !MayRead(who) {
		return Settings{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return settingsOf(ctx, s.DB.SQL, who.OrgID)
}

// Enabled reports whether the organisation signs in from its directory.
func (s *Service) Enabled(ctx context.Context, orgID int64) (bool, error) {
	st, err := settingsOf(ctx, s.DB.SQL, orgID)
	return st.Enabled, err
}

// SaveSettings checks and stores the actor's organisation's settings with their audit entry.
// A department value mapped to no department, a group mapped to a role the pack lacks or to a
// scope the role cannot have, an unknown break-glass login: an error naming the field, nothing
// saved.
func (s *Service) SaveSettings(ctx context.Context, who access.Actor, in SettingsInput) (Settings, error) {
	if !MayConfigure(who) {
		return Settings{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.saveSettings(ctx, who, in)
}

func (s *Service) saveSettings(ctx context.Context, who access.Actor, in SettingsInput) (Settings, error) {
	var out Settings
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := settingsOf(ctx, tx, who.OrgID)
		if err != nil {
			return err
		}
		if in.Version != before.Version {
			return apperr.New(apperr.Conflict, "error.conflict")
		}
		st, err := s.check(ctx, tx, who.OrgID, in)
		if err != nil {
			return err
		}
		st.Version, st.UpdatedAt = before.Version+1, s.now()
		body, err := json.Marshal(st)
		if err != nil {
			return apperr.Wrap(err, "encode settings")
		}
		if before.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO directory_settings (org_id, enabled, body, version, updated_by_user_id, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, who.OrgID, st.Enabled, string(body), st.Version, store.NullID(who.UserID), st.UpdatedAt)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE directory_settings SET enabled = $1, body = $2, version = $3, updated_by_user_id = $4,
				updated_at = $5 WHERE org_id = $6`, st.Enabled, string(body), st.Version, store.NullID(who.UserID), st.UpdatedAt, who.OrgID)
		}
		if err != nil {
			return apperr.Wrap(err, "save directory settings")
		}
		out = st
		_, err = auditlog.Append(ctx, tx, who, st.UpdatedAt, auditlog.Event{Entity: "directory_settings", EntityID: who.OrgID,
			Action: "directory.settings", Before: before, After: st})
		return err
	})
	return out, err
}

// check validates the input against the organisation's departments, pack and users.
func (s *Service) check(ctx context.Context, tx *sql.Tx, orgID int64, in SettingsInput) (Settings, error) {
	var v apperr.Validation
	st := Settings{OrgID: orgID, Enabled: in.Enabled, DepartmentFrom: in.DepartmentFrom,
		DepartmentAttribute: strings.TrimSpace(in.DepartmentAttribute), Departments: []DepartmentRule{}, Groups: []GroupRule{}, BreakGlass: []string{}}
	switch st.DepartmentFrom {
	case DeptFromAttribute:
		if !attrName.MatchString(st.DepartmentAttribute) {
			v.Add("department_attribute", "directory.error.attribute")
		}
	case DeptFromOU:
		st.DepartmentAttribute = ""
	default:
		v.Add("department_from", "directory.error.department_from")
	}
	seen := map[string]bool{}
	for i, d := range in.Departments {
		d.Value = strings.TrimSpace(d.Value)
		if d.Value == "" && d.DepartmentID == 0 {
			continue // an empty row of the form
		}
		field := fmt.Sprintf("departments[%d]", i)
		switch {
		case d.Value == "" || len(d.Value) > 200:
			v.Add(field+".value", "directory.error.value")
		case seen[fold(d.Value)]:
			v.Add(field+".value", "directory.error.value_twice", d.Value)
		}
		seen[fold(d.Value)] = true
		ok, err := departmentExists(ctx, tx, orgID, d.DepartmentID)
		if err != nil {
			return st, err
		}
		if !ok {
			v.Add(field+".department_id", "directory.error.unknown_department", d.Value)
		}
		st.Departments = append(st.Departments, d)
	}
	for i, g := range in.Groups {
		g.Group, g.RoleID, g.SystemRef = strings.TrimSpace(g.Group), strings.TrimSpace(g.RoleID), strings.TrimSpace(g.SystemRef)
		if g.Group == "" && g.RoleID == "" {
			continue
		}
		if err := s.checkGroup(ctx, tx, orgID, &v, fmt.Sprintf("groups[%d]", i), &g); err != nil {
			return st, err
		}
		st.Groups = append(st.Groups, g)
	}
	for i, l := range in.BreakGlass {
		l = auth.NormalizeLogin(l)
		if l == "" {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE org_id = $1 AND login = $2 AND source = $3
			AND service_account = FALSE`, orgID, l, auth.SourceLocal).Scan(&n); err != nil {
			return st, apperr.Wrap(err, "break-glass user")
		}
		if n == 0 {
			v.Add(fmt.Sprintf("break_glass[%d]", i), "directory.error.break_glass", l)
		}
		st.BreakGlass = append(st.BreakGlass, l)
	}
	return st, v.Err()
}

func (s *Service) checkGroup(ctx context.Context, tx *sql.Tx, orgID int64, v *apperr.Validation, field string, g *GroupRule) error {
	if g.Group == "" || len(g.Group) > 500 {
		v.Add(field+".group", "directory.error.group")
	}
	if g.RoleID == "" {
		v.Add(field+".role_id", "error.required")
	} else {
		scope, ok, err := s.roleScope(ctx, orgID, g.RoleID)
		if err != nil {
			return err
		}
		switch {
		case !ok:
			v.Add(field+".role_id", "directory.error.unknown_role", g.RoleID)
		case scope != "" && scope != assignmentScope(g.Scope) && contains(GroupScopes, g.Scope):
			v.Add(field+".scope", "directory.error.role_scope", g.RoleID)
		}
	}
	switch g.Scope {
	case ScopeOwnDepartment, ScopeOrganization:
		g.DepartmentID, g.SystemRef = 0, ""
	case ScopeFixedDepartment:
		g.SystemRef = ""
		ok, err := departmentExists(ctx, tx, orgID, g.DepartmentID)
		if err != nil {
			return err
		}
		if !ok {
			v.Add(field+".department_id", "directory.error.group_department", g.Group)
		}
	case ScopeSystem:
		g.DepartmentID = 0
		if g.SystemRef == "" || len(g.SystemRef) > 200 {
			v.Add(field+".system_ref", "error.required")
		}
	default:
		v.Add(field+".scope", "directory.error.scope")
	}
	return nil
}

// assignmentScope is the role assignment scope a group scope gives.
func assignmentScope(groupScope string) string {
	switch groupScope {
	case ScopeOwnDepartment, ScopeFixedDepartment:
		return "department"
	case ScopeSystem:
		return "system"
	}
	return "organization"
}

func departmentExists(ctx context.Context, q store.Querier, orgID, id int64) (bool, error) {
	if id <= 0 {
		return false, nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = $1 AND org_id = $2`, id, orgID).Scan(&n); err != nil {
		return false, apperr.Wrap(err, "department check")
	}
	return n > 0, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
