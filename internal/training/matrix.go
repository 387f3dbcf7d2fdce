package training

import (
	"context"
	"slices"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// Cell is the completion of one department and 職員区分 (or of a row or the whole).
type Cell struct {
	Assigned  int `json:"assigned"`
	Completed int `json:"completed"`
	Overdue   int `json:"overdue"`
}

// Rate is the share completed, in whole per cent.
func (c Cell) Rate() int { return rate(c.Completed, c.Assigned) }

// Missing reports whether anyone of the cell has not completed.
func (c Cell) Missing() int { return c.Assigned - c.Completed }

// MatrixRow is one department of the completion matrix, with the names still missing.
type MatrixRow struct {
	DepartmentID int64            `json:"department_id"`
	Department   string           `json:"department_name"`
	Cells        map[string]*Cell `json:"cells"`   // by employment
	Courses      map[string]*Cell `json:"courses"` // by course
	Total        Cell             `json:"total"`
	Missing      []Assignment     `json:"missing"`
}

// Matrix is the completion of a plan (or one of its courses) by department × 職員区分, over the
// assignments the actor reads.
type Matrix struct {
	PlanID      int64            `json:"plan_id"`
	FiscalYear  int              `json:"fiscal_year"`
	Course      string           `json:"course,omitempty"`
	Employments []string         `json:"employments"`
	Rows        []MatrixRow      `json:"rows"`
	Columns     map[string]*Cell `json:"columns"`
	Total       Cell             `json:"total"`
}

// Matrix counts the plan's assignments by department and employment in the database, and reads
// the names of those who have not completed.
func (s *Service) Matrix(ctx context.Context, who access.Actor, planID int64, course string) (Matrix, error) {
	pl, err := planByID(ctx, s.DB.SQL, who.OrgID, planID)
	if err != nil {
		return Matrix{}, err
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Matrix{}, err
	}
	var pk *policy.Pack
	if p != nil {
		pk = p.Pack
	}
	args := []any{who.OrgID, pl.ID, s.today()}
	q := `SELECT COALESCE(st.department_id, 0), COALESCE(d.name, ''), st.employment, a.course_id, count(*),
		SUM(CASE WHEN a.completed_on <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN a.completed_on = '' AND a.due_on < $3 THEN 1 ELSE 0 END)
		FROM training_assignments a JOIN staff st ON st.id = a.staff_id LEFT JOIN departments d ON d.id = st.department_id
		WHERE a.org_id = $1 AND a.plan_id = $2`
	if course != "" {
		args = append(args, course)
		q += " AND a.course_id = $4"
	}
	w, wargs := ReachOf(who, pk).where(len(args) + 1)
	q += " AND " + w + " GROUP BY st.department_id, d.name, d.sort_order, st.employment, a.course_id ORDER BY d.sort_order, d.name"
	rows, err := s.DB.SQL.QueryContext(ctx, q, append(args, wargs...)...)
	if err != nil {
		return Matrix{}, wrap(err, "count completion")
	}
	m := Matrix{PlanID: pl.ID, FiscalYear: pl.FiscalYear, Course: course, Columns: map[string]*Cell{}, Rows: []MatrixRow{}}
	at := map[int64]int{}
	used := map[string]bool{}
	cell := func(in map[string]*Cell, k string) *Cell {
		if in[k] == nil {
			in[k] = &Cell{}
		}
		return in[k]
	}
	for rows.Next() {
		var dept int64
		var name, employment, courseID string
		var c Cell
		if err := rows.Scan(&dept, &name, &employment, &courseID, &c.Assigned, &c.Completed, &c.Overdue); err != nil {
			rows.Close()
			return Matrix{}, wrap(err, "count completion")
		}
		i, ok := at[dept]
		if !ok {
			i = len(m.Rows)
			at[dept] = i
			m.Rows = append(m.Rows, MatrixRow{DepartmentID: dept, Department: name, Cells: map[string]*Cell{}, Courses: map[string]*Cell{},
				Missing: []Assignment{}})
		}
		r := &m.Rows[i]
		used[employment] = true
		for _, x := range []*Cell{cell(r.Cells, employment), cell(r.Courses, courseID), &r.Total, cell(m.Columns, employment), &m.Total} {
			x.Assigned, x.Completed, x.Overdue = x.Assigned+c.Assigned, x.Completed+c.Completed, x.Overdue+c.Overdue
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Matrix{}, wrap(err, "count completion")
	}
	missing, err := s.list(ctx, who, Filter{PlanID: planID, Course: course, Missing: true})
	if err != nil {
		return Matrix{}, err
	}
	for _, a := range missing {
		if i, ok := at[a.DepartmentID]; ok {
			m.Rows[i].Missing = append(m.Rows[i].Missing, a)
		}
	}
	for _, e := range org.EmploymentTypes {
		if used[e] {
			m.Employments = append(m.Employments, e)
		}
	}
	if m.Employments == nil {
		m.Employments = []string{}
	}
	// the least complete departments first, so that the committee sees the gaps at once
	slices.SortStableFunc(m.Rows, func(a, b MatrixRow) int { return a.Total.Rate() - b.Total.Rate() })
	return m, nil
}
