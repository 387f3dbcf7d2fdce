package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// NewPlan is a multi-year plan or a fiscal year's plan as the chief auditor writes it.
type NewPlan struct {
	Kind        string   `json:"kind"`
	FromYear    int      `json:"from_year"`
	ToYear      int      `json:"to_year"`
	Title       string   `json:"title"`
	Aims        string   `json:"aims"`
	Timing      string   `json:"timing"`
	Departments []int64  `json:"departments"`
	Systems     []string `json:"systems"`
}

// CreatePlan records a plan: the multi-year plan spans from_year to to_year (at most ten
// years); a year's plan names its fiscal year, its aims, the departments and systems it audits
// and when.
func (s *Service) CreatePlan(ctx context.Context, who access.Actor, in NewPlan) (Plan, error) {
	if err := mayPlan(who); err != nil {
		return Plan{}, err
	}
	var v apperr.Validation
	switch in.Kind {
	case PlanAnnual:
		in.ToYear = in.FromYear
	case PlanMultiYear:
		if in.ToYear < in.FromYear || in.ToYear-in.FromYear > 9 {
			v.Add("to_year", "audits.error.years")
		}
	default:
		v.Add("kind", "error.choose")
	}
	if in.FromYear < 2000 || in.FromYear > 2100 {
		v.Add("from_year", "audits.error.year")
	}
	text(&v, "title", &in.Title, maxTitle, true)
	text(&v, "aims", &in.Aims, maxText, in.Kind == PlanAnnual)
	text(&v, "timing", &in.Timing, maxText, false)
	in.Systems = cleanRefs(in.Systems)
	depts, err := s.departments(ctx, who.OrgID, in.Departments)
	if err != nil {
		v.Add("departments", "audits.error.department")
	}
	if err := v.Err(); err != nil {
		return Plan{}, err
	}
	now := s.now()
	p := Plan{Kind: in.Kind, FromYear: in.FromYear, ToYear: in.ToYear, Title: in.Title, Aims: in.Aims, Timing: in.Timing,
		Departments: depts, Systems: in.Systems, CreatedAt: now}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_plans (org_id, kind, from_year, to_year, title, aims, timing, departments_json,
			systems_json, created_by_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			who.OrgID, p.Kind, p.FromYear, p.ToYear, p.Title, p.Aims, p.Timing, jsonText(ids(depts)), jsonText(p.Systems),
			nullID(who.UserID), now).Scan(&p.ID); err != nil {
			return apperr.Wrap(err, "audit plan")
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit_plan", EntityID: p.ID, Action: "audit_plan.create", After: p})
		return err
	})
	return p, err
}

// Plans returns the plans that cover a fiscal year (every plan for 0): the multi-year plans
// first. Every holder of an audit or organisation-wide security role reads them, and the
// audited departments their own lines; a plan names no finding, so others read them too.
func (s *Service) Plans(ctx context.Context, who access.Actor, year int) ([]Plan, error) {
	cond, args := "org_id = $1", []any{who.OrgID}
	if year != 0 {
		cond += " AND from_year <= $2 AND to_year >= $2"
		args = append(args, year)
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, kind, from_year, to_year, title, aims, timing, departments_json, systems_json, created_at
		FROM audit_plans WHERE `+cond+` ORDER BY CASE kind WHEN 'multi_year' THEN 0 ELSE 1 END, from_year, id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "audit plans")
	}
	var out []Plan
	var deptIDs [][]int64
	for rows.Next() {
		var p Plan
		var dj, sj string
		if err := rows.Scan(&p.ID, &p.Kind, &p.FromYear, &p.ToYear, &p.Title, &p.Aims, &p.Timing, &dj, &sj, &p.CreatedAt); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "audit plans")
		}
		var d []int64
		_ = json.Unmarshal([]byte(dj), &d)
		_ = json.Unmarshal([]byte(sj), &p.Systems)
		if p.Systems == nil {
			p.Systems = []string{}
		}
		out = append(out, p)
		deptIDs = append(deptIDs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "audit plans")
	}
	names, err := s.departmentNames(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Departments = []Named{}
		for _, d := range deptIDs[i] {
			out[i].Departments = append(out[i].Departments, Named{ID: d, Name: names[d]})
		}
	}
	if out == nil {
		out = []Plan{}
	}
	return out, nil
}

// departments checks that every id is an active department of the organisation and returns
// them with their names, in the order given, each once.
func (s *Service) departments(ctx context.Context, orgID int64, list []int64) ([]Named, error) {
	names, err := s.departmentNames(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := []Named{}
	for _, d := range list {
		n, ok := names[d]
		if !ok {
			return nil, apperr.New(apperr.Invalid, "audits.error.department")
		}
		if !slices.ContainsFunc(out, func(x Named) bool { return x.ID == d }) {
			out = append(out, Named{ID: d, Name: n})
		}
	}
	return out, nil
}

func (s *Service) departmentNames(ctx context.Context, orgID int64) (map[int64]string, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, name FROM departments WHERE org_id = $1 AND active`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, apperr.Wrap(err, "departments")
		}
		out[id] = n
	}
	return out, rows.Err()
}

func ids(list []Named) []int64 {
	out := make([]int64, len(list))
	for i, n := range list {
		out[i] = n.ID
	}
	return out
}

func cleanRefs(list []string) []string {
	out := []string{}
	for _, r := range list {
		r = strings.TrimSpace(r)
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// PlanOf returns one plan of the organisation with the audits planned under it that the actor
// reads, for its printed form.
func (s *Service) PlanOf(ctx context.Context, who access.Actor, id int64) (Plan, []Audit, error) {
	all, err := s.Plans(ctx, who, 0)
	if err != nil {
		return Plan{}, nil, err
	}
	for _, p := range all {
		if p.ID != id {
			continue
		}
		audits, err := s.List(ctx, who, 0)
		if err != nil {
			return p, nil, err
		}
		out := []Audit{}
		for _, a := range audits {
			if a.PlanID == id {
				out = append(out, a)
			}
		}
		return p, out, nil
	}
	return Plan{}, nil, apperr.New(apperr.NotFound, "audits.error.plan_not_found")
}
