package accessreview

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// Decision is a reviewer's decision on an account.
type Decision struct {
	Outcome string `json:"outcome"` // keep, remove or change
	Reason  string `json:"reason"`
	// Version is the item's version the reviewer saw (0: not checked).
	Version int `json:"version"`
}

func (d *Decision) validate() error {
	v := &apperr.Validation{}
	d.Reason = strings.TrimSpace(d.Reason)
	if !slices.Contains(policy.AccessOutcomes, d.Outcome) {
		v.Add("outcome", "accessreview.error.outcome")
	}
	if d.Reason == "" {
		v.Add("reason", "error.required")
	} else if utf8.RuneCountInString(d.Reason) > 1000 {
		v.Add("reason", "error.too_long", 1000)
	}
	return v.Err()
}

// ruleAllows refuses an outcome the pack's outcome rules forbid for the item's flags, naming the
// account, the rule and its article.
func ruleAllows(ar policy.AccessReview, it Item, outcome string) error {
	if rule, ok := ar.Allowed(it.Flags, outcome); !ok {
		args := []any{it.Login, rule.Text, rule.Cite.Article}
		return &apperr.Error{Code: apperr.Invalid, Key: "accessreview.error.outcome_forbidden", Args: args,
			Fields: []apperr.FieldError{{Field: "outcome", Key: "accessreview.error.outcome_forbidden", Args: args}}}
	}
	return nil
}

// item reads one item of a review.
func item(ctx context.Context, tx *sql.Tx, reviewID, id int64) (Item, error) {
	it, err := scanItem(tx.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM access_review_items i WHERE i.review_id = $1 AND i.id = $2`,
		reviewID, id))
	if err == sql.ErrNoRows {
		return it, apperr.New(apperr.NotFound, "accessreview.error.item_not_found")
	}
	if err != nil {
		return it, apperr.Wrap(err, "access review item")
	}
	return it, nil
}

// Decide records a reviewer's decision on one account of a review. A reviewer may change a
// decision until its removal or change is proved.
func (s *Service) Decide(ctx context.Context, who access.Actor, reviewID, itemID int64, d Decision) (Item, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Item{}, err
	}
	if err := d.validate(); err != nil {
		return Item{}, err
	}
	now := s.now()
	var out Item
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, it, err := s.readableItem(ctx, tx, p, who, reviewID, itemID)
		if err != nil {
			return err
		}
		if err := mayDecide(who, r, it); err != nil {
			return err
		}
		if d.Version != 0 && d.Version != it.Version {
			return apperr.New(apperr.Conflict, "accessreview.error.stale")
		}
		if err := ruleAllows(p.AccessReview, it, d.Outcome); err != nil {
			return err
		}
		before := it
		if _, err := tx.ExecContext(ctx, `UPDATE access_review_items SET outcome = $1, reason = $2, decided_by = $3, decided_by_user = $4,
			decided_at = $5, version = version + 1 WHERE id = $6`, d.Outcome, d.Reason, nameOf(who), nullUser(who), now, it.ID); err != nil {
			return apperr.Wrap(err, "decide item")
		}
		it.Outcome, it.Reason, it.DecidedBy, it.DecidedAt, it.Version = d.Outcome, d.Reason, nameOf(who), &now, it.Version+1
		out = it
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "access_review_item", EntityID: it.ID, Action: "accessreview.decide",
			Before: map[string]any{"outcome": before.Outcome, "reason": before.Reason},
			After:  map[string]any{"review_id": r.ID, "account_id": it.AccountID, "login": it.Login, "system_ref": it.SystemRef, "outcome": d.Outcome, "reason": d.Reason}})
		return err
	})
	if err == nil {
		out.Acts = ItemActs{}
	}
	return out, err
}

// Bulk is one decision given to many accounts at once (一括判定).
type Bulk struct {
	// ItemIDs are the items; empty means every undecided item of the review the actor decides.
	ItemIDs []int64 `json:"item_ids"`
	Outcome string  `json:"outcome"`
	Reason  string  `json:"reason"`
}

// DecideMany gives one decision to many accounts of a review in one transaction with one audit
// entry: every item must be the actor's to decide and the outcome allowed for each, or nothing
// is changed and the error names the first account refused.
func (s *Service) DecideMany(ctx context.Context, who access.Actor, reviewID int64, b Bulk) (int, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return 0, err
	}
	d := Decision{Outcome: b.Outcome, Reason: b.Reason}
	if err := d.validate(); err != nil {
		return 0, err
	}
	now := s.now()
	var n int
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.loadBare(ctx, tx, who.OrgID, reviewID)
		if err != nil {
			return err
		}
		if ok, _, err := readable(ctx, tx, p, who, r); err != nil {
			return err
		} else if !ok {
			return apperr.New(apperr.NotFound, "accessreview.error.not_found")
		}
		items, err := bulkItems(ctx, tx, who, r, b.ItemIDs)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return apperr.New(apperr.Invalid, "accessreview.error.nothing_selected")
		}
		ids := make([]int64, 0, len(items))
		for _, it := range items {
			if !seesItem(p, who, r, it) {
				return apperr.New(apperr.NotFound, "accessreview.error.item_not_found")
			}
			if err := mayDecide(who, r, it); err != nil {
				return err
			}
			if err := ruleAllows(p.AccessReview, it, d.Outcome); err != nil {
				return err
			}
			ids = append(ids, it.ID)
		}
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			args := []any{d.Outcome, d.Reason, nameOf(who), nullUser(who), now, reviewID}
			marks := make([]string, len(chunk))
			for i, id := range chunk {
				args = append(args, id)
				marks[i] = "$" + strconv.Itoa(len(args))
			}
			if _, err := tx.ExecContext(ctx, `UPDATE access_review_items SET outcome = $1, reason = $2, decided_by = $3, decided_by_user = $4,
				decided_at = $5, version = version + 1 WHERE review_id = $6 AND id IN (`+strings.Join(marks, ", ")+`)`, args...); err != nil {
				return apperr.Wrap(err, "decide items")
			}
		}
		n = len(ids)
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "access_review", EntityID: r.ID, Action: "accessreview.decide_many",
			After: map[string]any{"items": ids, "outcome": d.Outcome, "reason": d.Reason}})
		return err
	})
	return n, err
}

// bulkItems reads the chosen items of a review, or every undecided one the actor decides.
func bulkItems(ctx context.Context, tx *sql.Tx, who access.Actor, r Review, ids []int64) ([]Item, error) {
	var out []Item
	if len(ids) == 0 {
		cond, args := mineWhere(who, 2, false)
		if cond == "" {
			if !who.IsSystem() {
				return nil, nil
			}
			cond = "1 = 1"
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+` FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id
			WHERE i.review_id = $1 AND i.outcome = '' AND `+cond+` ORDER BY i.id`, append([]any{r.ID}, args...)...)
		if err != nil {
			return nil, apperr.Wrap(err, "bulk items")
		}
		defer rows.Close()
		for rows.Next() {
			it, err := scanItem(rows)
			if err != nil {
				return nil, apperr.Wrap(err, "bulk items")
			}
			out = append(out, it)
		}
		return out, rows.Err()
	}
	if len(ids) > 20000 {
		return nil, apperr.InvalidField("item_ids", "accessreview.error.too_many", 20000)
	}
	for _, id := range ids {
		it, err := item(ctx, tx, r.ID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func nameOf(who access.Actor) string {
	if who.Name != "" {
		return who.Name
	}
	return who.Login
}

func nullUser(who access.Actor) any {
	if who.UserID == 0 {
		return nil
	}
	return who.UserID
}
