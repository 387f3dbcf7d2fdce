package accessreview

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// Proof is the record that a removal or change was done in the system: who did it there, on
// which day, and a note (the ticket, what was changed).
type Proof struct {
	DoneOn string `json:"done_on"` // YYYY-MM-DD
	DoneBy string `json:"done_by"` // who did it in the system
	Note   string `json:"note"`
}

func (pr *Proof) validate(opened, today string) error {
	v := &apperr.Validation{}
	pr.DoneBy, pr.Note = strings.TrimSpace(pr.DoneBy), strings.TrimSpace(pr.Note)
	if pr.DoneBy == "" {
		v.Add("done_by", "error.required")
	} else if utf8.RuneCountInString(pr.DoneBy) > 100 {
		v.Add("done_by", "error.too_long", 100)
	}
	if utf8.RuneCountInString(pr.Note) > 1000 {
		v.Add("note", "error.too_long", 1000)
	}
	switch _, err := time.Parse(time.DateOnly, pr.DoneOn); {
	case pr.DoneOn == "":
		v.Add("done_on", "error.required")
	case err != nil:
		v.Add("done_on", "error.date")
	case pr.DoneOn < opened:
		v.Add("done_on", "accessreview.error.proof_before_open", i18n.Day(opened))
	case pr.DoneOn > today:
		v.Add("done_on", "accessreview.error.proof_future")
	}
	return v.Err()
}

// Prove records that a decided removal or change was done in the system. In the same
// transaction the account itself is marked: a removal as removed (with the day and who removed
// it), a change as reviewed that day.
func (s *Service) Prove(ctx context.Context, who access.Actor, reviewID, itemID int64, pr Proof) (Item, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Item{}, err
	}
	now := s.now()
	var out Item
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, it, err := s.readableItem(ctx, tx, p, who, reviewID, itemID)
		if err != nil {
			return err
		}
		if err := mayProve(who, r, it); err != nil {
			return err
		}
		if err := pr.validate(r.OpenedOn, jstDay(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE access_review_items SET proof_on = $1, proof_by_name = $2, proof_note = $3, proved_by = $4,
			proved_at = $5, version = version + 1 WHERE id = $6`, pr.DoneOn, pr.DoneBy, pr.Note, nameOf(who), now, it.ID); err != nil {
			return apperr.Wrap(err, "prove item")
		}
		var before, after map[string]any
		if it.Outcome == policy.OutcomeRemove {
			before = map[string]any{"state": "active"}
			after = map[string]any{"state": "removed", "removed_on": pr.DoneOn, "removed_by_name": pr.DoneBy}
			_, err = tx.ExecContext(ctx, `UPDATE system_accounts SET state = 'removed', removed_on = $1, removed_by_name = $2,
				last_reviewed_on = $3, updated_at = $4 WHERE org_id = $5 AND id = $6`, pr.DoneOn, pr.DoneBy, jstDay(now), now, who.OrgID, it.AccountID)
		} else {
			after = map[string]any{"last_reviewed_on": jstDay(now)}
			_, err = tx.ExecContext(ctx, `UPDATE system_accounts SET last_reviewed_on = $1, updated_at = $2 WHERE org_id = $3 AND id = $4`,
				jstDay(now), now, who.OrgID, it.AccountID)
		}
		if err != nil {
			return apperr.Wrap(err, "mark account")
		}
		it.ProofOn, it.ProofByName, it.ProofNote, it.ProvedBy, it.ProvedAt, it.Version = pr.DoneOn, pr.DoneBy, pr.Note, nameOf(who), &now, it.Version+1
		out = it
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "access_review_item", EntityID: it.ID, Action: "accessreview.prove",
			Before: map[string]any{"account": before},
			After:  map[string]any{"review_id": r.ID, "account_id": it.AccountID, "login": it.Login, "outcome": it.Outcome, "proof": pr, "account": after}})
		return err
	})
	return out, err
}

// Close closes a review whose every account is decided and every removal or change proved;
// the accounts kept are marked reviewed that day.
func (s *Service) Close(ctx context.Context, who access.Actor, reviewID int64) (Review, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Review{}, err
	}
	now := s.now()
	var out Review
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.load(ctx, tx, who.OrgID, reviewID)
		if err != nil {
			return err
		}
		if ok, _, err := readable(ctx, tx, p, who, r); err != nil {
			return err
		} else if !ok {
			return apperr.New(apperr.NotFound, "accessreview.error.not_found")
		}
		if err := mayClose(p, who, r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE access_reviews SET state = 'closed', closed_at = $1, closed_by = $2 WHERE id = $3`,
			now, nameOf(who), r.ID); err != nil {
			return apperr.Wrap(err, "close review")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE system_accounts SET last_reviewed_on = $1, updated_at = $2 WHERE org_id = $3 AND id IN (
			SELECT account_id FROM access_review_items WHERE review_id = $4 AND outcome = 'keep')`, jstDay(now), now, who.OrgID, r.ID); err != nil {
			return apperr.Wrap(err, "mark kept accounts")
		}
		r.State, r.ClosedAt, r.ClosedBy, r.Overdue = StateClosed, &now, nameOf(who), false
		out = r
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "access_review", EntityID: r.ID, Action: "accessreview.close",
			After: map[string]any{"state": r.State, "counts": r.Counts}})
		return err
	})
	return out, err
}

// readableItem reads a review and one of its accounts for an act on it, inside the act's
// transaction: not found unless the actor reads the account. Whoever reads the account reads
// its review (seesItem): no count of the review's accounts is needed to find out.
func (s *Service) readableItem(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, reviewID, itemID int64) (Review, Item, error) {
	r, err := s.loadBare(ctx, tx, who.OrgID, reviewID)
	if err != nil {
		return Review{}, Item{}, err
	}
	it, err := item(ctx, tx, reviewID, itemID)
	if err != nil {
		return Review{}, Item{}, err
	}
	if !seesItem(p, who, r, it) {
		return Review{}, Item{}, apperr.New(apperr.NotFound, "accessreview.error.item_not_found")
	}
	return r, it, nil
}
