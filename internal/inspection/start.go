package inspection

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// NewCampaign is what starting a campaign takes.
type NewCampaign struct {
	FiscalYear int    `json:"fiscal_year"`
	Title      string `json:"title"`
	OpensOn    string `json:"opens_on"` // YYYY-MM-DD; today when empty
	Deadline   string `json:"deadline"` // YYYY-MM-DD, the last day answers are taken
	// DepartmentIDs are the departments it goes to; empty for all: every active department where
	// someone holds an answering role today.
	DepartmentIDs []int64 `json:"department_ids"`
}

// FiscalYearOf is the fiscal year (年度, from April) a time falls in, in Japan.
func FiscalYearOf(t time.Time) int {
	d := t.In(i18n.Tokyo)
	if d.Month() < time.April {
		return d.Year() - 1
	}
	return d.Year()
}

func (in *NewCampaign) validate(today string) error {
	v := &apperr.Validation{}
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		v.Add("title", "error.required")
	} else if utf8.RuneCountInString(in.Title) > 200 {
		v.Add("title", "error.too_long", 200)
	}
	if in.FiscalYear < 2000 || in.FiscalYear > 2100 {
		v.Add("fiscal_year", "inspection.error.fiscal_year")
	}
	if in.OpensOn == "" {
		in.OpensOn = today
	}
	if _, err := time.Parse(time.DateOnly, in.OpensOn); err != nil {
		v.Add("opens_on", "error.date")
	}
	if in.Deadline == "" {
		v.Add("deadline", "error.required")
	} else if _, err := time.Parse(time.DateOnly, in.Deadline); err != nil {
		v.Add("deadline", "error.date")
	} else if in.Deadline < in.OpensOn || in.Deadline < today {
		v.Add("deadline", "inspection.error.deadline_before")
	}
	return v.Err()
}

// Start opens a campaign: the pack's checklist is frozen onto it as it stands, and a sheet is
// made for each department it goes to and for each role whose items are answered by the role.
func (s *Service) Start(ctx context.Context, who access.Actor, in NewCampaign) (Campaign, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Campaign{}, err
	}
	if err := MayStart(p, who); err != nil {
		return Campaign{}, err
	}
	now := s.now()
	if err := in.validate(jstDay(now)); err != nil {
		return Campaign{}, err
	}
	list := checklist(p)
	if len(list) == 0 {
		return Campaign{}, apperr.New(apperr.Invalid, "inspection.error.no_checklist")
	}
	c := Campaign{FiscalYear: in.FiscalYear, Title: in.Title, PackID: p.ID, PackVersion: p.Version, OpensOn: in.OpensOn,
		Deadline: in.Deadline, State: CampaignOpen, CreatedBy: who.Login, CreatedAt: now, Items: len(list)}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		depts, err := s.departments(ctx, tx, p, who.OrgID, in.DepartmentIDs, jstDay(now))
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO inspection_campaigns (org_id, fiscal_year, title, pack_id, pack_version,
			opens_on, deadline, state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			who.OrgID, c.FiscalYear, c.Title, c.PackID, c.PackVersion, c.OpensOn, c.Deadline, c.State, c.CreatedBy, now).Scan(&c.ID); err != nil {
			return apperr.Wrap(err, "insert campaign")
		}
		if err := insertItems(ctx, tx, who.OrgID, c.ID, list); err != nil {
			return err
		}
		var roles []string
		hasDept := false
		for _, it := range list {
			if it.Target == TargetRole && !slices.Contains(roles, it.RoleID) {
				roles = append(roles, it.RoleID)
			}
			hasDept = hasDept || it.Target == TargetDepartment
		}
		if !hasDept {
			depts = nil
		}
		if err := insertSheets(ctx, tx, who.OrgID, c.ID, in.Deadline, now, depts, roles); err != nil {
			return err
		}
		c.Sheets = len(depts) + len(roles)
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "inspection_campaign", EntityID: c.ID, Action: "inspection.start",
			After: map[string]any{"campaign": c, "departments": depts, "roles": roles}})
		return err
	})
	return c, err
}

// checklist is the pack's checklist as a campaign freezes it.
func checklist(p *policy.Compiled) []Item {
	out := make([]Item, 0, len(p.Inspections))
	for i, x := range p.Inspections {
		it := Item{Seq: i + 1, Key: x.ID, Question: x.Question, RoleID: x.Role, Target: targetOf(p, x.Role),
			Article: x.Cite.Article, Quote: x.Cite.Quote, Chapter: Chapter(x.Cite.Article)}
		if r, ok := p.Role(x.Role); ok {
			it.RoleName = r.Name
		}
		out = append(out, it)
	}
	return out
}

// departments are the departments a campaign goes to: those chosen, each active and of the
// organisation; or, when none is chosen, every active department where an answering role is held
// on day.
func (s *Service) departments(ctx context.Context, q store.Querier, p *policy.Compiled, orgID int64, chosen []int64, day string) ([]int64, error) {
	if len(chosen) > 0 {
		var out []int64
		for i, id := range chosen {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE org_id = $1 AND id = $2 AND active`, orgID, id).Scan(&n); err != nil {
				return nil, apperr.Wrap(err, "department")
			}
			if n == 0 {
				return nil, apperr.InvalidField("department_ids", "inspection.error.department", i+1)
			}
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out, nil
	}
	roles := answeringRoles(p)
	if len(roles) == 0 {
		return nil, nil
	}
	args := []any{orgID, day}
	var in []string
	for _, r := range roles {
		args = append(args, r)
		in = append(in, "$"+strconv.Itoa(len(args)))
	}
	rows, err := q.QueryContext(ctx, `SELECT d.id FROM departments d WHERE d.org_id = $1 AND d.active AND EXISTS (
		SELECT 1 FROM role_assignments r WHERE r.org_id = d.org_id AND r.department_id = d.id AND r.role_id IN (`+strings.Join(in, ", ")+`)
		  AND (r.valid_from = '' OR r.valid_from <= $2) AND (r.valid_to = '' OR r.valid_to >= $2))
		ORDER BY d.sort_order, d.code`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, apperr.Wrap(err, "departments")
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, apperr.InvalidField("department_ids", "inspection.error.no_departments")
	}
	return out, nil
}

// insertRows inserts rows into table in statements of at most 100 rows each: a campaign to
// hundreds of departments opens in a few statements rather than one round trip a row.
func insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), 100)
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, n*len(cols))
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				b.WriteString("$" + strconv.Itoa(len(args)))
			}
			b.WriteString(")")
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return apperr.Wrap(err, "insert "+table)
		}
		rows = rows[n:]
	}
	return nil
}

func insertItems(ctx context.Context, tx *sql.Tx, orgID, campaignID int64, list []Item) error {
	rows := make([][]any, len(list))
	for i, it := range list {
		rows[i] = []any{orgID, campaignID, it.Seq, it.Key, it.Question, it.RoleID, it.RoleName, it.Target, it.Article, it.Quote, it.Chapter}
	}
	return insertRows(ctx, tx, "inspection_items", []string{"org_id", "campaign_id", "seq", "item_key", "question", "role_id", "role_name",
		"target", "article", "quote", "chapter"}, rows)
}

func insertSheets(ctx context.Context, tx *sql.Tx, orgID, campaignID int64, deadline string, now time.Time, depts []int64, roles []string) error {
	var rows [][]any
	for _, d := range depts {
		rows = append(rows, []any{orgID, campaignID, d, "", SheetOpen, deadline, now})
	}
	for _, r := range roles {
		rows = append(rows, []any{orgID, campaignID, nil, r, SheetOpen, deadline, now})
	}
	return insertRows(ctx, tx, "inspection_sheets", []string{"org_id", "campaign_id", "department_id", "role_id", "state", "deadline", "updated_at"}, rows)
}
