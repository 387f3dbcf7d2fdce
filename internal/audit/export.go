package audit

import (
	"context"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
)

// Export writes the audits of a fiscal year the actor reads as .xlsx: a sheet of the audits,
// and one of the findings with their corrective actions (those the actor reads), dates in ISO
// 8601 for spreadsheets.
func (s *Service) Export(ctx context.Context, who access.Actor, year int, lang i18n.Lang, w io.Writer) error {
	list, err := s.List(ctx, who, year)
	if err != nil {
		return err
	}
	t := func(k string, args ...any) string { return i18n.T(lang, k, args...) }
	f := excelize.NewFile()
	defer f.Close()
	sheet := t("audits.title")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return apperr.Wrap(err, "export")
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return apperr.Wrap(err, "export")
	}
	row := 1
	put := func(sw *excelize.StreamWriter, vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(sw, t("audits.field.fiscal_year"), t("audits.field.title"), t("audits.field.kind"), t("audits.field.departments"),
		t("audits.field.systems"), t("audits.field.criteria"), t("audits.field.period"), t("audits.field.team"), t("audits.field.state"),
		t("audits.field.items"), t("audits.field.open_findings"), t("audits.field.report_sha256")); err != nil {
		return apperr.Wrap(err, "export")
	}
	// The year's findings and their corrective actions in two queries, each kept when the
	// reader sees its department in its audit.
	day := today(s.now())
	sights := map[int64]sight{}
	for _, a := range list {
		sights[a.ID] = sightOf(who, a, day)
	}
	cond, args := "a.fiscal_year = $2", []any{year}
	if year == 0 {
		cond, args = "a.fiscal_year <> $2", []any{0}
	}
	all, err := s.findings(ctx, who.OrgID, cond, args...)
	if err != nil {
		return err
	}
	findings := all[:0]
	for _, fd := range all {
		if g, ok := sights[fd.AuditID]; ok && g.dept(fd.DepartmentID) {
			findings = append(findings, fd)
		}
	}
	if err := s.actions(ctx, who.OrgID, findings, day); err != nil {
		return err
	}
	for _, a := range list {
		team := make([]string, len(a.Team))
		for i, m := range a.Team {
			team[i] = m.Name
		}
		depts := make([]string, len(a.Departments))
		for i, d := range a.Departments {
			depts[i] = d.Name
		}
		if err := put(sw, a.FiscalYear, a.Title, t("audits.kind."+a.Kind), strings.Join(depts, "、"), strings.Join(a.Systems, "、"),
			strings.Join(a.Criteria, "、"), a.StartsOn+" – "+a.EndsOn, strings.Join(team, "、"), t("audits.state."+a.State),
			a.Items, a.OpenFindings, a.Report.SHA256); err != nil {
			return apperr.Wrap(err, "export")
		}
	}
	if err := sw.Flush(); err != nil {
		return apperr.Wrap(err, "export")
	}
	fs := t("audits.findings.title")
	if _, err := f.NewSheet(fs); err != nil {
		return apperr.Wrap(err, "export")
	}
	if sw, err = f.NewStreamWriter(fs); err != nil {
		return apperr.Wrap(err, "export")
	}
	row = 1
	if err := put(sw, t("audits.field.title"), t("audits.findings.title"), t("audits.field.department"), t("audits.field.article"),
		t("audits.field.grade"), t("audits.field.root_cause"), t("audits.field.state"), t("audits.actions.plan"), t("audits.actions.owner"),
		t("audits.actions.due_on"), t("audits.actions.state")); err != nil {
		return apperr.Wrap(err, "export")
	}
	for _, fd := range findings {
		base := []any{fd.AuditTitle, fd.Title, fd.DepartmentName, fd.Article, t("audits.result." + fd.Grade), fd.RootCause, t("audits.finding_state." + fd.State)}
		if len(fd.Actions) == 0 {
			if err := put(sw, base...); err != nil {
				return apperr.Wrap(err, "export")
			}
		}
		for _, c := range fd.Actions {
			state := t("audits.action_state." + c.State)
			if c.Overdue {
				state += "（" + t("audits.overdue") + "）"
			}
			if err := put(sw, append(base, c.Plan, c.OwnerName, c.DueOn, state)...); err != nil {
				return apperr.Wrap(err, "export")
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return apperr.Wrap(err, "export")
	}
	_, err = f.WriteTo(w)
	return wrap(err, "export")
}

// Candidate is a member of staff who may be named as an auditor or an owner.
type Candidate struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	DepartmentName string `json:"department_name"`
	External       bool   `json:"external"`
}

// Candidates lists the organisation's active staff for the forms of planning and corrective
// actions, by department and name.
func (s *Service) Candidates(ctx context.Context, who access.Actor) ([]Candidate, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(d.name, ''), s.employment FROM staff s LEFT JOIN departments d ON d.id = s.department_id
		WHERE s.org_id = $1 AND s.active ORDER BY d.sort_order, d.id, s.employee_no`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "staff")
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		var emp string
		if err := rows.Scan(&c.ID, &c.Name, &c.DepartmentName, &emp); err != nil {
			return nil, apperr.Wrap(err, "staff")
		}
		c.External = emp == "contractor"
		out = append(out, c)
	}
	return out, rows.Err()
}

// Departments lists the organisation's active departments for the forms.
func (s *Service) Departments(ctx context.Context, who access.Actor) ([]Named, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, name FROM departments WHERE org_id = $1 AND active ORDER BY sort_order, id`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	defer rows.Close()
	var out []Named
	for rows.Next() {
		var n Named
		if err := rows.Scan(&n.ID, &n.Name); err != nil {
			return nil, apperr.Wrap(err, "departments")
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
