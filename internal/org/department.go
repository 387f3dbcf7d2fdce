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

// Department is one unit of an organisation's tree (所属).
type Department struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	ParentID  int64     `json:"parent_id,omitempty"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	SortOrder int       `json:"sort_order"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	// Depth and Path are filled by Tree: how deep the node is and the names from the root.
	Depth int      `json:"depth"`
	Path  []string `json:"path,omitempty"`
}

// DepartmentKinds: 部, 課, 係/班, 教育委員会, 学校, other units (室, 局, 出先機関).
var DepartmentKinds = []string{"division", "section", "unit", "board", "school", "office"}

// DepartmentInput is what a user enters for a department.
type DepartmentInput struct {
	ParentID  int64
	Code      string
	Name      string
	Kind      string
	SortOrder int
	Active    bool
}

func (in *DepartmentInput) validate() error {
	var v apperr.Validation
	in.Code = strings.TrimSpace(in.Code)
	in.Name = strings.TrimSpace(in.Name)
	checkCode(&v, "code", in.Code)
	checkName(&v, "name", in.Name)
	if !contains(DepartmentKinds, in.Kind) {
		v.Add("kind", "org.error.department_kind")
	}
	return v.Err()
}

// MayKeepDepartments reports whether the actor may add and change the organisation's
// departments: the platform administrator, and the holders (acting holders included) of a role
// the organisation's pack marks as an organisation-wide security role (security: true, scope
// organization) — the CISO, the 統括情報セキュリティ責任者 and the 情報政策課-level roles that keep
// the policy and the organisation it binds. Holders of department roles, other
// organisation-wide roles (ネットワーク管理者, 委員会) and auditors may not.
func MayKeepDepartments(who access.Actor) bool {
	if who.CanAdminister() {
		return true
	}
	for _, g := range who.Roles {
		if g.Security && g.Scope == "organization" && !g.AllStaff && !g.Auditor {
			return true
		}
	}
	return false
}

// CreateDepartment adds a department under ParentID (0 for a top-level unit).
func (s *Service) CreateDepartment(ctx context.Context, who access.Actor, in DepartmentInput) (Department, error) {
	if !MayKeepDepartments(who) {
		return Department{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	in.Active = true
	if err := in.validate(); err != nil {
		return Department{}, err
	}
	d := Department{OrgID: who.OrgID, ParentID: in.ParentID, Code: in.Code, Name: in.Name, Kind: in.Kind,
		SortOrder: in.SortOrder, Active: true, CreatedAt: s.now()}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkParent(ctx, tx, who.OrgID, 0, in.ParentID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO departments (org_id, parent_id, code, name, kind, sort_order, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			d.OrgID, store.NullID(d.ParentID), d.Code, d.Name, d.Kind, d.SortOrder, d.Active, d.CreatedAt).Scan(&d.ID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("code", "org.error.code_taken")
		}
		if err != nil {
			return apperr.Wrap(err, "insert department")
		}
		_, err = auditlog.Append(ctx, tx, who, d.CreatedAt, auditlog.Event{Entity: "department", EntityID: d.ID, Action: "department.create", After: d})
		return err
	})
	return d, err
}

// UpdateDepartment renames, moves, reorders or (de)activates a department.
func (s *Service) UpdateDepartment(ctx context.Context, who access.Actor, id int64, in DepartmentInput) (Department, error) {
	if !MayKeepDepartments(who) {
		return Department{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if err := in.validate(); err != nil {
		return Department{}, err
	}
	var d Department
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := departmentByID(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if err := s.checkParent(ctx, tx, who.OrgID, id, in.ParentID); err != nil {
			return err
		}
		d = before
		d.ParentID, d.Code, d.Name, d.Kind, d.SortOrder, d.Active = in.ParentID, in.Code, in.Name, in.Kind, in.SortOrder, in.Active
		_, err = tx.ExecContext(ctx, `UPDATE departments SET parent_id = $1, code = $2, name = $3, kind = $4, sort_order = $5, active = $6
			WHERE id = $7 AND org_id = $8`, store.NullID(d.ParentID), d.Code, d.Name, d.Kind, d.SortOrder, d.Active, id, who.OrgID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("code", "org.error.code_taken")
		}
		if err != nil {
			return apperr.Wrap(err, "update department")
		}
		_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "department", EntityID: id, Action: "department.update", Before: before, After: d})
		return err
	})
	return d, err
}

// checkParent makes sure the parent exists in the same organisation and that moving id under it
// does not make a cycle.
func (s *Service) checkParent(ctx context.Context, tx *sql.Tx, orgID, id, parentID int64) error {
	for p := parentID; p != 0; {
		if p == id {
			return apperr.InvalidField("parent_id", "org.error.department_cycle")
		}
		d, err := departmentByID(ctx, tx, orgID, p)
		if apperr.CodeOf(err) == apperr.NotFound {
			return apperr.InvalidField("parent_id", "org.error.parent_missing")
		}
		if err != nil {
			return err
		}
		p = d.ParentID
	}
	return nil
}

const departmentColumns = `id, org_id, COALESCE(parent_id, 0), code, name, kind, sort_order, active, created_at`

func scanDepartment(s interface{ Scan(...any) error }) (Department, error) {
	var d Department
	err := s.Scan(&d.ID, &d.OrgID, &d.ParentID, &d.Code, &d.Name, &d.Kind, &d.SortOrder, &d.Active, &d.CreatedAt)
	d.CreatedAt = d.CreatedAt.UTC()
	return d, err
}

func departmentByID(ctx context.Context, q store.Querier, orgID, id int64) (Department, error) {
	d, err := scanDepartment(q.QueryRowContext(ctx, `SELECT `+departmentColumns+` FROM departments WHERE id = $1 AND org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return d, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return d, apperr.Wrap(err, "department")
	}
	return d, nil
}

// Department returns one department of the actor's organisation. Every signed-in user may read
// the department tree: it is how requests are routed.
func (s *Service) Department(ctx context.Context, who access.Actor, id int64) (Department, error) {
	return departmentByID(ctx, s.DB.SQL, who.OrgID, id)
}

// Tree returns the organisation's departments in tree order (parents before children, siblings
// by sort order then code), each with its depth and path.
func (s *Service) Tree(ctx context.Context, who access.Actor) ([]Department, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+departmentColumns+` FROM departments WHERE org_id = $1 ORDER BY sort_order, code`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	defer rows.Close()
	children := map[int64][]Department{}
	for rows.Next() {
		d, err := scanDepartment(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "departments")
		}
		children[d.ParentID] = append(children[d.ParentID], d)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	var out []Department
	var walk func(parent int64, depth int, path []string)
	walk = func(parent int64, depth int, path []string) {
		for _, d := range children[parent] {
			d.Depth = depth
			d.Path = append(append([]string(nil), path...), d.Name)
			out = append(out, d)
			walk(d.ID, depth+1, d.Path)
		}
	}
	walk(0, 0, nil)
	return out, nil
}
