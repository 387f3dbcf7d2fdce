package demo

import (
	"fmt"
	"time"

	"mamori/internal/access"
	"mamori/internal/i18n"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/task"
)

// The demo's recurring duties (定期業務): the year's tasks of whatever duties the pack marks as
// recurring, made for the roles as the demo holds them; of those already due, most are closed
// by a holder with the evidence the duty names, and every fourth is left overdue, so that the
// desks, the calendar and the committee report show both. A task whose logbook has no entry in
// its period stays overdue too. The previous fiscal year is made and followed the same way, so
// that the calendar is never empty and a pack whose duties are all yearly (土岐市) shows an
// overdue task as well as done ones.

// demoPDF is the file the demo's holders attach: a one-line PDF.
var demoPDF = []byte("%PDF-1.4\n% demo record\n")

// tasks makes and follows the demo's tasks.
func (b *builder) tasks(p *policy.Compiled) error {
	if len(p.RecurringDuties()) == 0 {
		return nil
	}
	now := b.s.Now()
	fy := task.FiscalYear(now)
	years := []int{fy - 1, fy}
	holders, err := b.taskHolders(p, now)
	if err != nil {
		return err
	}
	for _, y := range years {
		if _, err := b.s.Tasks.Generate(b.ctx, b.sys.OrgID, y); err != nil {
			return fmt.Errorf("demo tasks %d: %w", y, err)
		}
		due, _, err := b.s.Tasks.List(b.ctx, b.sys, task.Filter{FiscalYear: y, Status: task.StatusOverdue, Limit: task.MaxLimit})
		if err != nil {
			return err
		}
		for i, t := range due {
			if i%4 == 3 {
				continue // left overdue
			}
			for _, who := range holders {
				if task.MayComplete(who, t) != nil {
					continue
				}
				in, ok, err := b.evidenceFor(who, t)
				if err != nil {
					return err
				}
				if ok {
					if _, err := b.s.Tasks.Complete(b.ctx, who, t.ID, in); err != nil {
						return fmt.Errorf("demo task %d (%s): %w", t.ID, t.DutyID, err)
					}
				}
				break
			}
		}
	}
	return nil
}

// taskHolders are the demo's role holders who sign in, as the task service sees them: with
// their account, today's grants and the marks the pack gives their roles.
func (b *builder) taskHolders(p *policy.Compiled, now time.Time) ([]access.Actor, error) {
	day := now.In(i18n.Tokyo).Format(time.DateOnly)
	marks := orgpolicy.MarksOf(p)
	var out []access.Actor
	for _, m := range b.logins() {
		if len(m.roles) == 0 {
			continue
		}
		u, err := b.s.Auth.UserByLogin(b.ctx, m.login)
		if err != nil {
			continue // an account the demo did not make
		}
		grants, err := org.GrantsOf(b.ctx, b.s.DB.SQL, b.sys.OrgID, m.id, day)
		if err != nil {
			return nil, err
		}
		for i, g := range grants {
			grants[i] = g.Marked(marks[g.RoleID])
		}
		out = append(out, access.Actor{OrgID: b.sys.OrgID, UserID: u.ID, StaffID: m.id, DepartmentID: b.depts[m.dept],
			Login: m.login, Name: m.name, Roles: grants})
	}
	return out, nil
}

// evidenceFor is what a holder closes a task with; ok is false when the duty's logbook has no
// entry of the period the holder reads.
func (b *builder) evidenceFor(who access.Actor, t task.Task) (task.Completion, bool, error) {
	in := task.Completion{Note: "実施し、結果を確認した。"}
	switch t.Evidence {
	case policy.EvidenceFile:
		in.File = &task.Upload{Name: t.DutyID + "-" + t.PeriodStart + ".pdf", Body: demoPDF}
	case policy.EvidenceChecklist:
		for i := range t.Checklist {
			in.Ticked = append(in.Ticked, i)
		}
	case policy.EvidenceLogbook:
		entries, _, err := b.s.Logbooks.List(b.ctx, who, logbook.Filter{Logbook: t.Logbook, From: t.PeriodStart, To: t.DueOn, Limit: 1})
		if err != nil || len(entries) == 0 {
			return in, false, err
		}
		in.LogbookEntryID = entries[0].ID
	}
	return in, true, nil
}
