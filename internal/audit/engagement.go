package audit

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// NewAudit is one audit's plan (監査実施計画): what it covers, against which articles, who
// audits and when.
type NewAudit struct {
	PlanID      int64    `json:"plan_id"`
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Objective   string   `json:"objective"`
	Criteria    []string `json:"criteria"`
	StartsOn    string   `json:"starts_on"`
	EndsOn      string   `json:"ends_on"`
	Departments []int64  `json:"departments"`
	Systems     []string `json:"systems"`
	// Auditors are the staff ids of the team; Lead is the one who leads it (the first when 0).
	Auditors []int64 `json:"auditors"`
	Lead     int64   `json:"lead"`
}

// Create plans an audit. A regular audit is planned by the chief auditor; a special audit is
// ordered by the CISO. Every auditor must be independent of what is audited (上毛町 9(1)②ア:
// 被監査部門から独立した者): one who works in, or holds a department role of, an audited
// department, or holds a role over an audited system, is refused by name with the reason.
func (s *Service) Create(ctx context.Context, who access.Actor, in NewAudit) (Detail, error) {
	if in.Kind == "" {
		in.Kind = KindRegular
	}
	var err error
	switch in.Kind {
	case KindSpecial:
		err = mayOrderSpecial(who)
	default:
		err = mayPlan(who)
	}
	if err != nil {
		return Detail{}, err
	}
	known, err := s.articles(ctx, who.OrgID)
	if err != nil {
		return Detail{}, err
	}
	var v apperr.Validation
	if in.Kind != KindRegular && in.Kind != KindSpecial {
		v.Add("kind", "error.choose")
	}
	text(&v, "title", &in.Title, maxTitle, true)
	text(&v, "objective", &in.Objective, maxText, false)
	day(&v, "starts_on", &in.StartsOn, true)
	day(&v, "ends_on", &in.EndsOn, true)
	if !v.Has("starts_on") && !v.Has("ends_on") && in.EndsOn < in.StartsOn {
		v.Add("ends_on", "audits.error.period")
	}
	criteria := cleanRefs(in.Criteria)
	if len(criteria) == 0 {
		v.Add("criteria", "audits.error.no_criteria")
	}
	for i := range criteria {
		checkArticle(&v, "criteria", &criteria[i], known)
	}
	in.Systems = cleanRefs(in.Systems)
	depts, derr := s.departments(ctx, who.OrgID, in.Departments)
	if derr != nil {
		v.Add("departments", "audits.error.department")
	}
	if len(in.Departments) == 0 && len(in.Systems) == 0 {
		v.Add("departments", "audits.error.no_scope")
	}
	if len(in.Auditors) == 0 {
		v.Add("auditors", "audits.error.no_auditor")
	}
	if in.PlanID != 0 {
		var n int
		if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM audit_plans WHERE id = $1 AND org_id = $2`, in.PlanID, who.OrgID).Scan(&n); err != nil {
			return Detail{}, apperr.Wrap(err, "audit plan")
		}
		if n == 0 {
			v.Add("plan_id", "audits.error.plan")
		}
	}
	if err := v.Err(); err != nil {
		return Detail{}, err
	}
	start, _ := time.ParseInLocation(time.DateOnly, in.StartsOn, jst)
	now := s.now()
	a := Audit{FiscalYear: FiscalYear(start), Kind: in.Kind, Title: in.Title, Objective: in.Objective, Criteria: criteria,
		StartsOn: in.StartsOn, EndsOn: in.EndsOn, State: StatePlanned, Departments: depts, Systems: in.Systems, PlanID: in.PlanID}
	if in.Lead == 0 {
		in.Lead = in.Auditors[0]
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var ordered any
		if in.Kind == KindSpecial {
			ordered = nullID(who.UserID)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO audits (org_id, plan_id, fiscal_year, kind, title, objective, criteria_json, starts_on,
			ends_on, state, ordered_by_user_id, created_by_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			RETURNING id`, who.OrgID, nullID(a.PlanID), a.FiscalYear, a.Kind, a.Title, a.Objective, jsonText(a.Criteria), a.StartsOn, a.EndsOn,
			a.State, ordered, nullID(who.UserID), now).Scan(&a.ID); err != nil {
			return apperr.Wrap(err, "audit")
		}
		for _, d := range depts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_departments (org_id, audit_id, department_id) VALUES ($1, $2, $3)`,
				who.OrgID, a.ID, d.ID); err != nil {
				return apperr.Wrap(err, "audit scope")
			}
		}
		for _, r := range a.Systems {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_systems (org_id, audit_id, system_ref) VALUES ($1, $2, $3)`,
				who.OrgID, a.ID, r); err != nil {
				return apperr.Wrap(err, "audit scope")
			}
		}
		for _, st := range in.Auditors {
			m, err := s.addAuditor(ctx, tx, who.OrgID, a, st, st == in.Lead, now)
			if err != nil {
				return err
			}
			a.Team = append(a.Team, m)
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.create", After: a})
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, who, a.ID)
}

// AddAuditor adds a member to the team of an audit not yet reported, independence checked.
func (s *Service) AddAuditor(ctx context.Context, who access.Actor, id, staffID int64) (Detail, error) {
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		a, err := s.load(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if !sightOf(who, a, today(s.now())).any() {
			return apperr.New(apperr.NotFound, "audits.error.not_found")
		}
		if err := mayStaff(who, a); err != nil {
			return err
		}
		if _, ok := member(access.Actor{StaffID: staffID}, a); ok {
			return apperr.InvalidField("staff_id", "audits.error.already_team")
		}
		now := s.now()
		m, err := s.addAuditor(ctx, tx, who.OrgID, a, staffID, false, now)
		if err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.auditor.add", After: m})
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, who, id)
}

// addAuditor checks one member's independence and adds them. A member whose employment is
// contractor (外部委託事業者 — not the organisation's staff) is an external auditor.
func (s *Service) addAuditor(ctx context.Context, tx *sql.Tx, orgID int64, a Audit, staffID int64, lead bool, now time.Time) (Auditor, error) {
	m := Auditor{StaffID: staffID, Lead: lead}
	var dept int64
	var employment string
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT s.name, COALESCE(s.department_id, 0), COALESCE(d.name, ''), s.employment, s.active FROM staff s
		LEFT JOIN departments d ON d.id = s.department_id WHERE s.id = $1 AND s.org_id = $2`, staffID, orgID).
		Scan(&m.Name, &dept, &m.DepartmentName, &employment, &active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return m, apperr.InvalidField("auditors", "audits.error.staff")
	}
	if err != nil {
		return m, apperr.Wrap(err, "auditor")
	}
	if err := independent(ctx, tx, orgID, a, m.Name, dept, staffID, today(now)); err != nil {
		return m, err
	}
	m.External = employment == "contractor"
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_auditors (org_id, audit_id, staff_id, lead, external, added_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		orgID, a.ID, staffID, lead, m.External, now); err != nil {
		if store.IsUniqueViolation(err) {
			return m, apperr.InvalidField("auditors", "audits.error.already_team")
		}
		return m, apperr.Wrap(err, "auditor")
	}
	return m, nil
}

// independent refuses an auditor who belongs to an audited department, holds a department
// role of one, or holds a role over an audited system (情報システム管理者 of it), naming the
// person and the reason.
func independent(ctx context.Context, q store.Querier, orgID int64, a Audit, name string, dept, staffID int64, day string) error {
	for _, d := range a.Departments {
		if d.ID == dept {
			return apperr.InvalidField("auditors", "audits.error.own_department", name, d.Name)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT scope, COALESCE(department_id, 0), system_ref FROM role_assignments
		WHERE org_id = $1 AND (holder_staff_id = $2 OR acting_staff_id = $2) AND (valid_to = '' OR valid_to >= $3)
		AND (valid_from = '' OR valid_from <= $3)`, orgID, staffID, day)
	if err != nil {
		return apperr.Wrap(err, "auditor roles")
	}
	defer rows.Close()
	for rows.Next() {
		var scope, ref string
		var d int64
		if err := rows.Scan(&scope, &d, &ref); err != nil {
			return apperr.Wrap(err, "auditor roles")
		}
		switch scope {
		case "department":
			for _, n := range a.Departments {
				if n.ID == d {
					return apperr.InvalidField("auditors", "audits.error.own_department", name, n.Name)
				}
			}
		case "system":
			for _, r := range a.Systems {
				if r == ref {
					return apperr.InvalidField("auditors", "audits.error.own_system", name, r)
				}
			}
		}
	}
	return rows.Err()
}
