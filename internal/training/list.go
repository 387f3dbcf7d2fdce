package training

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// MaxLimit is the most assignments one list, export or print holds.
const MaxLimit = 50_000

// Filter narrows a list of assignments.
type Filter struct {
	PlanID       int64
	Course       string
	DepartmentID int64
	Employment   string
	StaffID      int64
	Missing      bool // not yet completed
	Overdue      bool // not completed and past due
	Limit        int
}

const assignmentColumns = `a.id, a.plan_id, p.fiscal_year, a.course_id, COALESCE(c.name, a.course_id), COALESCE(c.format, ''), a.staff_id,
	st.employee_no, st.name, COALESCE(st.department_id, 0), COALESCE(d.name, ''), st.employment, a.reason, a.due_on, a.completed_on,
	COALESCE(a.session_id, 0), a.how, a.recorded_by`

const assignmentFrom = ` FROM training_assignments a
	JOIN training_plans p ON p.id = a.plan_id
	JOIN staff st ON st.id = a.staff_id
	LEFT JOIN departments d ON d.id = st.department_id
	LEFT JOIN training_courses c ON c.plan_id = a.plan_id AND c.course_id = a.course_id`

// list returns the assignments of the filter the actor reads, by department, name and course.
func (s *Service) list(ctx context.Context, who access.Actor, f Filter) ([]Assignment, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	var pk *policy.Pack
	if p != nil {
		pk = p.Pack
	}
	today := s.today()
	args := []any{who.OrgID}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	q := `SELECT ` + assignmentColumns + assignmentFrom + ` WHERE a.org_id = $1`
	if f.PlanID != 0 {
		q += " AND a.plan_id = " + arg(f.PlanID)
	}
	if f.Course != "" {
		q += " AND a.course_id = " + arg(f.Course)
	}
	if f.DepartmentID != 0 {
		q += " AND st.department_id = " + arg(f.DepartmentID)
	}
	if f.Employment != "" {
		q += " AND st.employment = " + arg(f.Employment)
	}
	if f.StaffID != 0 {
		q += " AND a.staff_id = " + arg(f.StaffID)
	}
	if f.Missing || f.Overdue {
		q += " AND a.completed_on = ''"
	}
	if f.Overdue {
		q += " AND a.due_on < " + arg(today)
	}
	w, wargs := ReachOf(who, pk).where(len(args) + 1)
	q += " AND " + w
	args = append(args, wargs...)
	limit := f.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = MaxLimit
	}
	q += " ORDER BY d.sort_order, d.name, st.kana, st.name, a.due_on, a.course_id LIMIT " + strconv.Itoa(limit)
	rows, err := s.DB.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "list assignments")
	}
	defer rows.Close()
	out := []Assignment{}
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, wrap(err, "list assignments")
		}
		a.Overdue = a.CompletedOn == "" && a.DueOn < today
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "list assignments")
}

func scanAssignment(row interface{ Scan(...any) error }) (Assignment, error) {
	var a Assignment
	err := row.Scan(&a.ID, &a.PlanID, &a.FiscalYear, &a.CourseID, &a.CourseName, &a.Format, &a.StaffID, &a.EmployeeNo, &a.Name,
		&a.DepartmentID, &a.Department, &a.Employment, &a.Reason, &a.DueOn, &a.CompletedOn, &a.SessionID, &a.How, &a.RecordedBy)
	return a, err
}

// Assignments lists the assignments of the filter that the actor reads.
func (s *Service) Assignments(ctx context.Context, who access.Actor, f Filter) ([]Assignment, error) {
	return s.list(ctx, who, f)
}

// Mine lists the actor's own assignments of every plan, the current year's first.
func (s *Service) Mine(ctx context.Context, who access.Actor) ([]Assignment, error) {
	if who.StaffID == 0 {
		return []Assignment{}, nil
	}
	me := who
	me.Roles, me.PlatformAdmin = nil, false // one's own page shows one's own
	list, err := s.list(ctx, me, Filter{StaffID: who.StaffID})
	if err != nil {
		return nil, err
	}
	// the newest year first, each by due date as listed
	slices.SortStableFunc(list, func(a, b Assignment) int { return cmp.Compare(b.FiscalYear, a.FiscalYear) })
	return list, nil
}

func assignmentByID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, orgID, id int64) (Assignment, error) {
	a, err := scanAssignment(q.QueryRowContext(ctx, `SELECT `+assignmentColumns+assignmentFrom+` WHERE a.org_id = $1 AND a.id = $2`, orgID, id))
	if err == sql.ErrNoRows {
		return a, apperr.New(apperr.NotFound, "training.error.assignment_missing")
	}
	return a, wrap(err, "read assignment")
}

// Confirm records that the person took the e-learning module of their assignment today.
func (s *Service) Confirm(ctx context.Context, who access.Actor, id int64) (Assignment, error) {
	var a Assignment
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = assignmentByID(ctx, tx, who.OrgID, id)
		if apperr.CodeOf(err) == apperr.NotFound || err == nil && a.StaffID != who.StaffID {
			return apperr.New(apperr.NotFound, "training.error.assignment_missing")
		}
		if err != nil {
			return err
		}
		if err := MayConfirm(who, a); err != nil {
			return err
		}
		now := s.now()
		a.CompletedOn, a.How, a.RecordedBy = now.In(jst).Format(time.DateOnly), HowSelf, who.Name
		if _, err := tx.ExecContext(ctx, `UPDATE training_assignments SET completed_on = $1, how = $2, recorded_by = $3, recorded_at = $4
			WHERE id = $5 AND completed_on = ''`, a.CompletedOn, HowSelf, who.Name, now, a.ID); err != nil {
			return wrap(err, "confirm")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "training_assignment", EntityID: a.ID, Action: "training.confirm", After: a})
		return err
	})
	return a, err
}

// Overdue returns, for the desk, the actor's own courses past their due month and not taken.
func (s *Service) Overdue(ctx context.Context, who access.Actor, limit int) ([]Assignment, int, error) {
	if who.StaffID == 0 {
		return []Assignment{}, 0, nil
	}
	me := who
	me.Roles, me.PlatformAdmin = nil, false
	list, err := s.list(ctx, me, Filter{StaffID: who.StaffID, Overdue: true})
	if err != nil {
		return nil, 0, err
	}
	n := len(list)
	if len(list) > limit {
		list = list[:limit]
	}
	return list, n, nil
}

// DepartmentOverdue returns, for the desk of a department's 課長 (the holder of its security
// role), the people of their departments whose courses are past due and not taken.
func (s *Service) DepartmentOverdue(ctx context.Context, who access.Actor, limit int) ([]Assignment, int, error) {
	var depts []int64
	for _, g := range who.Roles {
		if g.Scope == "department" && g.Security && !g.AllStaff {
			depts = append(depts, g.DepartmentID)
		}
	}
	out := []Assignment{}
	for _, d := range depts {
		list, err := s.list(ctx, who, Filter{DepartmentID: d, Overdue: true})
		if err != nil {
			return nil, 0, err
		}
		out = append(out, list...)
	}
	n := len(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, n, nil
}
