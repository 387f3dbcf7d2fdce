package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

const auditColumns = `a.id, COALESCE(a.plan_id, 0), a.fiscal_year, a.kind, a.title, a.objective, a.criteria_json, a.starts_on, a.ends_on,
	a.state, a.created_at, a.report_intro, a.report_summary, a.report_opinion, a.report_remarks, a.report_sha256, a.issued_at`

func scanAudit(row interface{ Scan(...any) error }) (Audit, error) {
	var a Audit
	var criteria string
	var issued sql.NullTime
	err := row.Scan(&a.ID, &a.PlanID, &a.FiscalYear, &a.Kind, &a.Title, &a.Objective, &criteria, &a.StartsOn, &a.EndsOn,
		&a.State, &a.CreatedAt, &a.Report.Intro, &a.Report.Summary, &a.Report.Opinion, &a.Report.Remarks, &a.Report.SHA256, &issued)
	if err != nil {
		return a, err
	}
	_ = json.Unmarshal([]byte(criteria), &a.Criteria)
	if a.Criteria == nil {
		a.Criteria = []string{}
	}
	if issued.Valid {
		t := issued.Time
		a.Report.IssuedAt = &t
	}
	a.Departments, a.Systems, a.Team = []Named{}, []string{}, []Auditor{}
	return a, nil
}

// load reads one audit with its scope and team, not yet screened.
func (s *Service) load(ctx context.Context, q store.Querier, orgID, id int64) (Audit, error) {
	a, err := scanAudit(q.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM audits a WHERE a.id = $1 AND a.org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.New(apperr.NotFound, "audits.error.not_found")
	}
	if err != nil {
		return a, apperr.Wrap(err, "audit")
	}
	list := []*Audit{&a}
	return a, s.fill(ctx, q, orgID, list)
}

// fill reads the scope, team and counts of the audits in a few queries.
func (s *Service) fill(ctx context.Context, q store.Querier, orgID int64, list []*Audit) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*Audit, len(list))
	ids := make([]string, len(list))
	for i, a := range list {
		byID[a.ID] = a
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	in := "(" + strings.Join(ids, ",") + ")"
	each := func(query string, scan func(*sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, query, orgID)
		if err != nil {
			return apperr.Wrap(err, "audit scope")
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return apperr.Wrap(err, "audit scope")
			}
		}
		return rows.Err()
	}
	err := each(`SELECT ad.audit_id, d.id, d.name FROM audit_departments ad JOIN departments d ON d.id = ad.department_id
		WHERE ad.org_id = $1 AND ad.audit_id IN `+in+` ORDER BY ad.audit_id, d.sort_order, d.id`, func(r *sql.Rows) error {
		var id int64
		var n Named
		if err := r.Scan(&id, &n.ID, &n.Name); err != nil {
			return err
		}
		byID[id].Departments = append(byID[id].Departments, n)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(`SELECT audit_id, system_ref FROM audit_systems WHERE org_id = $1 AND audit_id IN `+in+` ORDER BY audit_id, system_ref`,
		func(r *sql.Rows) error {
			var id int64
			var ref string
			if err := r.Scan(&id, &ref); err != nil {
				return err
			}
			byID[id].Systems = append(byID[id].Systems, ref)
			return nil
		})
	if err != nil {
		return err
	}
	err = each(`SELECT t.audit_id, t.staff_id, s.name, COALESCE(d.name, ''), t.lead, t.external FROM audit_auditors t
		JOIN staff s ON s.id = t.staff_id LEFT JOIN departments d ON d.id = s.department_id
		WHERE t.org_id = $1 AND t.audit_id IN `+in+` ORDER BY t.audit_id, t.lead DESC, t.added_at, t.staff_id`, func(r *sql.Rows) error {
		var id int64
		var m Auditor
		if err := r.Scan(&id, &m.StaffID, &m.Name, &m.DepartmentName, &m.Lead, &m.External); err != nil {
			return err
		}
		byID[id].Team = append(byID[id].Team, m)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(`SELECT audit_id, count(*) FROM audit_items WHERE org_id = $1 AND audit_id IN `+in+` GROUP BY audit_id`, func(r *sql.Rows) error {
		var id int64
		var n int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		byID[id].Items = n
		return nil
	})
	if err != nil {
		return err
	}
	return each(`SELECT audit_id, state, count(*) FROM audit_findings WHERE org_id = $1 AND audit_id IN `+in+` GROUP BY audit_id, state`,
		func(r *sql.Rows) error {
			var id int64
			var st string
			var n int
			if err := r.Scan(&id, &st, &n); err != nil {
				return err
			}
			byID[id].TotalFindings += n
			if st == FindingOpen {
				byID[id].OpenFindings += n
			}
			return nil
		})
}

// List returns the audits of a fiscal year (every year for 0) that the actor reads, by start.
func (s *Service) List(ctx context.Context, who access.Actor, year int) ([]Audit, error) {
	cond, args := "a.org_id = $1", []any{who.OrgID}
	if year != 0 {
		cond += " AND a.fiscal_year = $2"
		args = append(args, year)
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+auditColumns+` FROM audits a WHERE `+cond+` ORDER BY a.starts_on, a.id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "audits")
	}
	var all []*Audit
	for rows.Next() {
		a, err := scanAudit(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "audits")
		}
		all = append(all, &a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "audits")
	}
	if err := s.fill(ctx, s.DB.SQL, who.OrgID, all); err != nil {
		return nil, err
	}
	day := today(s.now())
	out := []Audit{}
	for _, a := range all {
		g := sightOf(who, *a, day)
		if !g.any() {
			continue
		}
		if !g.all && a.Report.IssuedAt == nil {
			a.Report = Report{} // a draft is the auditors' own
		}
		out = append(out, *a)
	}
	return out, nil
}

// Get returns one audit as the actor sees it, with its items, findings and corrective actions
// and what the actor may do on it; NotFound beyond the actor's sight.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Detail, error) {
	a, err := s.load(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Detail{}, err
	}
	day := today(s.now())
	g := sightOf(who, a, day)
	if !g.any() {
		return Detail{}, apperr.New(apperr.NotFound, "audits.error.not_found")
	}
	d := Detail{Audit: a, Partial: !g.all, Items: []Item{}, Findings: []Finding{}}
	if g.all {
		if d.Items, err = s.items(ctx, who.OrgID, id); err != nil {
			return d, err
		}
	}
	if d.Findings, err = s.findings(ctx, who.OrgID, "f.audit_id = $2", id); err != nil {
		return d, err
	}
	kept := d.Findings[:0]
	for _, f := range d.Findings {
		if g.dept(f.DepartmentID) {
			kept = append(kept, f)
		}
	}
	d.Findings = kept
	if err := s.actions(ctx, who.OrgID, d.Findings, day); err != nil {
		return d, err
	}
	if !g.all && d.Report.IssuedAt == nil {
		d.Report = Report{} // a draft is the auditors' own
	}
	d.Acts = actsOf(who, d, day)
	return d, nil
}

func (s *Service) items(ctx context.Context, orgID, auditID int64) ([]Item, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT i.id, i.audit_id, COALESCE(i.department_id, 0), COALESCE(d.name, ''), i.title, i.article,
		i.method, i.result, i.note, i.recorded_at FROM audit_items i LEFT JOIN departments d ON d.id = i.department_id
		WHERE i.org_id = $1 AND i.audit_id = $2 ORDER BY i.id`, orgID, auditID)
	if err != nil {
		return nil, apperr.Wrap(err, "audit items")
	}
	out := []Item{}
	byID := map[int64]int{}
	for rows.Next() {
		var it Item
		var at sql.NullTime
		if err := rows.Scan(&it.ID, &it.AuditID, &it.DepartmentID, &it.DepartmentName, &it.Title, &it.Article, &it.Method, &it.Result,
			&it.Note, &at); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "audit items")
		}
		if at.Valid {
			t := at.Time
			it.RecordedAt = &t
		}
		it.Evidence = []Evidence{}
		byID[it.ID] = len(out)
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "audit items")
	}
	ev, err := s.evidence(ctx, orgID, "audit_id = $2 AND item_id IS NOT NULL", auditID)
	if err != nil {
		return nil, err
	}
	for _, e := range ev {
		if i, ok := byID[e.ItemID]; ok {
			out[i].Evidence = append(out[i].Evidence, e)
		}
	}
	return out, nil
}

func (s *Service) evidence(ctx context.Context, orgID int64, cond string, args ...any) ([]Evidence, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, COALESCE(item_id, 0), COALESCE(action_id, 0), name, content_type, size, sha256, added_at
		FROM audit_evidence WHERE org_id = $1 AND `+cond+` ORDER BY id`, append([]any{orgID}, args...)...)
	if err != nil {
		return nil, apperr.Wrap(err, "audit evidence")
	}
	defer rows.Close()
	var out []Evidence
	for rows.Next() {
		var e Evidence
		if err := rows.Scan(&e.ID, &e.ItemID, &e.ActionID, &e.Name, &e.ContentType, &e.Size, &e.SHA256, &e.AddedAt); err != nil {
			return nil, apperr.Wrap(err, "audit evidence")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const findingSelect = `SELECT f.id, f.audit_id, a.title, f.item_id, COALESCE(f.department_id, 0), COALESCE(d.name, ''), f.grade, f.article,
	f.title, f.detail, f.root_cause, f.state, f.created_at, f.closed_at
	FROM audit_findings f JOIN audits a ON a.id = f.audit_id LEFT JOIN departments d ON d.id = f.department_id `

func (s *Service) findings(ctx context.Context, orgID int64, cond string, args ...any) ([]Finding, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, findingSelect+`WHERE f.org_id = $1 AND `+cond+` ORDER BY f.id`, append([]any{orgID}, args...)...)
	if err != nil {
		return nil, apperr.Wrap(err, "audit findings")
	}
	defer rows.Close()
	out := []Finding{}
	for rows.Next() {
		var f Finding
		var closed sql.NullTime
		if err := rows.Scan(&f.ID, &f.AuditID, &f.AuditTitle, &f.ItemID, &f.DepartmentID, &f.DepartmentName, &f.Grade, &f.Article, &f.Title,
			&f.Detail, &f.RootCause, &f.State, &f.CreatedAt, &closed); err != nil {
			return nil, apperr.Wrap(err, "audit findings")
		}
		if closed.Valid {
			t := closed.Time
			f.ClosedAt = &t
		}
		f.Actions = []Action{}
		out = append(out, f)
	}
	return out, rows.Err()
}

const actionSelect = `SELECT c.id, c.audit_id, c.finding_id, f.title, f.article, COALESCE(c.department_id, 0), c.plan, c.owner_staff_id, s.name,
	c.due_on, c.state, c.done_note, c.done_at, c.check_note, c.follow_up, c.checked_at
	FROM audit_actions c JOIN audit_findings f ON f.id = c.finding_id JOIN staff s ON s.id = c.owner_staff_id `

func scanAction(rows *sql.Rows, day string) (Action, error) {
	var c Action
	var done, checked sql.NullTime
	if err := rows.Scan(&c.ID, &c.AuditID, &c.FindingID, &c.FindingTitle, &c.Article, &c.DepartmentID, &c.Plan, &c.OwnerStaffID, &c.OwnerName,
		&c.DueOn, &c.State, &c.DoneNote, &done, &c.CheckNote, &c.FollowUp, &checked); err != nil {
		return c, apperr.Wrap(err, "corrective actions")
	}
	if done.Valid {
		t := done.Time
		c.DoneAt = &t
	}
	if checked.Valid {
		t := checked.Time
		c.CheckedAt = &t
	}
	c.Overdue = (c.State == ActionPlanned || c.State == ActionIneffective) && c.DueOn < day
	c.Evidence = []Evidence{}
	return c, nil
}

// actions fills the findings' corrective actions and their evidence.
func (s *Service) actions(ctx context.Context, orgID int64, fs []Finding, day string) error {
	if len(fs) == 0 {
		return nil
	}
	byFinding := map[int64]int{}
	ids := make([]string, len(fs))
	for i, f := range fs {
		byFinding[f.ID] = i
		ids[i] = strconv.FormatInt(f.ID, 10)
	}
	rows, err := s.DB.SQL.QueryContext(ctx, actionSelect+`WHERE c.org_id = $1 AND c.finding_id IN (`+strings.Join(ids, ",")+`) ORDER BY c.id`, orgID)
	if err != nil {
		return apperr.Wrap(err, "corrective actions")
	}
	var acts []Action
	for rows.Next() {
		c, err := scanAction(rows, day)
		if err != nil {
			rows.Close()
			return err
		}
		acts = append(acts, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return apperr.Wrap(err, "corrective actions")
	}
	if len(acts) == 0 {
		return nil
	}
	aids := make([]string, len(acts))
	byAction := map[int64]int{}
	for i, c := range acts {
		aids[i] = strconv.FormatInt(c.ID, 10)
		byAction[c.ID] = i
	}
	ev, err := s.evidence(ctx, orgID, "action_id IN ("+strings.Join(aids, ",")+")")
	if err != nil {
		return err
	}
	for _, e := range ev {
		c := &acts[byAction[e.ActionID]]
		c.Evidence = append(c.Evidence, e)
	}
	for i := range acts {
		f := &fs[byFinding[acts[i].FindingID]]
		f.Actions = append(f.Actions, acts[i])
	}
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
