package org

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// Staff is a person bound by the policy (職員等).
type Staff struct {
	ID           int64  `json:"id"`
	OrgID        int64  `json:"org_id"`
	DepartmentID int64  `json:"department_id,omitempty"`
	EmployeeNo   string `json:"employee_no"`
	Name         string `json:"name"`
	Kana         string `json:"kana"`
	Title        string `json:"title"`
	Employment   string `json:"employment"`
	Email        string `json:"email"`
	Active       bool   `json:"active"`
	// HiredOn and LeftOn are the days of 採用 and 退職 (YYYY-MM-DD), empty when not known.
	HiredOn   string    `json:"hired_on,omitempty"`
	LeftOn    string    `json:"left_on,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// DepartmentName is filled by listings.
	DepartmentName string `json:"department_name,omitempty"`
}

// Employment types: 職員, 会計年度任用職員, 非常勤職員, 外部委託事業者の作業者.
var EmploymentTypes = []string{"regular", "fiscal_year", "part_time", "contractor"}

// StaffInput is what a user enters for a staff member.
type StaffInput struct {
	DepartmentID int64
	EmployeeNo   string
	Name         string
	Kana         string
	Title        string
	Employment   string
	Email        string
	Active       bool
}

func (in *StaffInput) validate() error {
	var v apperr.Validation
	in.EmployeeNo = strings.TrimSpace(in.EmployeeNo)
	in.Name = strings.TrimSpace(in.Name)
	in.Kana = strings.TrimSpace(in.Kana)
	in.Title = strings.TrimSpace(in.Title)
	in.Email = strings.TrimSpace(in.Email)
	checkCode(&v, "employee_no", in.EmployeeNo)
	checkName(&v, "name", in.Name)
	if !contains(EmploymentTypes, in.Employment) {
		v.Add("employment", "org.error.employment")
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			v.Add("email", "org.error.email")
		}
	}
	return v.Err()
}

// CreateStaff registers a staff member.
func (s *Service) CreateStaff(ctx context.Context, who access.Actor, in StaffInput) (Staff, error) {
	if !who.CanAdminister() {
		return Staff{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	in.Active = true
	if err := in.validate(); err != nil {
		return Staff{}, err
	}
	st := Staff{OrgID: who.OrgID, DepartmentID: in.DepartmentID, EmployeeNo: in.EmployeeNo, Name: in.Name, Kana: in.Kana,
		Title: in.Title, Employment: in.Employment, Email: in.Email, Active: true, CreatedAt: s.now()}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := checkDepartment(ctx, tx, who.OrgID, in.DepartmentID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO staff (org_id, department_id, employee_no, name, kana, title, employment, email, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			st.OrgID, store.NullID(st.DepartmentID), st.EmployeeNo, st.Name, st.Kana, st.Title, st.Employment, st.Email, st.Active, st.CreatedAt).Scan(&st.ID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("employee_no", "org.error.employee_no_taken")
		}
		if err != nil {
			return apperr.Wrap(err, "insert staff")
		}
		_, err = auditlog.Append(ctx, tx, who, st.CreatedAt, auditlog.Event{Entity: "staff", EntityID: st.ID, Action: "staff.create", After: st})
		return err
	})
	return st, err
}

// UpdateStaff changes a staff member's details, department or status.
func (s *Service) UpdateStaff(ctx context.Context, who access.Actor, id int64, in StaffInput) (Staff, error) {
	if !who.CanAdminister() {
		return Staff{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if err := in.validate(); err != nil {
		return Staff{}, err
	}
	var st Staff
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := staffByID(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if err := checkDepartment(ctx, tx, who.OrgID, in.DepartmentID); err != nil {
			return err
		}
		st = before
		st.DepartmentID, st.EmployeeNo, st.Name, st.Kana, st.Title, st.Employment, st.Email, st.Active =
			in.DepartmentID, in.EmployeeNo, in.Name, in.Kana, in.Title, in.Employment, in.Email, in.Active
		_, err = tx.ExecContext(ctx, `UPDATE staff SET department_id = $1, employee_no = $2, name = $3, kana = $4, title = $5,
			employment = $6, email = $7, active = $8 WHERE id = $9 AND org_id = $10`,
			store.NullID(st.DepartmentID), st.EmployeeNo, st.Name, st.Kana, st.Title, st.Employment, st.Email, st.Active, id, who.OrgID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("employee_no", "org.error.employee_no_taken")
		}
		if err != nil {
			return apperr.Wrap(err, "update staff")
		}
		_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "staff", EntityID: id, Action: "staff.update", Before: before, After: st})
		return err
	})
	return st, err
}

func checkDepartment(ctx context.Context, q store.Querier, orgID, id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := departmentByID(ctx, q, orgID, id); err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return apperr.InvalidField("department_id", "org.error.department_missing")
		}
		return err
	}
	return nil
}

const staffColumns = `s.id, s.org_id, COALESCE(s.department_id, 0), s.employee_no, s.name, s.kana, s.title, s.employment,
	s.email, s.active, s.hired_on, s.left_on, s.created_at, COALESCE(d.name, '')`

const staffFrom = ` FROM staff s LEFT JOIN departments d ON d.id = s.department_id `

func scanStaff(sc interface{ Scan(...any) error }) (Staff, error) {
	var st Staff
	err := sc.Scan(&st.ID, &st.OrgID, &st.DepartmentID, &st.EmployeeNo, &st.Name, &st.Kana, &st.Title, &st.Employment,
		&st.Email, &st.Active, &st.HiredOn, &st.LeftOn, &st.CreatedAt, &st.DepartmentName)
	st.CreatedAt = st.CreatedAt.UTC()
	return st, err
}

func staffByID(ctx context.Context, q store.Querier, orgID, id int64) (Staff, error) {
	st, err := scanStaff(q.QueryRowContext(ctx, `SELECT `+staffColumns+staffFrom+`WHERE s.id = $1 AND s.org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return st, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return st, apperr.Wrap(err, "staff")
	}
	return st, nil
}

// StaffMember returns one staff member of the actor's organisation.
func (s *Service) StaffMember(ctx context.Context, who access.Actor, id int64) (Staff, error) {
	return staffByID(ctx, s.DB.SQL, who.OrgID, id)
}

// StaffFilter narrows a staff listing.
type StaffFilter struct {
	DepartmentID int64
	Query        string // matches name, kana or employee number
	Limit        int
	Offset       int
}

// ListStaff returns staff of the actor's organisation ordered by employee number, and the total.
func (s *Service) ListStaff(ctx context.Context, who access.Actor, f StaffFilter) ([]Staff, int, error) {
	where := "s.org_id = $1"
	args := []any{who.OrgID}
	if f.DepartmentID != 0 {
		args = append(args, f.DepartmentID)
		where += " AND s.department_id = $" + strconv.Itoa(len(args))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+store.LikeEscape(q)+"%")
		n := "$" + strconv.Itoa(len(args))
		where += " AND (lower(s.name) LIKE lower(" + n + `) ESCAPE '\' OR lower(s.kana) LIKE lower(` + n + `) ESCAPE '\' OR lower(s.employee_no) LIKE lower(` + n + `) ESCAPE '\')`
	}
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*)`+staffFrom+`WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count staff")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+staffColumns+staffFrom+`WHERE `+where+
		` ORDER BY s.employee_no LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list staff")
	}
	defer rows.Close()
	var out []Staff
	for rows.Next() {
		st, err := scanStaff(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "scan staff")
		}
		out = append(out, st)
	}
	return out, total, rows.Err()
}
