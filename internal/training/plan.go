package training

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// CreatePlan makes the fiscal year's plan from the pack's courses and assigns everyone in each
// course's audience, in one transaction.
func (s *Service) CreatePlan(ctx context.Context, who access.Actor, fy int) (Plan, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Plan{}, err
	}
	if err := MayPlan(who, p.Pack); err != nil {
		return Plan{}, err
	}
	if cur := FiscalYear(s.now()); fy < cur-1 || fy > cur+1 {
		return Plan{}, apperr.InvalidField("fiscal_year", "training.error.year", cur-1, cur+1)
	}
	if len(p.Training.Courses) == 0 {
		return Plan{}, apperr.New(apperr.Conflict, "training.error.no_courses")
	}
	now := s.now()
	pl := Plan{OrgID: who.OrgID, FiscalYear: fy, PackID: p.ID, PackVersion: p.Version, CreatedAt: now, CreatedBy: who.Name}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO training_plans (org_id, fiscal_year, pack_id, pack_version, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, pl.OrgID, fy, pl.PackID, pl.PackVersion, now, pl.CreatedBy).Scan(&pl.ID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("fiscal_year", "training.error.plan_exists")
		}
		if err != nil {
			return wrap(err, "insert plan")
		}
		for i, c := range p.Training.Courses {
			_, err := tx.ExecContext(ctx, `INSERT INTO training_courses (org_id, plan_id, course_id, name, format, run_by, due_on,
				incident_plan, cite, quote, added, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				pl.OrgID, pl.ID, c.ID, c.Name, c.Format, c.RunBy, monthEnd(fy, c.DueMonth()), c.IncidentPlan, c.Cite.Article, c.Cite.Quote,
				c.Cite.Added(), i)
			if err != nil {
				return wrap(err, "insert course")
			}
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "training_plan", EntityID: pl.ID, Action: "training.plan", After: pl}); err != nil {
			return err
		}
		_, err = s.assignTx(ctx, tx, who, pl, p)
		return err
	})
	if err != nil {
		return Plan{}, err
	}
	return s.Plan(ctx, who, pl.ID)
}

// Assigned is what one run of assignment added to a plan.
type Assigned struct {
	OrgID      int64 `json:"org_id"`
	PlanID     int64 `json:"plan_id"`
	FiscalYear int   `json:"fiscal_year"`
	Created    int   `json:"created"`
}

// Assign adds to the plan everyone who has come into a course's audience since it was last
// assigned (new hires, transfers, new holders of a role); nobody is taken off.
func (s *Service) Assign(ctx context.Context, who access.Actor, planID int64) (Assigned, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Assigned{}, err
	}
	if err := MayPlan(who, p.Pack); err != nil {
		return Assigned{}, err
	}
	var out Assigned
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pl, err := planByID(ctx, tx, who.OrgID, planID)
		if err != nil {
			return err
		}
		out, err = s.assignTx(ctx, tx, who, pl, p)
		return err
	})
	return out, err
}

// AssignAll is the scheduled job: for every organisation with a plan for the current fiscal
// year, the new hires and transfers read from the staff records and moves are assigned their
// courses.
func (s *Service) AssignAll(ctx context.Context) ([]Assigned, error) {
	fy := FiscalYear(s.now())
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT p.org_id, p.id FROM training_plans p JOIN organizations o ON o.id = p.org_id
		WHERE p.fiscal_year = $1 AND o.pack_id <> '' ORDER BY p.org_id`, fy)
	if err != nil {
		return nil, wrap(err, "plans")
	}
	var ids [][2]int64
	for rows.Next() {
		var o, id int64
		if err := rows.Scan(&o, &id); err != nil {
			rows.Close()
			return nil, wrap(err, "plans")
		}
		ids = append(ids, [2]int64{o, id})
	}
	rows.Close()
	var out []Assigned
	for _, x := range ids {
		a, err := s.Assign(ctx, access.System(x[0], "training.assign"), x[1])
		if err != nil {
			return out, err
		}
		if a.Created > 0 {
			out = append(out, a)
		}
	}
	return out, nil
}

// assignBatch is how many assignments one INSERT carries.
const assignBatch = 400

func (s *Service) assignTx(ctx context.Context, tx *sql.Tx, who access.Actor, pl Plan, p *policy.Compiled) (Assigned, error) {
	now := s.now()
	out := Assigned{OrgID: pl.OrgID, PlanID: pl.ID, FiscalYear: pl.FiscalYear}
	day := s.today()
	if start, _ := yearBounds(pl.FiscalYear); day < start {
		day = start
	}
	scopes := map[string]string{}
	for _, r := range p.Roles {
		scopes[r.ID] = r.Scope
	}
	ps, err := people(ctx, tx, pl.OrgID, pl.FiscalYear, day, scopes)
	if err != nil {
		return out, err
	}
	have := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT course_id, staff_id FROM training_assignments WHERE plan_id = $1`, pl.ID)
	if err != nil {
		return out, wrap(err, "read assignments")
	}
	for rows.Next() {
		var c string
		var id int64
		if err := rows.Scan(&c, &id); err != nil {
			rows.Close()
			return out, wrap(err, "read assignments")
		}
		have[fmt.Sprint(c, "/", id)] = true
	}
	rows.Close()
	courses, err := planCourses(ctx, tx, pl.ID)
	if err != nil {
		return out, err
	}
	var vals []string
	var args []any
	flush := func() error {
		if len(vals) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO training_assignments (org_id, plan_id, course_id, staff_id, reason, due_on, assigned_at)
			VALUES `+strings.Join(vals, ", "), args...)
		vals, args = vals[:0], args[:0]
		return wrap(err, "insert assignments")
	}
	for _, pc := range courses {
		c, ok := p.Course(pc.ID)
		if !ok {
			continue // a course the pack no longer has keeps whom it had
		}
		for _, per := range ps {
			if have[fmt.Sprint(c.ID, "/", per.id)] {
				continue
			}
			reason, due, ok := assign(c, pl.FiscalYear, per)
			if !ok {
				continue
			}
			n := len(args)
			vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7))
			args = append(args, pl.OrgID, pl.ID, c.ID, per.id, reason, due, now)
			out.Created++
			if len(vals) == assignBatch {
				if err := flush(); err != nil {
					return out, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return out, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE training_plans SET assigned_at = $1 WHERE id = $2`, now, pl.ID); err != nil {
		return out, wrap(err, "plan assigned")
	}
	if out.Created == 0 {
		return out, nil
	}
	_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "training_plan", EntityID: pl.ID, Action: "training.assign", After: out})
	return out, err
}

const planColumns = `id, org_id, fiscal_year, pack_id, pack_version, created_at, created_by, assigned_at`

func scanPlan(row interface{ Scan(...any) error }) (Plan, error) {
	var pl Plan
	var at sql.NullTime
	if err := row.Scan(&pl.ID, &pl.OrgID, &pl.FiscalYear, &pl.PackID, &pl.PackVersion, &pl.CreatedAt, &pl.CreatedBy, &at); err != nil {
		return pl, err
	}
	pl.CreatedAt = pl.CreatedAt.UTC()
	if at.Valid {
		t := at.Time.UTC()
		pl.AssignedAt = &t
	}
	return pl, nil
}

func planByID(ctx context.Context, q store.Querier, orgID, id int64) (Plan, error) {
	pl, err := scanPlan(q.QueryRowContext(ctx, `SELECT `+planColumns+` FROM training_plans WHERE org_id = $1 AND id = $2`, orgID, id))
	if err == sql.ErrNoRows {
		return pl, apperr.New(apperr.NotFound, "training.error.plan_missing")
	}
	return pl, wrap(err, "read plan")
}

func planCourses(ctx context.Context, q store.Querier, planID int64) ([]Course, error) {
	rows, err := q.QueryContext(ctx, `SELECT course_id, name, format, run_by, due_on, incident_plan, cite, quote, added
		FROM training_courses WHERE plan_id = $1 ORDER BY sort_order, id`, planID)
	if err != nil {
		return nil, wrap(err, "read courses")
	}
	defer rows.Close()
	var out []Course
	for rows.Next() {
		var c Course
		if err := rows.Scan(&c.ID, &c.Name, &c.Format, &c.RunBy, &c.DueOn, &c.IncidentPlan, &c.Cite, &c.Quote, &c.Added); err != nil {
			return nil, wrap(err, "read courses")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "read courses")
}

// Plans lists the organisation's plans, newest year first.
func (s *Service) Plans(ctx context.Context, who access.Actor) ([]Plan, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+planColumns+` FROM training_plans WHERE org_id = $1 ORDER BY fiscal_year DESC`, who.OrgID)
	if err != nil {
		return nil, wrap(err, "list plans")
	}
	defer rows.Close()
	out := []Plan{}
	for rows.Next() {
		pl, err := scanPlan(rows)
		if err != nil {
			return nil, wrap(err, "list plans")
		}
		out = append(out, pl)
	}
	return out, wrap(rows.Err(), "list plans")
}

// PlanFor returns the plan of a fiscal year, NotFound when none is made.
func (s *Service) PlanFor(ctx context.Context, who access.Actor, fy int) (Plan, error) {
	var id int64
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT id FROM training_plans WHERE org_id = $1 AND fiscal_year = $2`, who.OrgID, fy).Scan(&id)
	if err == sql.ErrNoRows {
		return Plan{}, apperr.New(apperr.NotFound, "training.error.plan_missing")
	}
	if err != nil {
		return Plan{}, wrap(err, "read plan")
	}
	return s.Plan(ctx, who, id)
}

// Plan returns a plan with its courses, each counted over the assignments the actor reads.
func (s *Service) Plan(ctx context.Context, who access.Actor, id int64) (Plan, error) {
	pl, err := planByID(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return pl, err
	}
	if pl.Courses, err = planCourses(ctx, s.DB.SQL, pl.ID); err != nil {
		return pl, err
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return pl, err
	}
	var pk *policy.Pack
	if p != nil {
		pk = p.Pack
		for i := range pl.Courses {
			pl.Courses[i].RunByName = p.RoleName(pl.Courses[i].RunBy)
		}
	}
	w, args := ReachOf(who, pk).where(3)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT a.course_id, count(*),
		SUM(CASE WHEN a.completed_on <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN a.completed_on = '' AND a.due_on < $2 THEN 1 ELSE 0 END)
		FROM training_assignments a JOIN staff st ON st.id = a.staff_id
		WHERE a.plan_id = $1 AND `+w+` GROUP BY a.course_id`, append([]any{pl.ID, s.today()}, args...)...)
	if err != nil {
		return pl, wrap(err, "count assignments")
	}
	defer rows.Close()
	counts := map[string][3]int{}
	for rows.Next() {
		var c string
		var n [3]int
		if err := rows.Scan(&c, &n[0], &n[1], &n[2]); err != nil {
			return pl, wrap(err, "count assignments")
		}
		counts[c] = n
	}
	for i := range pl.Courses {
		n := counts[pl.Courses[i].ID]
		pl.Courses[i].Assigned, pl.Courses[i].Completed, pl.Courses[i].Overdue = n[0], n[1], n[2]
	}
	return pl, wrap(rows.Err(), "count assignments")
}

// courseOf finds a course of the plan by id; a course the plan lacks is an error naming the
// field.
func courseOf(pl Plan, p *policy.Compiled, field, id string) (policy.Course, error) {
	for _, c := range pl.Courses {
		if c.ID == id {
			if pc, ok := p.Course(id); ok {
				return pc, nil
			}
			return policy.Course{ID: c.ID, Name: c.Name, Format: c.Format, RunBy: c.RunBy}, nil
		}
	}
	return policy.Course{}, apperr.InvalidField(field, "training.error.course_unknown", id)
}
