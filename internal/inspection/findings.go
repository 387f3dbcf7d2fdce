package inspection

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// Finding is a 未実施 or 一部 answer to be put right: its item and article, the department (or
// role) whose sheet it is on, its owner — who submitted the sheet, the department's 情報セキュリティ
// 管理者 — and its due date; closed with a note of what was done and, where there is one, an
// evidence file.
type Finding struct {
	ID             int64  `json:"id"`
	CampaignID     int64  `json:"campaign_id"`
	CampaignTitle  string `json:"campaign_title"`
	FiscalYear     int    `json:"fiscal_year"`
	SheetID        int64  `json:"sheet_id"`
	DepartmentID   int64  `json:"department_id,omitempty"`
	DepartmentName string `json:"department_name,omitempty"`
	RoleID         string `json:"role_id,omitempty"`
	// Name is the department's name, or the role's for a finding of a role's sheet.
	Name       string     `json:"name"`
	Question   string     `json:"question"`
	Article    string     `json:"article"`
	Chapter    string     `json:"chapter"`
	Answer     string     `json:"answer"`
	Owner      string     `json:"owner"`
	DueOn      string     `json:"due_on"`
	State      string     `json:"state"`
	CloseNote  string     `json:"close_note,omitempty"`
	EvidenceID int64      `json:"evidence_id,omitempty"`
	OpenedAt   time.Time  `json:"opened_at"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	// Overdue reports whether it is open past its due date.
	Overdue bool `json:"overdue"`
	// CanClose reports whether the actor may close it.
	CanClose bool `json:"can_close"`
}

// FindingFilter narrows the findings list.
type FindingFilter struct {
	State string // open (default), closed, all
	Limit int    // at most 500; 100 when 0
}

const findingCols = `f.id, f.campaign_id, c.title, c.fiscal_year, f.sheet_id, COALESCE(f.department_id, 0), COALESCE(d.name, ''),
	s.role_id, i.question, i.article, i.chapter, f.answer, COALESCE(o.name, ''), f.due_on, f.state, f.close_note,
	COALESCE(f.close_evidence_id, 0), f.opened_at, f.closed_at`

const findingFrom = ` FROM inspection_findings f JOIN inspection_campaigns c ON c.id = f.campaign_id
	JOIN inspection_sheets s ON s.id = f.sheet_id JOIN inspection_items i ON i.id = f.item_id
	LEFT JOIN departments d ON d.id = f.department_id LEFT JOIN staff o ON o.id = f.owner_staff_id`

func scanFinding(sc interface{ Scan(...any) error }) (Finding, error) {
	var f Finding
	var closed sql.NullTime
	err := sc.Scan(&f.ID, &f.CampaignID, &f.CampaignTitle, &f.FiscalYear, &f.SheetID, &f.DepartmentID, &f.DepartmentName,
		&f.RoleID, &f.Question, &f.Article, &f.Chapter, &f.Answer, &f.Owner, &f.DueOn, &f.State, &f.CloseNote,
		&f.EvidenceID, &f.OpenedAt, &closed)
	f.OpenedAt = f.OpenedAt.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		f.ClosedAt = &t
	}
	return f, err
}

// Findings lists the findings of the sheets the actor reads, the earliest due first.
func (s *Service) Findings(ctx context.Context, who access.Actor, ff FindingFilter) ([]Finding, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return []Finding{}, err
	}
	conds := []string{"f.org_id = $1"}
	args := []any{who.OrgID}
	switch ff.State {
	case "", FindingOpen:
		conds = append(conds, "f.state = 'open'")
	case FindingClosed:
		conds = append(conds, "f.state <> 'open'")
	case "all":
	default:
		return nil, apperr.InvalidField("state", "error.choose")
	}
	if !seesAll(p, who) {
		cond, a := mine(p, who, len(args))
		if cond == "" {
			return []Finding{}, nil
		}
		args = append(args, a...)
		conds = append(conds, cond)
	}
	if ff.Limit <= 0 || ff.Limit > 500 {
		ff.Limit = 100
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+findingCols+findingFrom+` WHERE `+strings.Join(conds, " AND ")+`
		ORDER BY f.state, f.due_on, f.id LIMIT `+itoa(ff.Limit), args...)
	if err != nil {
		return nil, apperr.Wrap(err, "findings")
	}
	defer rows.Close()
	out := []Finding{}
	today := jstDay(s.now())
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "findings")
		}
		f.Name = f.DepartmentName
		if r, ok := p.Role(f.RoleID); ok && f.DepartmentID == 0 {
			f.Name = r.Name
		}
		f.Overdue = f.State == FindingOpen && f.DueOn < today
		st := standingOf(p, who, Sheet{DepartmentID: f.DepartmentID, RoleID: f.RoleID})
		f.CanClose = mayCloseFinding(st, who, f) == nil
		out = append(out, f)
	}
	return out, rows.Err()
}

// CloseFinding closes a finding with a note of what was done and, optionally, an evidence file.
func (s *Service) CloseFinding(ctx context.Context, who access.Actor, id int64, note string, ev *NewEvidence) (Finding, error) {
	now := s.now()
	note = strings.TrimSpace(note)
	var f Finding
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		p, err := s.Policy.Required(ctx, who.OrgID)
		if err != nil {
			return err
		}
		f, err = scanFinding(tx.QueryRowContext(ctx, `SELECT `+findingCols+findingFrom+` WHERE f.org_id = $1 AND f.id = $2`, who.OrgID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err != nil {
			return apperr.Wrap(err, "finding")
		}
		st := standingOf(p, who, Sheet{DepartmentID: f.DepartmentID, RoleID: f.RoleID})
		if st == none {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err := mayCloseFinding(st, who, f); err != nil {
			return err
		}
		v := &apperr.Validation{}
		if note == "" {
			v.Add("note", "inspection.error.close_note")
		} else if utf8.RuneCountInString(note) > MaxComment {
			v.Add("note", "error.too_long", MaxComment)
		}
		if ev != nil {
			if err := checkEvidence(ev); err != nil {
				v.Add("evidence", apperr.As(err).Key)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		var evID int64
		if ev != nil {
			if evID, err = storeEvidence(ctx, tx, who, f.SheetID, ev, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_findings SET state = $1, close_note = $2, close_evidence_id = $3,
			closed_by_staff_id = $4, closed_at = $5 WHERE id = $6`, FindingClosed, note, store.NullID(evID), store.NullID(who.StaffID), now, id); err != nil {
			return apperr.Wrap(err, "close finding")
		}
		f.State, f.CloseNote, f.EvidenceID, f.ClosedAt = FindingClosed, note, evID, &now
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "inspection_finding", EntityID: id, Action: "inspection.finding_close",
			Before: map[string]any{"state": FindingOpen}, After: map[string]any{"state": FindingClosed, "note": note, "evidence_id": evID}})
		return err
	})
	return f, err
}

// OpenFindings counts the open findings of the sheets the actor reads, and how many of them are
// overdue (for the desk).
func (s *Service) OpenFindings(ctx context.Context, who access.Actor) (open, overdue int, err error) {
	list, err := s.Findings(ctx, who, FindingFilter{Limit: 500})
	if err != nil {
		return 0, 0, err
	}
	for _, f := range list {
		open++
		if f.Overdue {
			overdue++
		}
	}
	return open, overdue, nil
}
