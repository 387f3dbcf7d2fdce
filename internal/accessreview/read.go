package accessreview

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

const reviewColumns = `r.id, r.title, r.scope, r.system_ref, r.system_name, COALESCE(r.department_id, 0), r.department_name,
	r.pack_id, r.pack_version, r.reviewer_roles, r.proof_roles, r.opened_on, r.due_on, r.state, r.opened_by,
	COALESCE(r.opened_by_user, 0), r.created_at, r.closed_at, r.closed_by`

func scanReview(sc interface{ Scan(...any) error }, today string) (Review, error) {
	var r Review
	var reviewers, provers string
	var closed sql.NullTime
	err := sc.Scan(&r.ID, &r.Title, &r.Scope, &r.SystemRef, &r.SystemName, &r.DepartmentID, &r.DepartmentName, &r.PackID,
		&r.PackVersion, &reviewers, &provers, &r.OpenedOn, &r.DueOn, &r.State, &r.OpenedBy, &r.OpenedByUser, &r.CreatedAt,
		&closed, &r.ClosedBy)
	if err != nil {
		return r, err
	}
	r.ReviewerRoles, r.ProofRoles = splitList(reviewers), splitList(provers)
	r.CreatedAt = r.CreatedAt.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		r.ClosedAt = &t
	}
	r.Overdue = r.State == StateOpen && r.DueOn < today
	return r, nil
}

const itemColumns = `i.id, i.review_id, i.account_id, i.system_ref, i.login, i.kind, i.display_name, COALESCE(i.owner_staff_id, 0),
	i.owner_name, i.owner_department, i.responsible_name, COALESCE(i.department_id, 0), i.department_name, i.last_login_on, i.flags,
	i.outcome, i.reason, i.decided_by, i.decided_at, i.proof_on, i.proof_by_name, i.proof_note, i.proved_by, i.proved_at, i.version`

func scanItem(sc interface{ Scan(...any) error }) (Item, error) {
	var it Item
	var flags string
	var decided, proved sql.NullTime
	err := sc.Scan(&it.ID, &it.ReviewID, &it.AccountID, &it.SystemRef, &it.Login, &it.Kind, &it.DisplayName, &it.OwnerStaffID,
		&it.OwnerName, &it.OwnerDepartment, &it.ResponsibleName, &it.DepartmentID, &it.DepartmentName, &it.LastLoginOn, &flags,
		&it.Outcome, &it.Reason, &it.DecidedBy, &decided, &it.ProofOn, &it.ProofByName, &it.ProofNote, &it.ProvedBy, &proved, &it.Version)
	if err != nil {
		return it, err
	}
	it.Flags = splitList(flags)
	if decided.Valid {
		t := decided.Time.UTC()
		it.DecidedAt = &t
	}
	if proved.Valid {
		t := proved.Time.UTC()
		it.ProvedAt = &t
	}
	return it, nil
}

// counts fills r.Counts from its items.
func counts(ctx context.Context, q store.Querier, r *Review) error {
	rows, err := q.QueryContext(ctx, `SELECT outcome, proof_on <> '', flags <> '', count(*) FROM access_review_items
		WHERE review_id = $1 GROUP BY outcome, proof_on <> '', flags <> ''`, r.ID)
	if err != nil {
		return apperr.Wrap(err, "review counts")
	}
	defer rows.Close()
	c := Counts{}
	for rows.Next() {
		var outcome string
		var proved, flagged bool
		var n int
		if err := rows.Scan(&outcome, &proved, &flagged, &n); err != nil {
			return apperr.Wrap(err, "review counts")
		}
		c.add(outcome, proved, flagged, n, r.Overdue)
	}
	r.Counts = c
	return rows.Err()
}

func (c *Counts) add(outcome string, proved, flagged bool, n int, overdue bool) {
	c.Total += n
	if flagged {
		c.Flagged += n
	}
	switch outcome {
	case "":
		c.Pending += n
		if overdue {
			c.Overdue += n
		}
		return
	case policy.OutcomeKeep:
		c.Kept += n
	case policy.OutcomeRemove:
		c.Removed += n
	case policy.OutcomeChange:
		c.Changed += n
	}
	c.Decided += n
	if outcome != policy.OutcomeKeep {
		if proved {
			c.Proved += n
		} else {
			c.Awaiting += n
			if overdue {
				c.Overdue += n
			}
		}
	}
}

// countItems counts items in memory.
func countItems(items []Item, overdue bool) Counts {
	var c Counts
	for _, it := range items {
		c.add(it.Outcome, it.ProofOn != "", len(it.Flags) > 0, 1, overdue)
	}
	return c
}

// load reads a review of the actor's organisation as it stands, with its counts, without asking
// the read rule.
func (s *Service) load(ctx context.Context, q store.Querier, orgID, id int64) (Review, error) {
	r, err := s.loadBare(ctx, q, orgID, id)
	if err != nil {
		return r, err
	}
	return r, counts(ctx, q, &r)
}

// loadBare is load without the counts, for the acts on one account, which need none.
func (s *Service) loadBare(ctx context.Context, q store.Querier, orgID, id int64) (Review, error) {
	r, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM access_reviews r WHERE r.org_id = $1 AND r.id = $2`,
		orgID, id), jstDay(s.now()))
	if err == sql.ErrNoRows {
		return r, apperr.New(apperr.NotFound, "accessreview.error.not_found")
	}
	if err != nil {
		return r, apperr.Wrap(err, "access review")
	}
	return r, nil
}

// readable reports whether the actor reads the review at all, and whether in full.
func readable(ctx context.Context, q store.Querier, p *policy.Compiled, who access.Actor, r Review) (ok, whole bool, err error) {
	if full(p, who, r) {
		return true, true, nil
	}
	for _, proof := range []bool{false, true} {
		c, args := mineWhere(who, 2, proof)
		if c == "" {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id
			WHERE i.review_id = $1 AND `+c, append([]any{r.ID}, args...)...).Scan(&n); err != nil {
			return false, false, apperr.Wrap(err, "access review reach")
		}
		if n > 0 {
			return true, false, nil
		}
	}
	return false, false, nil
}

// Get returns a review the actor reads, with what they may do; not found otherwise.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (View, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return View{}, err
	}
	r, err := s.load(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return View{}, err
	}
	ok, whole, err := readable(ctx, s.DB.SQL, p, who, r)
	if err != nil {
		return View{}, err
	}
	if !ok {
		return View{}, apperr.New(apperr.NotFound, "accessreview.error.not_found")
	}
	return View{Review: r, Full: whole, Acts: Acts{Close: mayClose(p, who, r) == nil}}, nil
}

// Filter narrows a list of reviews.
type Filter struct {
	State string // open, closed or "" for both
	Limit int
}

// List returns the reviews the actor reads, newest first.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Review, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return []Review{}, err
	}
	conds := []string{"r.org_id = $1"}
	args := []any{who.OrgID}
	if c, a, all := reviewWhere(p, who, 2); !all {
		conds = append(conds, c)
		args = append(args, a...)
	}
	if f.State == StateOpen || f.State == StateClosed {
		args = append(args, f.State)
		conds = append(conds, "r.state = $"+strconv.Itoa(len(args)))
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+reviewColumns+` FROM access_reviews r WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY r.state DESC, r.due_on, r.id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, apperr.Wrap(err, "access reviews")
	}
	out := []Review{}
	today := jstDay(s.now())
	for rows.Next() {
		r, err := scanReview(rows, today)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "access reviews")
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := counts(ctx, s.DB.SQL, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ItemFilter narrows a review's items.
type ItemFilter struct {
	Status    string // Status*; "" for all
	Flag      string // one of policy.AccessFlags; "" for all
	SystemRef string
	Outcome   string
	Query     string // part of the login, the name or the owner
	Mine      bool   // only the items the actor decides or proves
	Limit     int    // 0: all
}

// Items returns the items of a review the actor reads — every item for those who read it in
// full, otherwise the ones they review or prove — filtered, with what the actor may do.
func (s *Service) Items(ctx context.Context, who access.Actor, id int64, f ItemFilter) (View, []Item, error) {
	v, err := s.Get(ctx, who, id)
	if err != nil {
		return v, nil, err
	}
	conds := []string{"i.review_id = $1"}
	args := []any{id}
	if !v.Full || f.Mine {
		var mine []string
		for _, proof := range []bool{false, true} {
			if c, a := mineWhere(who, len(args)+1, proof); c != "" {
				mine = append(mine, c)
				args = append(args, a...)
			}
		}
		if len(mine) == 0 {
			return v, []Item{}, nil
		}
		conds = append(conds, "("+strings.Join(mine, " OR ")+")")
	}
	add := func(cond string, val any) {
		args = append(args, val)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	switch f.Status {
	case StatusPending:
		conds = append(conds, "i.outcome = ''")
	case StatusAwaiting:
		conds = append(conds, "i.outcome IN ('remove', 'change') AND i.proof_on = ''")
	case StatusDone:
		conds = append(conds, "(i.outcome = 'keep' OR (i.outcome <> '' AND i.proof_on <> ''))")
	}
	if f.Flag != "" {
		add("i.flags LIKE ?", "%,"+f.Flag+",%")
	}
	if f.SystemRef != "" {
		add("i.system_ref = ?", f.SystemRef)
	}
	if f.Outcome != "" {
		add("i.outcome = ?", f.Outcome)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		add(`lower(i.login || ' ' || i.display_name || ' ' || i.owner_name || ' ' || i.responsible_name) LIKE ? ESCAPE '\'`,
			"%"+strings.ToLower(store.LikeEscape(q))+"%")
	}
	q := `SELECT ` + itemColumns + ` FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id WHERE ` +
		strings.Join(conds, " AND ") + ` ORDER BY i.system_ref, i.login`
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := s.DB.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return v, nil, apperr.Wrap(err, "access review items")
	}
	defer rows.Close()
	out := []Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return v, nil, apperr.Wrap(err, "access review items")
		}
		it.Acts = itemActs(who, v.Review, it)
		out = append(out, it)
	}
	return v, out, rows.Err()
}

// SystemResult is one system's results in a review.
type SystemResult struct {
	SystemRef  string `json:"system_ref"`
	SystemName string `json:"system_name,omitempty"`
	Counts     Counts `json:"counts"`
}

// Results are a review's results by system, of the items the actor reads.
func (s *Service) Results(ctx context.Context, who access.Actor, id int64) (View, []SystemResult, error) {
	v, err := s.Get(ctx, who, id)
	if err != nil {
		return v, nil, err
	}
	names, err := s.systemNames(ctx, who.OrgID)
	if err != nil {
		return v, nil, err
	}
	var out []SystemResult
	at := map[string]int{}
	add := func(system, outcome string, proved, flagged bool, n int) {
		i, ok := at[system]
		if !ok {
			i = len(out)
			at[system] = i
			out = append(out, SystemResult{SystemRef: system, SystemName: names[system]})
		}
		out[i].Counts.add(outcome, proved, flagged, n, v.Review.Overdue)
	}
	if v.Full {
		rows, err := s.DB.SQL.QueryContext(ctx, `SELECT system_ref, outcome, proof_on <> '', flags <> '', count(*) FROM access_review_items
			WHERE review_id = $1 GROUP BY system_ref, outcome, proof_on <> '', flags <> '' ORDER BY system_ref`, id)
		if err != nil {
			return v, nil, apperr.Wrap(err, "results")
		}
		defer rows.Close()
		for rows.Next() {
			var system, outcome string
			var proved, flagged bool
			var n int
			if err := rows.Scan(&system, &outcome, &proved, &flagged, &n); err != nil {
				return v, nil, apperr.Wrap(err, "results")
			}
			add(system, outcome, proved, flagged, n)
		}
		if err := rows.Err(); err != nil {
			return v, nil, err
		}
	} else {
		_, items, err := s.Items(ctx, who, id, ItemFilter{})
		if err != nil {
			return v, nil, err
		}
		for _, it := range items {
			add(it.SystemRef, it.Outcome, it.ProofOn != "", len(it.Flags) > 0, 1)
		}
	}
	if out == nil {
		out = []SystemResult{}
	}
	return v, out, nil
}

// systemNames are the names of the organisation's systems by their reference.
func (s *Service) systemNames(ctx context.Context, orgID int64) (map[string]string, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT number, name FROM assets WHERE org_id = $1 AND kind = 'system' ORDER BY id`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "system names")
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var ref, name string
		if err := rows.Scan(&ref, &name); err != nil {
			return nil, apperr.Wrap(err, "system names")
		}
		if _, ok := out[ref]; !ok {
			out[ref] = name
		}
	}
	return out, rows.Err()
}
