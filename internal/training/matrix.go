package training

import (
	"context"
	"slices"

	"mamori/internal/access"
	"mamori/internal/org"
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

func (c *Cell) add(a Assignment) {
	c.Assigned++
	if a.CompletedOn != "" {
		c.Completed++
	} else if a.Overdue {
		c.Overdue++
	}
}

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

// Matrix counts the plan's assignments by department and employment, keeping the names of those
// who have not completed.
func (s *Service) Matrix(ctx context.Context, who access.Actor, planID int64, course string) (Matrix, error) {
	pl, err := planByID(ctx, s.DB.SQL, who.OrgID, planID)
	if err != nil {
		return Matrix{}, err
	}
	list, err := s.list(ctx, who, Filter{PlanID: planID, Course: course})
	if err != nil {
		return Matrix{}, err
	}
	m := Matrix{PlanID: pl.ID, FiscalYear: pl.FiscalYear, Course: course, Columns: map[string]*Cell{}, Rows: []MatrixRow{}}
	at := map[int64]int{}
	used := map[string]bool{}
	for _, a := range list {
		i, ok := at[a.DepartmentID]
		if !ok {
			i = len(m.Rows)
			at[a.DepartmentID] = i
			m.Rows = append(m.Rows, MatrixRow{DepartmentID: a.DepartmentID, Department: a.Department, Cells: map[string]*Cell{},
				Courses: map[string]*Cell{}, Missing: []Assignment{}})
		}
		r := &m.Rows[i]
		if r.Cells[a.Employment] == nil {
			r.Cells[a.Employment] = &Cell{}
		}
		if r.Courses[a.CourseID] == nil {
			r.Courses[a.CourseID] = &Cell{}
		}
		if m.Columns[a.Employment] == nil {
			m.Columns[a.Employment] = &Cell{}
		}
		used[a.Employment] = true
		r.Cells[a.Employment].add(a)
		r.Courses[a.CourseID].add(a)
		r.Total.add(a)
		m.Columns[a.Employment].add(a)
		m.Total.add(a)
		if a.CompletedOn == "" {
			r.Missing = append(r.Missing, a)
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
