package audit

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// NewItem is an audit item: what is checked, in which audited department, against which of
// the audit's criteria, and how.
type NewItem struct {
	DepartmentID int64  `json:"department_id"`
	Title        string `json:"title"`
	Article      string `json:"article"`
	Method       string `json:"method"`
}

// ResultInput is an item's result with its note and evidence.
type ResultInput struct {
	Result   string        `json:"result"`
	Note     string        `json:"note"`
	Evidence []NewEvidence `json:"-"`
}

// NewFinding is a finding of an item whose result is a non-conformity or an observation: its
// grade and article are the item's.
type NewFinding struct {
	ItemID    int64  `json:"item_id"`
	Title     string `json:"title"`
	Detail    string `json:"detail"`
	RootCause string `json:"root_cause"`
}

// inTx runs fn on the audit, loaded in the transaction, after the actor's sight of it.
func (s *Service) inTx(ctx context.Context, who access.Actor, id int64, fn func(tx *sql.Tx, a Audit) error) error {
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		a, err := s.load(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if !sightOf(who, a, today(s.now())).any() {
			return apperr.New(apperr.NotFound, "audits.error.not_found")
		}
		return fn(tx, a)
	})
}

// AddItem adds an audit item. Its article must be one of the audit's criteria.
func (s *Service) AddItem(ctx context.Context, who access.Actor, id int64, in NewItem) (Item, error) {
	var it Item
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		if err := mayConduct(who, a, today(s.now())); err != nil {
			return err
		}
		var v apperr.Validation
		text(&v, "title", &in.Title, maxTitle, true)
		checkArticle(&v, "article", &in.Article, a.Criteria)
		if !slices.Contains(Methods, in.Method) {
			v.Add("method", "error.choose")
		}
		if in.DepartmentID == 0 && len(a.Departments) == 1 {
			in.DepartmentID = a.Departments[0].ID
		}
		if in.DepartmentID != 0 && !slices.ContainsFunc(a.Departments, func(n Named) bool { return n.ID == in.DepartmentID }) {
			v.Add("department_id", "audits.error.out_of_scope")
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := s.now()
		it = Item{AuditID: a.ID, DepartmentID: in.DepartmentID, Title: in.Title, Article: in.Article, Method: in.Method, Evidence: []Evidence{}}
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_items (org_id, audit_id, department_id, title, article, method, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, who.OrgID, a.ID, nullID(it.DepartmentID), it.Title, it.Article, it.Method, now).
			Scan(&it.ID); err != nil {
			return apperr.Wrap(err, "audit item")
		}
		if err := s.start(ctx, tx, a); err != nil {
			return err
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.item.add", After: it})
		return err
	})
	return it, err
}

// start moves a planned audit to in progress at its first recorded work.
func (s *Service) start(ctx context.Context, tx *sql.Tx, a Audit) error {
	if a.State != StatePlanned {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE audits SET state = $1 WHERE id = $2 AND state = $3`, StateInProgress, a.ID, StatePlanned)
	return wrap(err, "audit state")
}

// item reads one item of the audit.
func item(ctx context.Context, tx *sql.Tx, a Audit, id int64) (Item, error) {
	var it Item
	err := tx.QueryRowContext(ctx, `SELECT id, COALESCE(department_id, 0), title, article, method, result FROM audit_items
		WHERE id = $1 AND audit_id = $2`, id, a.ID).Scan(&it.ID, &it.DepartmentID, &it.Title, &it.Article, &it.Method, &it.Result)
	if errors.Is(err, sql.ErrNoRows) {
		return it, apperr.New(apperr.NotFound, "audits.error.item")
	}
	it.AuditID = a.ID
	return it, wrap(err, "audit item")
}

// RecordResult records an item's result (適合 / 軽微な不適合 / 重大な不適合 / 観察事項) with
// its note and evidence. A non-conformity needs a note that says what was found.
func (s *Service) RecordResult(ctx context.Context, who access.Actor, id, itemID int64, in ResultInput) (Item, error) {
	var it Item
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		if err := mayConduct(who, a, today(s.now())); err != nil {
			return err
		}
		var err error
		if it, err = item(ctx, tx, a, itemID); err != nil {
			return err
		}
		var v apperr.Validation
		if !slices.Contains(Results, in.Result) {
			v.Add("result", "error.choose")
		}
		text(&v, "note", &in.Note, maxText, in.Result == "minor" || in.Result == "major")
		if err := v.Err(); err != nil {
			return err
		}
		if err := checkAll("evidence", in.Evidence); err != nil {
			return err
		}
		now := s.now()
		before := it
		it.Result, it.Note, it.RecordedAt = in.Result, in.Note, &now
		if _, err := tx.ExecContext(ctx, `UPDATE audit_items SET result = $1, note = $2, recorded_by_user_id = $3, recorded_at = $4 WHERE id = $5`,
			it.Result, it.Note, nullID(who.UserID), now, it.ID); err != nil {
			return apperr.Wrap(err, "audit item")
		}
		it.Evidence = []Evidence{}
		for _, e := range in.Evidence {
			ev, err := storeEvidence(ctx, tx, who, a.ID, it.ID, 0, e, now)
			if err != nil {
				return err
			}
			it.Evidence = append(it.Evidence, ev)
		}
		if err := s.start(ctx, tx, a); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.item.result", Before: before, After: it})
		return err
	})
	return it, err
}

// AddFinding records a finding of an item whose result is not 適合, with its root cause.
func (s *Service) AddFinding(ctx context.Context, who access.Actor, id int64, in NewFinding) (Finding, error) {
	var f Finding
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		if err := mayConduct(who, a, today(s.now())); err != nil {
			return err
		}
		it, err := item(ctx, tx, a, in.ItemID)
		if apperr.CodeOf(err) == apperr.NotFound {
			return apperr.InvalidField("item_id", "audits.error.item")
		}
		if err != nil {
			return err
		}
		var v apperr.Validation
		if it.Result == "" || it.Result == "conforming" {
			v.Add("item_id", "audits.error.item_conforms")
		}
		text(&v, "title", &in.Title, maxTitle, true)
		text(&v, "detail", &in.Detail, maxText, false)
		text(&v, "root_cause", &in.RootCause, maxText, it.Result == "minor" || it.Result == "major")
		if err := v.Err(); err != nil {
			return err
		}
		now := s.now()
		f = Finding{AuditID: a.ID, AuditTitle: a.Title, ItemID: it.ID, DepartmentID: it.DepartmentID, Grade: it.Result, Article: it.Article,
			Title: in.Title, Detail: in.Detail, RootCause: in.RootCause, State: FindingOpen, CreatedAt: now, Actions: []Action{}}
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_findings (org_id, audit_id, item_id, department_id, grade, article, title, detail,
			root_cause, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			who.OrgID, a.ID, it.ID, nullID(f.DepartmentID), f.Grade, f.Article, f.Title, f.Detail, f.RootCause, f.State, now).Scan(&f.ID); err != nil {
			return apperr.Wrap(err, "audit finding")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.finding.add", After: f})
		return err
	})
	return f, err
}
