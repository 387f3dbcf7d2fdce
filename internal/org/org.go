// Package org holds organisations (団体), their department tree (所属: 部 → 課 → 係, or
// 教育委員会 → 学校), the staff (職員等) bound by the policy, and the role assignments that say
// who holds which pack role.
package org

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// Organization is one municipality, prefecture or board of education.
type Organization struct {
	ID                   int64     `json:"id"`
	Code                 string    `json:"code"`
	Name                 string    `json:"name"`
	Kind                 string    `json:"kind"`
	ParentID             int64     `json:"parent_id,omitempty"`
	PackID               string    `json:"pack_id"`
	LockoutAfterFailures int       `json:"lockout_after_failures"`
	CreatedAt            time.Time `json:"created_at"`
}

// Kinds of organisation.
var OrganizationKinds = []string{"municipality", "prefecture", "board_of_education"}

// DefaultLockoutAfterFailures applies until the organisation's pack sets its own number.
const DefaultLockoutAfterFailures = 5

// Service manages organisations, departments, staff and role assignments.
type Service struct {
	DB  *store.DB
	Now func() time.Time
	// Catalog, when set, is the catalogue of the roles an organisation's policy pack defines;
	// assignments must name one of them, with its scope.
	Catalog RoleCatalog
}

// RoleCatalog tells which roles an organisation's pack defines.
type RoleCatalog interface {
	// RoleScope returns the scope of the pack role id ("" for any), or ok false when the pack has
	// no such role.
	RoleScope(ctx context.Context, orgID int64, id string) (scope string, ok bool, err error)
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// NewOrganization is the input for creating an organisation.
type NewOrganization struct {
	Code string
	Name string
	Kind string
}

// CreateOrganization creates an organisation and starts its audit chain. Only the system (at
// first start or from the command line) creates organisations.
func (s *Service) CreateOrganization(ctx context.Context, who access.Actor, in NewOrganization) (Organization, error) {
	if !who.IsSystem() {
		return Organization{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	in.Code = strings.TrimSpace(in.Code)
	in.Name = strings.TrimSpace(in.Name)
	checkCode(&v, "code", in.Code)
	checkName(&v, "name", in.Name)
	if in.Kind == "" {
		in.Kind = "municipality"
	}
	if !contains(OrganizationKinds, in.Kind) {
		v.Add("kind", "org.error.kind")
	}
	if err := v.Err(); err != nil {
		return Organization{}, err
	}
	o := Organization{Code: in.Code, Name: in.Name, Kind: in.Kind, LockoutAfterFailures: DefaultLockoutAfterFailures, CreatedAt: s.now()}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO organizations (code, name, kind, lockout_after_failures, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, o.Code, o.Name, o.Kind, o.LockoutAfterFailures, o.CreatedAt).Scan(&o.ID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("code", "org.error.code_taken")
		}
		if err != nil {
			return apperr.Wrap(err, "insert organization")
		}
		if err := auditlog.Start(ctx, tx, o.ID); err != nil {
			return apperr.Wrap(err, "start audit chain")
		}
		who.OrgID = o.ID
		_, err = auditlog.Append(ctx, tx, who, o.CreatedAt, auditlog.Event{Entity: "organization", EntityID: o.ID, Action: "organization.create", After: o})
		return err
	})
	return o, err
}

// Organization returns one organisation by id.
func (s *Service) Organization(ctx context.Context, id int64) (Organization, error) {
	return s.scanOrg(s.DB.SQL.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = $1`, id))
}

// First returns the organisation created first: the installation's own.
func (s *Service) First(ctx context.Context) (Organization, error) {
	return s.scanOrg(s.DB.SQL.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations ORDER BY id LIMIT 1`))
}

const orgColumns = `id, code, name, kind, COALESCE(parent_id, 0), pack_id, lockout_after_failures, created_at`

func (s *Service) scanOrg(row *sql.Row) (Organization, error) {
	var o Organization
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.ParentID, &o.PackID, &o.LockoutAfterFailures, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return o, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return o, apperr.Wrap(err, "organization")
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return o, nil
}

func checkCode(v *apperr.Validation, field, code string) {
	switch {
	case code == "":
		v.Add(field, "error.required")
	case utf8.RuneCountInString(code) > 64:
		v.Add(field, "error.too_long", 64)
	case strings.ContainsAny(code, " \t\r\n/?#%"):
		v.Add(field, "org.error.code_chars")
	}
}

func checkName(v *apperr.Validation, field, name string) {
	switch {
	case name == "":
		v.Add(field, "error.required")
	case utf8.RuneCountInString(name) > 200:
		v.Add(field, "error.too_long", 200)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Counts are the sizes of an organisation's registers, for overviews.
type Counts struct {
	Departments int
	Staff       int
}

// Count returns how many departments and staff the actor's organisation has.
func (s *Service) Count(ctx context.Context, who access.Actor) (Counts, error) {
	var c Counts
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM departments WHERE org_id = $1),
		(SELECT count(*) FROM staff WHERE org_id = $1)`, who.OrgID).Scan(&c.Departments, &c.Staff)
	if err != nil {
		return c, apperr.Wrap(err, "counts")
	}
	return c, nil
}
