package task

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Filter narrows a list of tasks. Zero values leave a dimension open.
type Filter struct {
	Status     string // one of Statuses
	FiscalYear int
	Role       string
	// Mine keeps the tasks the actor holds, even for those who read every task.
	Mine   bool
	Limit  int // 0: DefaultLimit
	Offset int
}

// DefaultLimit and MaxLimit bound a page of tasks.
const (
	DefaultLimit = 200
	MaxLimit     = 5000
)

func itoa(n int) string { return strconv.Itoa(n) }

const columns = `t.id, t.org_id, t.duty_id, t.role_id, t.scope, COALESCE(t.department_id, 0), COALESCE(d.name, ''), t.system_ref,
	t.every, t.fiscal_year, t.period_start, t.due_on, t.text, t.cite, t.evidence, t.logbook, t.checklist_json, t.state, t.note,
	t.ticked_json, COALESCE(t.logbook_entry_id, 0), t.done_at, COALESCE(t.done_by_user_id, 0), COALESCE(t.done_by_staff_id, 0),
	t.done_by_name, t.created_at`

const from = ` FROM tasks t LEFT JOIN departments d ON d.id = t.department_id `

func scan(sc interface{ Scan(...any) error }) (Task, error) {
	var t Task
	var checklist, ticked string
	var doneAt sql.NullTime
	err := sc.Scan(&t.ID, &t.OrgID, &t.DutyID, &t.RoleID, &t.Scope, &t.DepartmentID, &t.Department, &t.SystemRef, &t.Every,
		&t.FiscalYear, &t.PeriodStart, &t.DueOn, &t.Text, &t.Cite, &t.Evidence, &t.Logbook, &checklist, &t.State, &t.Note,
		&ticked, &t.LogbookEntryID, &doneAt, &t.DoneByUserID, &t.DoneByStaffID, &t.DoneBy, &t.CreatedAt)
	if err != nil {
		return t, err
	}
	json.Unmarshal([]byte(checklist), &t.Checklist)
	json.Unmarshal([]byte(ticked), &t.Ticked)
	if doneAt.Valid {
		at := doneAt.Time.UTC()
		t.DoneAt = &at
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return t, nil
}

// where builds the list's condition from the read rule and the filter.
func (s *Service) where(who access.Actor, f Filter) (string, []any, error) {
	conds := []string{"t.org_id = $1"}
	args := []any{who.OrgID}
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", "$"+itoa(len(args)), 1)
		}
		conds = append(conds, cond)
	}
	if f.Mine {
		c, a := holderWhere(who, len(args)+1)
		args = append(args, a...)
		conds = append(conds, c)
	} else if c, a, all := readWhere(who, len(args)+1); !all {
		args = append(args, a...)
		conds = append(conds, c)
	}
	today := s.today()
	switch f.Status {
	case "":
	case StatusDone:
		add("t.state = 'done'")
	case StatusOverdue:
		add("t.state = 'open' AND t.due_on < ?", today)
	case StatusCurrent:
		add("t.state = 'open' AND t.due_on >= ? AND t.period_start <= ?", today, today)
	case StatusUpcoming:
		add("t.state = 'open' AND t.period_start > ?", today)
	default:
		return "", nil, apperr.InvalidField("status", "tasks.error.status", f.Status)
	}
	if f.FiscalYear != 0 {
		add("t.fiscal_year = ?", f.FiscalYear)
	}
	if f.Role != "" {
		add("t.role_id = ?", f.Role)
	}
	return strings.Join(conds, " AND "), args, nil
}

// List returns the tasks the actor reads that match f, soonest due first, and how many match.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Task, int, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return nil, 0, err
	}
	w, args, err := s.where(who, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM tasks t WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count tasks")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	list, err := s.query(ctx, `SELECT `+columns+from+`WHERE `+w+` ORDER BY t.due_on, t.role_id, t.scope_key, t.id LIMIT `+itoa(limit)+
		` OFFSET `+itoa(max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, s.fill(ctx, s.DB.SQL, who.OrgID, p, list)
}

func (s *Service) query(ctx context.Context, q string, args ...any) ([]Task, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "tasks")
	}
	defer rows.Close()
	out := []Task{}
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "tasks")
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Get returns a task the actor reads; a task beyond the actor's reach is not found.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Task, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Task{}, err
	}
	t, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return t, err
	}
	if !Readable(who, t) {
		return Task{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	list := []Task{t}
	if err := s.fill(ctx, s.DB.SQL, who.OrgID, p, list); err != nil {
		return Task{}, err
	}
	t = list[0]
	if t.File, err = fileOf(ctx, s.DB.SQL, who.OrgID, t.ID); err != nil {
		return t, err
	}
	return t, nil
}

func get(ctx context.Context, q store.Querier, orgID, id int64) (Task, error) {
	t, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+from+`WHERE t.org_id = $1 AND t.id = $2`, orgID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return t, apperr.Wrap(err, "task")
	}
	return t, nil
}

// fill adds to each task its status, its role's name and the holders of the role in its scope
// today.
func (s *Service) fill(ctx context.Context, q store.Querier, orgID int64, p *policy.Compiled, list []Task) error {
	if len(list) == 0 {
		return nil
	}
	today := s.today()
	holders, err := holdersOf(ctx, q, orgID, today)
	if err != nil {
		return err
	}
	for i := range list {
		t := &list[i]
		t.Status = status(t.State, t.PeriodStart, t.DueOn, today)
		if r, ok := p.Role(t.RoleID); ok {
			t.RoleName = r.Name
		} else {
			t.RoleName = t.RoleID
		}
		t.Holders = holders[t.RoleID+"|"+scopeKey(t.DepartmentID, t.SystemRef)]
		if t.Holders == nil {
			t.Holders = []Holder{}
		}
	}
	return nil
}

// holdersOf are the organisation's role holders on day, by role and scope key.
func holdersOf(ctx context.Context, q store.Querier, orgID int64, day string) (map[string][]Holder, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.role_id, r.scope, COALESCE(r.department_id, 0), r.system_ref,
		COALESCE(r.holder_staff_id, 0), COALESCE(h.name, ''), COALESCE(r.acting_staff_id, 0), COALESCE(a.name, '')
		FROM role_assignments r LEFT JOIN staff h ON h.id = r.holder_staff_id LEFT JOIN staff a ON a.id = r.acting_staff_id
		WHERE r.org_id = $1 AND (r.valid_from = '' OR r.valid_from <= $2) AND (r.valid_to = '' OR r.valid_to >= $2)
		ORDER BY r.id`, orgID, day)
	if err != nil {
		return nil, apperr.Wrap(err, "holders")
	}
	defer rows.Close()
	out := map[string][]Holder{}
	for rows.Next() {
		var role, scope, system, holder, acting string
		var dept, holderID, actingID int64
		if err := rows.Scan(&role, &scope, &dept, &system, &holderID, &holder, &actingID, &acting); err != nil {
			return nil, apperr.Wrap(err, "holders")
		}
		key := role + "|"
		switch scope {
		case "department":
			key += scopeKey(dept, "")
		case "system":
			key += scopeKey(0, system)
		}
		if holderID != 0 {
			out[key] = append(out[key], Holder{StaffID: holderID, Name: holder})
		}
		if actingID != 0 {
			out[key] = append(out[key], Holder{StaffID: actingID, Name: acting, Acting: true})
		}
	}
	return out, rows.Err()
}
