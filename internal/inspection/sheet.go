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
	"mamori/internal/policy"
	"mamori/internal/store"
)

// place loads a campaign's sheet with what deciding the actor's standing needs; a sheet the actor
// may not read is not found.
func (s *Service) place(ctx context.Context, q store.Querier, who access.Actor, campaignID, sheetID int64) (Campaign, Sheet, *policy.Compiled, standing, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Campaign{}, Sheet{}, nil, none, err
	}
	c, err := readCampaign(ctx, q, who.OrgID, campaignID)
	if err != nil {
		return c, Sheet{}, nil, none, err
	}
	sh, err := readSheet(ctx, q, who.OrgID, campaignID, sheetID)
	if err != nil {
		return c, sh, nil, none, err
	}
	st := standingOf(p, who, sh)
	if st == none {
		return c, sh, nil, none, apperr.New(apperr.NotFound, "error.not_found")
	}
	if sh.DepartmentID == 0 {
		if r, ok := p.Role(sh.RoleID); ok {
			sh.RoleName = r.Name
		}
	}
	list := []Sheet{sh}
	if err := countSheets(ctx, q, campaignID, list); err != nil {
		return c, sh, nil, none, err
	}
	return c, list[0], p, st, nil
}

// View returns a sheet with every item's answer and what the actor may do with it.
func (s *Service) View(ctx context.Context, who access.Actor, campaignID, sheetID int64) (SheetView, error) {
	c, sh, p, st, err := s.place(ctx, s.DB.SQL, who, campaignID, sheetID)
	if err != nil {
		return SheetView{}, err
	}
	v := SheetView{Campaign: c, Sheet: sh, Acts: actsOf(st, who, c, sh, s.now())}
	if v.Sheet.Answerers, err = s.answerers(ctx, s.DB.SQL, p, who.OrgID, sh); err != nil {
		return v, err
	}
	all, err := items(ctx, s.DB.SQL, campaignID)
	if err != nil {
		return v, err
	}
	got, err := answersOf(ctx, s.DB.SQL, sheetID)
	if err != nil {
		return v, err
	}
	for _, it := range all {
		if !it.on(sh) {
			continue
		}
		a := got[it.ID]
		a.Item = it
		v.Answers = append(v.Answers, a)
	}
	return v, nil
}

func answersOf(ctx context.Context, q store.Querier, sheetID int64) (map[int64]Answer, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.item_id, a.answer, a.comment, COALESCE(a.evidence_id, 0), COALESCE(e.name, ''),
		COALESCE(st.name, ''), a.answered_at
		FROM inspection_answers a LEFT JOIN inspection_evidence e ON e.id = a.evidence_id LEFT JOIN staff st ON st.id = a.answered_by_staff_id
		WHERE a.sheet_id = $1`, sheetID)
	if err != nil {
		return nil, apperr.Wrap(err, "answers")
	}
	defer rows.Close()
	out := map[int64]Answer{}
	for rows.Next() {
		var id int64
		var a Answer
		if err := rows.Scan(&id, &a.Answer, &a.Comment, &a.EvidenceID, &a.Evidence, &a.AnsweredBy, &a.AnsweredAt); err != nil {
			return nil, apperr.Wrap(err, "answers")
		}
		a.AnsweredAt = a.AnsweredAt.UTC()
		out[id] = a
	}
	return out, rows.Err()
}

// Given is one item's answer as it is given: the item's number on the sheet (Seq), the answer,
// a comment, and optionally an evidence file.
type Given struct {
	Seq      int          `json:"seq"`
	Answer   string       `json:"answer"`
	Comment  string       `json:"comment"`
	Evidence *NewEvidence `json:"-"`
}

// MaxComment is the longest comment an answer takes.
const MaxComment = 2000

// Save records answers on a sheet: all of them or none. An answer left empty leaves the item as
// it was.
func (s *Service) Save(ctx context.Context, who access.Actor, campaignID, sheetID int64, given []Given) (SheetView, error) {
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		c, sh, _, st, err := s.place(ctx, tx, who, campaignID, sheetID)
		if err != nil {
			return err
		}
		if err := mayAnswer(st, who, c, sh, now); err != nil {
			return err
		}
		all, err := items(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		bySeq := map[int]Item{}
		for _, it := range all {
			if it.on(sh) {
				bySeq[it.Seq] = it
			}
		}
		v := &apperr.Validation{}
		for i := range given {
			g := &given[i]
			field := "answers." + itoa(g.Seq)
			g.Comment = strings.TrimSpace(g.Comment)
			if _, ok := bySeq[g.Seq]; !ok {
				v.Add(field, "inspection.error.no_item", g.Seq)
				continue
			}
			if g.Answer != "" && !slices.Contains(Answers, g.Answer) {
				v.Add(field, "inspection.error.answer", g.Seq)
			}
			if g.Answer == "" && (g.Comment != "" || g.Evidence != nil) {
				v.Add(field, "inspection.error.answer_missing", g.Seq)
			}
			if utf8.RuneCountInString(g.Comment) > MaxComment {
				v.Add(field+".comment", "error.too_long", MaxComment)
			}
			if (g.Answer == NotDone || g.Answer == Partial) && g.Comment == "" {
				v.Add(field+".comment", "inspection.error.comment_needed", g.Seq)
			}
			if g.Evidence != nil {
				if err := checkEvidence(g.Evidence); err != nil {
					v.Add(field+".evidence", apperr.As(err).Key, g.Seq)
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		var changed []map[string]any
		for _, g := range given {
			if g.Answer == "" {
				continue
			}
			it := bySeq[g.Seq]
			var ev int64
			if g.Evidence != nil {
				if ev, err = storeEvidence(ctx, tx, who, sheetID, g.Evidence, now); err != nil {
					return err
				}
			}
			if err := upsertAnswer(ctx, tx, who, sheetID, it.ID, g, ev, now); err != nil {
				return err
			}
			changed = append(changed, map[string]any{"seq": g.Seq, "item": it.Key, "article": it.Article, "answer": g.Answer, "comment": g.Comment, "evidence_id": ev})
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_sheets SET version = version + 1, updated_at = $1 WHERE id = $2`, now, sheetID); err != nil {
			return apperr.Wrap(err, "sheet version")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "inspection_sheet", EntityID: sheetID, Action: "inspection.answer",
			After: map[string]any{"campaign_id": campaignID, "answers": changed}})
		return err
	})
	if err != nil {
		return SheetView{}, err
	}
	return s.View(ctx, who, campaignID, sheetID)
}

func upsertAnswer(ctx context.Context, tx *sql.Tx, who access.Actor, sheetID, itemID int64, g Given, ev int64, now time.Time) error {
	q := `UPDATE inspection_answers SET answer = $1, comment = $2, answered_by_staff_id = $3, answered_at = $4 WHERE sheet_id = $5 AND item_id = $6`
	args := []any{g.Answer, g.Comment, store.NullID(who.StaffID), now, sheetID, itemID}
	if ev != 0 {
		q = `UPDATE inspection_answers SET answer = $1, comment = $2, answered_by_staff_id = $3, answered_at = $4, evidence_id = $7
			WHERE sheet_id = $5 AND item_id = $6`
		args = append(args, ev)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return apperr.Wrap(err, "update answer")
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO inspection_answers (org_id, sheet_id, item_id, answer, comment, evidence_id, answered_by_staff_id, answered_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, who.OrgID, sheetID, itemID, g.Answer, g.Comment, store.NullID(ev), store.NullID(who.StaffID), now); err != nil {
		return apperr.Wrap(err, "insert answer")
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
