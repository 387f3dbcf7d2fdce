package auth

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// A service account is the login of an integration (a personnel system, an asset scanner): it
// has no password and no staff record, holds only the roles it is given explicitly, works only
// through API tokens that an administrator issues to it, and cannot sign in to the web.

// ServiceRole is one pack role a service account holds, over a scope like a role assignment's.
type ServiceRole struct {
	RoleID       string `json:"role_id"`
	Scope        string `json:"scope"`
	DepartmentID int64  `json:"department_id,omitempty"`
	SystemRef    string `json:"system_ref,omitempty"`
}

// NewServiceAccount is the input for creating a service account.
type NewServiceAccount struct {
	Login         string
	DisplayName   string
	PlatformAdmin bool
	Roles         []ServiceRole
}

var roleScopes = []string{"organization", "department", "system"}

// CreateServiceAccount creates a service account with the given roles. It has no password and
// signs in nowhere; an administrator issues its tokens with CreateServiceToken.
func (s *Service) CreateServiceAccount(ctx context.Context, who access.Actor, in NewServiceAccount) (User, error) {
	if !who.CanAdminister() {
		return User{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	in.Login, in.DisplayName = checkLogin(&v, in.Login, in.DisplayName)
	roles, err := s.checkRoles(ctx, &v, who.OrgID, in.Roles)
	if err != nil {
		return User{}, err
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{OrgID: who.OrgID, Login: in.Login, DisplayName: in.DisplayName, PlatformAdmin: in.PlatformAdmin, Lang: "ja",
		ServiceAccount: true, PasswordChangedAt: now, CreatedAt: now}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (org_id, login, display_name, password_hash, must_change_password,
			platform_admin, lang, password_changed_at, created_at, service_account) VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8, $9) RETURNING id`,
			u.OrgID, u.Login, u.DisplayName, false, u.PlatformAdmin, u.Lang, now, now, true).Scan(&u.ID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("login", "auth.error.login_taken")
		}
		if err != nil {
			return apperr.Wrap(err, "insert service account")
		}
		for _, r := range roles {
			if err := checkRoleDepartment(ctx, tx, u.OrgID, r.DepartmentID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO service_account_roles (org_id, user_id, role_id, scope, department_id, system_ref, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, u.OrgID, u.ID, r.RoleID, r.Scope, store.NullID(r.DepartmentID), r.SystemRef, now); err != nil {
				return apperr.Wrap(err, "service account role")
			}
		}
		after := u.auditView()
		after["roles"] = roles
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "user.create_service", After: after})
		return err
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// ServiceRoles lists the roles of a service account, for administrators.
func (s *Service) ServiceRoles(ctx context.Context, who access.Actor, userID int64) ([]ServiceRole, error) {
	if !who.CanAdminister() {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return serviceRoles(ctx, s.DB.SQL, who.OrgID, userID)
}

// ServiceAccountIDs returns the ids of the organisation's service accounts, so that lists of
// actors (the audit log) can mark them.
func (s *Service) ServiceAccountIDs(ctx context.Context, who access.Actor) (map[int64]bool, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id FROM users WHERE org_id = $1 AND service_account = $2`, who.OrgID, true)
	if err != nil {
		return nil, apperr.Wrap(err, "service accounts")
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, apperr.Wrap(err, "service accounts")
		}
		out[id] = true
	}
	return out, rows.Err()
}

func serviceRoles(ctx context.Context, q store.Querier, orgID, userID int64) ([]ServiceRole, error) {
	rows, err := q.QueryContext(ctx, `SELECT role_id, scope, COALESCE(department_id, 0), system_ref FROM service_account_roles
		WHERE org_id = $1 AND user_id = $2 ORDER BY role_id, id`, orgID, userID)
	if err != nil {
		return nil, apperr.Wrap(err, "service account roles")
	}
	defer rows.Close()
	out := []ServiceRole{}
	for rows.Next() {
		var r ServiceRole
		if err := rows.Scan(&r.RoleID, &r.Scope, &r.DepartmentID, &r.SystemRef); err != nil {
			return nil, apperr.Wrap(err, "service account roles")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// checkRoles validates the roles of a new service account against the organisation's pack: a
// role the pack defines, in the scope the pack gives it (taken from the pack when left empty),
// with its department or system.
func (s *Service) checkRoles(ctx context.Context, v *apperr.Validation, orgID int64, in []ServiceRole) ([]ServiceRole, error) {
	out := []ServiceRole{}
	for _, r := range in {
		r.RoleID, r.SystemRef = strings.TrimSpace(r.RoleID), strings.TrimSpace(r.SystemRef)
		if r.RoleID == "" {
			v.Add("roles", "error.required")
			continue
		}
		if s.RoleScope != nil {
			scope, ok, err := s.RoleScope(ctx, orgID, r.RoleID)
			if err != nil {
				return nil, err
			}
			if !ok {
				v.Add("roles", "org.error.unknown_role", r.RoleID)
				continue
			}
			if r.Scope == "" {
				r.Scope = scope
			}
			if scope != "" && r.Scope != scope {
				v.Add("roles", "org.error.role_scope", scope)
				continue
			}
		}
		if r.Scope == "" {
			r.Scope = "organization"
		}
		switch {
		case !slices.Contains(roleScopes, r.Scope):
			v.Add("roles", "org.error.scope")
		case r.Scope == "department" && r.DepartmentID == 0:
			v.Add("department_id", "error.required")
		case r.Scope == "system" && r.SystemRef == "":
			v.Add("system_ref", "error.required")
		}
		if r.Scope != "department" {
			r.DepartmentID = 0
		}
		if r.Scope != "system" {
			r.SystemRef = ""
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func checkRoleDepartment(ctx context.Context, tx *sql.Tx, orgID, id int64) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = $1 AND org_id = $2`, id, orgID).Scan(&n); err != nil {
		return apperr.Wrap(err, "department")
	}
	if n == 0 {
		return apperr.InvalidField("department_id", "org.error.department_missing")
	}
	return nil
}

// serviceGrants returns a service account's roles as grants.
func serviceGrants(ctx context.Context, q store.Querier, orgID, userID int64) ([]access.Grant, error) {
	roles, err := serviceRoles(ctx, q, orgID, userID)
	if err != nil {
		return nil, err
	}
	var out []access.Grant
	for _, r := range roles {
		out = append(out, access.Grant{RoleID: r.RoleID, Scope: r.Scope, DepartmentID: r.DepartmentID, SystemRef: r.SystemRef})
	}
	return out, nil
}
