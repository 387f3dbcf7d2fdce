package task

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Completion is what a holder gives to close a task: the evidence its duty names, and a note
// (required when the note is the evidence).
type Completion struct {
	Note           string  `json:"note"`
	File           *Upload `json:"-"`
	LogbookEntryID int64   `json:"logbook_entry_id"`
	Ticked         []int   `json:"ticked"` // indexes of the checklist items ticked
}

// MaxNote is the longest note, in characters.
const MaxNote = 4000

// Complete closes a task with its evidence. A task closed without the evidence its duty names
// is refused and nothing changes; the completion and its audit entry are written together.
func (s *Service) Complete(ctx context.Context, who access.Actor, id int64, in Completion) (Task, error) {
	t, err := s.Get(ctx, who, id)
	if err != nil {
		return t, err
	}
	if err := MayComplete(who, t); err != nil {
		return t, err
	}
	in.Note = strings.TrimSpace(in.Note)
	var v apperr.Validation
	if utf8.RuneCountInString(in.Note) > MaxNote {
		v.Add("note", "error.too_long", MaxNote)
	}
	var file *checkedFile
	switch t.Evidence {
	case policy.EvidenceNote:
		if in.Note == "" && !v.Has("note") {
			v.Add("note", "tasks.error.note")
		}
	case policy.EvidenceFile:
		if in.File == nil || len(in.File.Body) == 0 {
			v.Add("file", "tasks.error.file")
		} else if f, err := checkFile(*in.File); err != nil {
			return t, err
		} else {
			file = &f
		}
	case policy.EvidenceLogbook:
		if err := s.checkLogbookEntry(ctx, who, t, in.LogbookEntryID); err != nil {
			return t, err
		}
	case policy.EvidenceChecklist:
		in.Ticked = uniqueSorted(in.Ticked)
		ticked := map[int]bool{}
		for _, i := range in.Ticked {
			if i < 0 || i >= len(t.Checklist) {
				return t, apperr.InvalidField("ticked", "tasks.error.checklist_item", i+1)
			}
			ticked[i] = true
		}
		if missing := len(t.Checklist) - len(ticked); missing > 0 {
			v.Add("ticked", "tasks.error.checklist", missing)
		}
	}
	if err := v.Err(); err != nil {
		return t, err
	}
	if t.Evidence != policy.EvidenceLogbook {
		in.LogbookEntryID = 0
	}
	if t.Evidence != policy.EvidenceChecklist {
		in.Ticked = nil
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		ticked, _ := json.Marshal(in.Ticked)
		if in.Ticked == nil {
			ticked = []byte("[]")
		}
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET state = 'done', note = $1, ticked_json = $2, logbook_entry_id = $3,
			done_at = $4, done_by_user_id = $5, done_by_staff_id = $6, done_by_name = $7
			WHERE id = $8 AND org_id = $9 AND state = 'open'`,
			in.Note, string(ticked), store.NullID(in.LogbookEntryID), now, store.NullID(who.UserID), store.NullID(who.StaffID),
			who.Name, t.ID, who.OrgID)
		if err != nil {
			return apperr.Wrap(err, "complete task")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "tasks.error.closed")
		}
		after := map[string]any{"state": Done, "evidence": t.Evidence, "note": in.Note, "done_by": who.Name}
		if file != nil {
			f, err := insertFile(ctx, tx, who.OrgID, t.ID, *file, now)
			if err != nil {
				return err
			}
			after["file"] = f
		}
		if in.LogbookEntryID != 0 {
			after["logbook_entry_id"] = in.LogbookEntryID
		}
		if in.Ticked != nil {
			after["ticked"] = in.Ticked
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "task", EntityID: t.ID, Action: "task.complete",
			Before: map[string]any{"state": Open, "duty_id": t.DutyID, "period_start": t.PeriodStart, "due_on": t.DueOn}, After: after})
		return err
	})
	if err != nil {
		return t, err
	}
	return s.Get(ctx, who, id)
}

// checkLogbookEntry accepts an entry of the duty's logbook, written within the task's period,
// not superseded, that the completer may read.
func (s *Service) checkLogbookEntry(ctx context.Context, who access.Actor, t Task, id int64) error {
	if id <= 0 {
		return apperr.InvalidField("logbook_entry_id", "tasks.error.logbook_entry")
	}
	e, err := s.Logbooks.Get(ctx, who, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return apperr.InvalidField("logbook_entry_id", "tasks.error.logbook_missing", id)
	}
	if err != nil {
		return err
	}
	if e.Logbook != t.Logbook || e.SupersededBy != 0 {
		return apperr.InvalidField("logbook_entry_id", "tasks.error.logbook_other", id)
	}
	on := e.OccurredAt.In(jst).Format("2006-01-02")
	if on < t.PeriodStart || on > t.DueOn {
		return apperr.InvalidField("logbook_entry_id", "tasks.error.logbook_period", id)
	}
	return nil
}

func uniqueSorted(in []int) []int {
	if in == nil {
		return nil
	}
	seen := map[int]bool{}
	out := []int{}
	for _, i := range in {
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	sort.Ints(out)
	return out
}
