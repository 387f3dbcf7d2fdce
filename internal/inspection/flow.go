package inspection

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
	"mamori/internal/store"
)

// Submit hands a fully answered sheet in. Its 未実施 and 一部 answers become findings, owned by
// the one who submits (the department's 情報セキュリティ管理者), due NotDoneDueDays or
// PartialDueDays later; a finding of an item answered otherwise on a resubmitted sheet is
// withdrawn (closed, the answer corrected).
func (s *Service) Submit(ctx context.Context, who access.Actor, campaignID, sheetID int64) (SheetView, error) {
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		c, sh, _, st, err := s.place(ctx, tx, who, campaignID, sheetID)
		if err != nil {
			return err
		}
		if err := maySubmit(st, who, c, sh, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_sheets SET state = $1, submitted_at = $2, submitted_by_staff_id = $3,
			version = version + 1, updated_at = $2 WHERE id = $4`, SheetSubmitted, now, store.NullID(who.StaffID), sheetID); err != nil {
			return apperr.Wrap(err, "submit sheet")
		}
		opened, err := syncFindings(ctx, tx, who, c, sh, now)
		if err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "inspection_sheet", EntityID: sheetID, Action: "inspection.submit",
			Before: map[string]any{"state": sh.State}, After: map[string]any{"state": SheetSubmitted, "campaign_id": campaignID, "counts": sh.Counts, "findings": opened}})
		return err
	})
	if err != nil {
		return SheetView{}, err
	}
	return s.View(ctx, who, campaignID, sheetID)
}

// Return sends a submitted sheet back (差戻し) with the reason, and may give it a later deadline
// (YYYY-MM-DD; empty keeps it) so that it can be corrected.
func (s *Service) Return(ctx context.Context, who access.Actor, campaignID, sheetID int64, reason, deadline string) (SheetView, error) {
	now := s.now()
	reason = strings.TrimSpace(reason)
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		c, sh, _, st, err := s.place(ctx, tx, who, campaignID, sheetID)
		if err != nil {
			return err
		}
		if err := mayReturn(st, who, c, sh); err != nil {
			return err
		}
		v := &apperr.Validation{}
		if reason == "" {
			v.Add("reason", "error.required")
		} else if utf8.RuneCountInString(reason) > MaxComment {
			v.Add("reason", "error.too_long", MaxComment)
		}
		if deadline == "" {
			deadline = sh.Deadline
			if !now.Before(closesAt(deadline)) {
				v.Add("deadline", "inspection.error.return_deadline")
			}
		} else if _, err := time.Parse(time.DateOnly, deadline); err != nil {
			v.Add("deadline", "error.date")
		} else if !now.Before(closesAt(deadline)) {
			v.Add("deadline", "inspection.error.deadline_before")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_sheets SET state = $1, return_reason = $2, returned_at = $3, deadline = $4,
			version = version + 1, updated_at = $3 WHERE id = $5`, SheetReturned, reason, now, deadline, sheetID); err != nil {
			return apperr.Wrap(err, "return sheet")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "inspection_sheet", EntityID: sheetID, Action: "inspection.return",
			Before: map[string]any{"state": sh.State, "deadline": sh.Deadline}, After: map[string]any{"state": SheetReturned, "reason": reason, "deadline": deadline}})
		return err
	})
	if err != nil {
		return SheetView{}, err
	}
	return s.View(ctx, who, campaignID, sheetID)
}

// Close ends a campaign: no answer is taken after it, and its results stand as the year's.
func (s *Service) Close(ctx context.Context, who access.Actor, campaignID int64) (Campaign, error) {
	now := s.now()
	var c Campaign
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		p, err := s.Policy.Required(ctx, who.OrgID)
		if err != nil {
			return err
		}
		if c, err = readCampaign(ctx, tx, who.OrgID, campaignID); err != nil {
			return err
		}
		if !seesAll(p, who) {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err := mayCloseCampaign(p, who, c); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_campaigns SET state = $1, closed_at = $2 WHERE id = $3`, CampaignClosed, now, c.ID); err != nil {
			return apperr.Wrap(err, "close campaign")
		}
		c.State, c.ClosedAt = CampaignClosed, &now
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "inspection_campaign", EntityID: c.ID, Action: "inspection.close",
			Before: map[string]any{"state": CampaignOpen}, After: map[string]any{"state": CampaignClosed}})
		return err
	})
	return c, err
}

// syncFindings opens a finding for each 未実施 and 一部 answer of a sheet that has none open, and
// withdraws the open findings of items now answered otherwise. It returns the items of the
// findings opened.
func syncFindings(ctx context.Context, tx *sql.Tx, who access.Actor, c Campaign, sh Sheet, now time.Time) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.item_id, i.item_key, a.answer, COALESCE(f.id, 0), COALESCE(f.state, '')
		FROM inspection_answers a JOIN inspection_items i ON i.id = a.item_id
		LEFT JOIN inspection_findings f ON f.sheet_id = a.sheet_id AND f.item_id = a.item_id
		WHERE a.sheet_id = $1 ORDER BY i.seq`, sh.ID)
	if err != nil {
		return nil, apperr.Wrap(err, "answers for findings")
	}
	type row struct {
		item         int64
		key, answer  string
		finding      int64
		findingState string
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.item, &r.key, &r.answer, &r.finding, &r.findingState); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "answers for findings")
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	today := now.In(i18n.Tokyo)
	var opened []string
	for _, r := range list {
		gap := r.answer == NotDone || r.answer == Partial
		days := NotDoneDueDays
		if r.answer == Partial {
			days = PartialDueDays
		}
		due := today.AddDate(0, 0, days).Format(time.DateOnly)
		switch {
		case gap && r.finding == 0:
			if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_findings (org_id, campaign_id, sheet_id, item_id, department_id, answer,
				owner_staff_id, due_on, state, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				who.OrgID, c.ID, sh.ID, r.item, store.NullID(sh.DepartmentID), r.answer, store.NullID(who.StaffID), due, FindingOpen, now); err != nil {
				return nil, apperr.Wrap(err, "insert finding")
			}
			opened = append(opened, r.key)
		case gap && r.findingState == FindingOpen:
			if _, err := tx.ExecContext(ctx, `UPDATE inspection_findings SET answer = $1, owner_staff_id = $2 WHERE id = $3`,
				r.answer, store.NullID(who.StaffID), r.finding); err != nil {
				return nil, apperr.Wrap(err, "update finding")
			}
		case !gap && r.findingState == FindingOpen:
			if _, err := tx.ExecContext(ctx, `UPDATE inspection_findings SET state = $1, closed_at = $2 WHERE id = $3`,
				FindingWithdrawn, now, r.finding); err != nil {
				return nil, apperr.Wrap(err, "withdraw finding")
			}
		}
	}
	return opened, nil
}
