package task

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// Generated is what one run of Generate made for an organisation.
type Generated struct {
	OrgID      int64 `json:"org_id"`
	FiscalYear int   `json:"fiscal_year"`
	Created    int   `json:"created"`
}

// scopeOf is one place a role is held: the organisation, a department or a system.
type scopeOf struct {
	key    string
	dept   int64
	system string
}

// GenerateAll makes, for every organisation bound to a pack, the tasks of the current fiscal
// year that do not exist yet. It is the scheduled job: a new department or system where a
// role is held gets its tasks at the next run.
func (s *Service) GenerateAll(ctx context.Context) ([]Generated, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id FROM organizations WHERE pack_id <> '' ORDER BY id`)
	if err != nil {
		return nil, apperr.Wrap(err, "organizations")
	}
	var orgs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "organizations")
		}
		orgs = append(orgs, id)
	}
	rows.Close()
	var out []Generated
	for _, id := range orgs {
		g, err := s.Generate(ctx, id, FiscalYear(s.now()))
		if err != nil {
			return out, err
		}
		if g.Created > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// GenerateOrg makes the current fiscal year's tasks of one organisation: run when its pack is
// bound.
func (s *Service) GenerateOrg(ctx context.Context, orgID int64) error {
	_, err := s.Generate(ctx, orgID, FiscalYear(s.now()))
	return err
}

// Generate makes the tasks of fiscal year fy from the organisation's pack: each period of each
// recurring duty, once per scope where its role is held. Tasks that exist are left as they are,
// so it may run any number of times.
func (s *Service) Generate(ctx context.Context, orgID int64, fy int) (Generated, error) {
	p, err := s.pack(ctx, orgID)
	if err != nil {
		return Generated{OrgID: orgID, FiscalYear: fy}, err
	}
	return s.GenerateFrom(ctx, orgID, p.Pack, fy)
}

// GenerateFrom makes the tasks of fiscal year fy from the recurring duties of pack p.
func (s *Service) GenerateFrom(ctx context.Context, orgID int64, p *policy.Pack, fy int) (Generated, error) {
	g := Generated{OrgID: orgID, FiscalYear: fy}
	duties := p.RecurringDuties()
	if len(duties) == 0 {
		return g, nil
	}
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		have, err := existing(ctx, tx, orgID, fy)
		if err != nil {
			return err
		}
		scopes := map[string][]scopeOf{}
		insert, err := tx.PrepareContext(ctx, `INSERT INTO tasks (org_id, duty_id, role_id, scope, scope_key, department_id,
			system_ref, every, fiscal_year, period_start, due_on, text, cite, evidence, logbook, checklist_json, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'open', $17)
			ON CONFLICT (org_id, duty_id, scope_key, period_start) DO NOTHING`)
		if err != nil {
			return apperr.Wrap(err, "prepare tasks")
		}
		defer insert.Close()
		for _, d := range duties {
			role, ok := p.Role(d.Role)
			if !ok {
				continue
			}
			list, ok := scopes[role.ID]
			if !ok {
				if list, err = scopesOf(ctx, tx, orgID, role, fy); err != nil {
					return err
				}
				scopes[role.ID] = list
			}
			checklist, _ := json.Marshal(d.Checklist)
			if d.Checklist == nil {
				checklist = []byte("[]")
			}
			evidence := d.Evidence
			if evidence == "" {
				evidence = policy.EvidenceNote
			}
			for _, sc := range list {
				for _, per := range Periods(d.Duty, fy) {
					if have[d.ID+"|"+sc.key+"|"+per.Start] {
						continue
					}
					var dept any
					if sc.dept != 0 {
						dept = sc.dept
					}
					res, err := insert.ExecContext(ctx, orgID, d.ID, role.ID, role.Scope, sc.key, dept, sc.system, d.Every, fy,
						per.Start, per.Due, d.Text, d.Cite.Article, evidence, d.Logbook, string(checklist), now)
					if err != nil {
						return apperr.Wrap(err, "insert task")
					}
					if n, _ := res.RowsAffected(); n > 0 {
						g.Created++
					}
				}
			}
		}
		if g.Created == 0 {
			return nil
		}
		_, err = auditlog.Append(ctx, tx, access.System(orgID, "system"), now, auditlog.Event{Entity: "task_generation",
			EntityID: strconv.Itoa(fy), Action: "task.generate", After: g})
		return err
	})
	return g, err
}

// existing are the keys (duty|scope|period) of the year's tasks already made.
func existing(ctx context.Context, tx *sql.Tx, orgID int64, fy int) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT duty_id, scope_key, period_start FROM tasks WHERE org_id = $1 AND fiscal_year = $2`, orgID, fy)
	if err != nil {
		return nil, apperr.Wrap(err, "tasks")
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d, k, p string
		if err := rows.Scan(&d, &k, &p); err != nil {
			return nil, apperr.Wrap(err, "tasks")
		}
		out[d+"|"+k+"|"+p] = true
	}
	return out, rows.Err()
}

// scopesOf are the places role is held during fiscal year fy: the organisation for an
// organisation-wide role; for a department or system role, each active department or each
// system where someone is assigned it for some part of the year.
func scopesOf(ctx context.Context, tx *sql.Tx, orgID int64, role policy.Role, fy int) ([]scopeOf, error) {
	first, last := fmtDay(day(fy, 4, 1)), fmtDay(day(fy+1, 3, 31))
	var q string
	switch role.Scope {
	case "department":
		q = `SELECT DISTINCT r.department_id, '' FROM role_assignments r JOIN departments d ON d.id = r.department_id AND d.active
			WHERE r.org_id = $1 AND r.role_id = $2 AND r.scope = 'department'
			AND (r.valid_from = '' OR r.valid_from <= $4) AND (r.valid_to = '' OR r.valid_to >= $3) ORDER BY r.department_id`
	case "system":
		q = `SELECT DISTINCT 0, r.system_ref FROM role_assignments r
			WHERE r.org_id = $1 AND r.role_id = $2 AND r.scope = 'system' AND r.system_ref <> ''
			AND (r.valid_from = '' OR r.valid_from <= $4) AND (r.valid_to = '' OR r.valid_to >= $3) ORDER BY r.system_ref`
	default:
		return []scopeOf{{}}, nil
	}
	rows, err := tx.QueryContext(ctx, q, orgID, role.ID, first, last)
	if err != nil {
		return nil, apperr.Wrap(err, "role scopes")
	}
	defer rows.Close()
	var out []scopeOf
	for rows.Next() {
		var sc scopeOf
		if err := rows.Scan(&sc.dept, &sc.system); err != nil {
			return nil, apperr.Wrap(err, "role scopes")
		}
		sc.key = scopeKey(sc.dept, sc.system)
		out = append(out, sc)
	}
	return out, rows.Err()
}

func scopeKey(dept int64, system string) string {
	switch {
	case dept != 0:
		return "d:" + strconv.FormatInt(dept, 10)
	case system != "":
		return "s:" + system
	}
	return ""
}
