package accessreview

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// NewReview is what opening a review takes.
type NewReview struct {
	Title        string `json:"title"`
	Scope        string `json:"scope"`         // system or department
	SystemRef    string `json:"system_ref"`    // the system, for a review of one system
	DepartmentID int64  `json:"department_id"` // the department, for a review of its staff's accounts
	DueOn        string `json:"due_on"`        // YYYY-MM-DD; the pack's due_days from today when empty
}

func (in *NewReview) validate(today string, dueDays int) error {
	v := &apperr.Validation{}
	in.Title = strings.TrimSpace(in.Title)
	in.SystemRef = strings.TrimSpace(in.SystemRef)
	if in.Title == "" {
		v.Add("title", "error.required")
	} else if utf8.RuneCountInString(in.Title) > 200 {
		v.Add("title", "error.too_long", 200)
	}
	switch in.Scope {
	case ScopeSystem:
		if in.SystemRef == "" {
			v.Add("system_ref", "error.required")
		}
		in.DepartmentID = 0
	case ScopeDepartment:
		if in.DepartmentID == 0 {
			v.Add("department_id", "error.required")
		}
		in.SystemRef = ""
	default:
		v.Add("scope", "accessreview.error.scope")
	}
	if in.DueOn == "" {
		t, _ := time.Parse(time.DateOnly, today)
		in.DueOn = t.AddDate(0, 0, dueDays).Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, in.DueOn); err != nil {
		v.Add("due_on", "error.date")
	} else if in.DueOn < today {
		v.Add("due_on", "accessreview.error.due_before")
	}
	return v.Err()
}

// Open opens a review: the accounts in scope that are not removed are copied onto its items as
// they stand today, with their flags and the department whose 課長 reviews them; the pack's
// reviewing and proving roles are frozen onto it.
func (s *Service) Open(ctx context.Context, who access.Actor, in NewReview) (Review, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Review{}, err
	}
	ar := p.AccessReview
	if !ar.Defined() {
		return Review{}, apperr.New(apperr.Invalid, "accessreview.error.no_pack_element")
	}
	now := s.now()
	today := jstDay(now)
	if err := in.validate(today, ar.DueDays); err != nil {
		return Review{}, err
	}
	if err := MayOpen(p, who, in.Scope, in.SystemRef); err != nil {
		return Review{}, err
	}
	var reviewers []string
	for _, r := range ar.Reviewers {
		reviewers = append(reviewers, r.Role)
	}
	r := Review{Title: in.Title, Scope: in.Scope, SystemRef: in.SystemRef, DepartmentID: in.DepartmentID, PackID: p.ID,
		PackVersion: p.Version, ReviewerRoles: rolesOf(p, reviewers), ProofRoles: rolesOf(p, ar.ProvedBy), OpenedOn: today,
		DueOn: in.DueOn, State: StateOpen, OpenedBy: who.Name, OpenedByUser: who.UserID, CreatedAt: now}
	if r.OpenedBy == "" {
		r.OpenedBy = who.Login
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.target(ctx, tx, who.OrgID, &r); err != nil {
			return err
		}
		items, err := snapshot(ctx, tx, who.OrgID, r, ar, today)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return apperr.InvalidField(map[string]string{ScopeSystem: "system_ref", ScopeDepartment: "department_id"}[r.Scope], "accessreview.error.no_accounts")
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO access_reviews (org_id, title, scope, system_ref, system_name, department_id,
			department_name, pack_id, pack_version, reviewer_roles, proof_roles, opened_on, due_on, state, opened_by, opened_by_user, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			who.OrgID, r.Title, r.Scope, r.SystemRef, r.SystemName, store.NullID(r.DepartmentID), r.DepartmentName, r.PackID, r.PackVersion,
			joinList(r.ReviewerRoles), joinList(r.ProofRoles), r.OpenedOn, r.DueOn, r.State, r.OpenedBy, store.NullID(r.OpenedByUser), now).Scan(&r.ID); err != nil {
			return apperr.Wrap(err, "insert access review")
		}
		if err := insertItems(ctx, tx, who.OrgID, r.ID, items); err != nil {
			return err
		}
		r.Counts = countItems(items, false)
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "access_review", EntityID: r.ID, Action: "accessreview.open",
			After: map[string]any{"review": r, "accounts": len(items), "flagged": r.Counts.Flagged}})
		return err
	})
	return r, err
}

// target checks the review's system or department and names it; a second open review of the
// same system or department is refused.
func (s *Service) target(ctx context.Context, tx *sql.Tx, orgID int64, r *Review) error {
	if r.Scope == ScopeDepartment {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT name, active FROM departments WHERE org_id = $1 AND id = $2`, orgID, r.DepartmentID).Scan(&r.DepartmentName, &active)
		if err == sql.ErrNoRows || (err == nil && !active) {
			return apperr.InvalidField("department_id", "accessreview.error.department")
		}
		if err != nil {
			return apperr.Wrap(err, "department")
		}
	} else {
		err := tx.QueryRowContext(ctx, `SELECT name FROM assets WHERE org_id = $1 AND kind = 'system' AND number = $2 ORDER BY id LIMIT 1`,
			orgID, r.SystemRef).Scan(&r.SystemName)
		if err != nil && err != sql.ErrNoRows {
			return apperr.Wrap(err, "system")
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM access_reviews WHERE org_id = $1 AND state = 'open' AND scope = $2
		AND system_ref = $3 AND COALESCE(department_id, 0) = $4`, orgID, r.Scope, r.SystemRef, r.DepartmentID).Scan(&n); err != nil {
		return apperr.Wrap(err, "open reviews")
	}
	if n > 0 {
		return apperr.New(apperr.Conflict, "accessreview.error.already_open")
	}
	return nil
}

// snapshot reads the accounts in the review's scope as they stand, with their flags.
func snapshot(ctx context.Context, tx *sql.Tx, orgID int64, r Review, ar policy.AccessReview, today string) ([]Item, error) {
	cond, arg := "a.system_ref = $2", any(r.SystemRef)
	if r.Scope == ScopeDepartment {
		cond, arg = "COALESCE(a.department_id, s.department_id) = $2", any(r.DepartmentID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.system_ref, a.login, a.kind, a.display_name, COALESCE(a.owner_staff_id, 0),
		COALESCE(s.name, ''), COALESCE(sd.name, ''), COALESCE(s.department_id, 0), s.active, COALESCE(s.left_on, ''), a.responsible_name,
		COALESCE(a.department_id, s.department_id, 0), COALESCE(d.name, ''), a.last_login_on, a.granted_on, COALESCE(a.department_id, 0)
		FROM system_accounts a
		LEFT JOIN staff s ON s.id = a.owner_staff_id
		LEFT JOIN departments sd ON sd.id = s.department_id
		LEFT JOIN departments d ON d.id = COALESCE(a.department_id, s.department_id)
		WHERE a.org_id = $1 AND a.state <> 'removed' AND `+cond+` ORDER BY a.system_ref, a.login`, orgID, arg)
	if err != nil {
		return nil, apperr.Wrap(err, "accounts in scope")
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var o Owner
		var active sql.NullBool
		var grantedOn string
		var accountDept int64
		if err := rows.Scan(&it.AccountID, &it.SystemRef, &it.Login, &it.Kind, &it.DisplayName, &it.OwnerStaffID, &it.OwnerName,
			&it.OwnerDepartment, &o.DepartmentID, &active, &o.LeftOn, &it.ResponsibleName, &it.DepartmentID, &it.DepartmentName,
			&it.LastLoginOn, &grantedOn, &accountDept); err != nil {
			return nil, apperr.Wrap(err, "accounts in scope")
		}
		o.Known, o.Active = it.OwnerStaffID != 0, !active.Valid || active.Bool
		it.Flags = Flags(Account{Kind: it.Kind, HasOwner: it.OwnerStaffID != 0, ResponsibleName: it.ResponsibleName,
			DepartmentID: accountDept, LastLoginOn: it.LastLoginOn, GrantedOn: grantedOn}, o, ar.DormantDays, today)
		out = append(out, it)
	}
	return out, rows.Err()
}

// insertRows inserts rows into table in statements of at most 100 rows each, the statement of a
// full hundred prepared once: a review of ten thousand accounts opens in a hundred executions of
// one statement rather than a round trip (or a parse) an account.
func insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	const batch = 100
	statement := func(n int) string {
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		k := 0
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j := range cols {
				if j > 0 {
					b.WriteString(", ")
				}
				k++
				b.WriteString("$" + strconv.Itoa(k))
			}
			b.WriteString(")")
		}
		return b.String()
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for len(rows) > 0 {
		n := min(len(rows), batch)
		args := make([]any, 0, n*len(cols))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		var err error
		if n == batch {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, statement(batch)); err != nil {
					return apperr.Wrap(err, "prepare insert "+table)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, statement(n), args...)
		}
		if err != nil {
			return apperr.Wrap(err, "insert "+table)
		}
		rows = rows[n:]
	}
	return nil
}

func insertItems(ctx context.Context, tx *sql.Tx, orgID, reviewID int64, items []Item) error {
	rows := make([][]any, len(items))
	for i, it := range items {
		rows[i] = []any{orgID, reviewID, it.AccountID, it.SystemRef, it.Login, it.Kind, it.DisplayName, store.NullID(it.OwnerStaffID),
			it.OwnerName, it.OwnerDepartment, it.ResponsibleName, store.NullID(it.DepartmentID), it.DepartmentName, it.LastLoginOn,
			joinList(it.Flags)}
	}
	return insertRows(ctx, tx, "access_review_items", []string{"org_id", "review_id", "account_id", "system_ref", "login", "kind",
		"display_name", "owner_staff_id", "owner_name", "owner_department", "responsible_name", "department_id", "department_name",
		"last_login_on", "flags"}, rows)
}
