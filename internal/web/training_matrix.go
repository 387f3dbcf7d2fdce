package web

import (
	"net/http"
	"strconv"

	"mamori/internal/training"
)

// The completion of a plan by department × 職員区分, for the CISO, the 統括情報セキュリティ責任者
// and the 委員会 (the whole organisation) and for each 課長 (their department): the rate of each
// cell, the overdue, and the names still missing; the same as .xlsx and as the A4 report laid
// before the 委員会.

type trainingMatrixData struct {
	Plan      training.Plan
	Matrix    training.Matrix
	Course    string
	PrintedOn string
	Oversees  bool
}

func (w *Server) trainingMatrixData(r *http.Request) (*page, trainingMatrixData, error) {
	ctx, who := r.Context(), stateOf(r).who
	id, err := pathID(r)
	if err != nil {
		return nil, trainingMatrixData{}, err
	}
	pl, err := w.s.Trainings.Plan(ctx, who, id)
	if err != nil {
		return nil, trainingMatrixData{}, err
	}
	course := r.URL.Query().Get("course")
	if course != "" {
		known := false
		for _, c := range pl.Courses {
			known = known || c.ID == course
		}
		if !known {
			course = ""
		}
	}
	m, err := w.s.Trainings.Matrix(ctx, who, id, course)
	if err != nil {
		return nil, trainingMatrixData{}, err
	}
	p := w.newPage(r, "training.matrix.title", "trainings")
	p.Crumbs = []crumb{{p.T("training.title"), "/trainings"}, {p.T("training.plan.title"), trainingPath(id)}}
	d := trainingMatrixData{Plan: pl, Matrix: m, Course: course, PrintedOn: p.Date(w.s.Now())}
	if p.pack != nil {
		d.Oversees = training.Oversees(who, p.pack.Pack)
	}
	return p, d, nil
}

// Cell returns a row's cell of an employment, nil when it has none.
func (d trainingMatrixData) Cell(r training.MatrixRow, employment string) *training.Cell {
	return r.Cells[employment]
}

// CourseName names a course of the plan.
func (d trainingMatrixData) CourseName(id string) string {
	for _, c := range d.Plan.Courses {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

func (w *Server) trainingMatrix(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.trainingMatrixData(r)
	if err != nil {
		return err
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "training_matrix", p)
	return nil
}

// trainingReport is the completion report for the 委員会 on A4.
func (w *Server) trainingReport(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.trainingMatrixData(r)
	if err != nil {
		return err
	}
	p.Title = "training.print.report"
	p.Data = d
	w.render(rw, r, http.StatusOK, "training_report_print", p)
	return nil
}

// trainingMatrixExport downloads the matrix: one row per department and 職員区分, then the
// names still missing.
func (w *Server) trainingMatrixExport(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.trainingMatrixData(r)
	if err != nil {
		return err
	}
	var rows [][]any
	for _, row := range d.Matrix.Rows {
		for _, e := range d.Matrix.Employments {
			if c := row.Cells[e]; c != nil {
				rows = append(rows, []any{row.Department, p.T("staff.employment." + e), c.Assigned, c.Completed, c.Rate(), c.Overdue, ""})
			}
		}
		for _, a := range row.Missing {
			rows = append(rows, []any{row.Department, p.T("staff.employment." + a.Employment), "", "", "", "", a.EmployeeNo + " " + a.Name + "（" + a.CourseName + "）"})
		}
	}
	header := []string{p.T("staff.department"), p.T("staff.employment"), p.T("training.field.assigned"), p.T("training.field.completed"),
		p.T("training.field.rate"), p.T("training.field.overdue"), p.T("training.field.missing")}
	return sendXLSX(rw, "training-matrix-"+strconv.Itoa(d.Plan.FiscalYear), p.T("training.matrix.title"), header, rows)
}
