package task

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/notify"
)

// Kinds of notice about tasks.
const (
	NoticeDueSoon = "task.due_soon" // a task is due within DueSoonDays
	NoticeOverdue = "task.overdue"  // a task is past its due date
)

// DueSoonDays is how many days before its due date the holders of a task are reminded of it.
const DueSoonDays = 7

// Reminder is one reminder the sweep sent.
type Reminder struct {
	OrgID      int64  `json:"org_id"`
	TaskID     int64  `json:"task_id"`
	Kind       string `json:"kind"`
	Due        string `json:"due"`
	Recipients int    `json:"recipients"`
}

// Remind tells the holders of each open task once when it is due within DueSoonDays, and when
// it is overdue once a week until it is done. The once-keys make a reminder sent by one
// process, or an earlier run, not sent again.
func (s *Service) Remind(ctx context.Context) ([]Reminder, error) {
	now := s.now()
	today := s.today()
	soon := now.In(jst).AddDate(0, 0, DueSoonDays).Format(time.DateOnly)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT t.id, t.org_id, t.role_id, t.department_id, t.system_ref, t.due_on, t.text
		FROM tasks t WHERE t.state = 'open' AND t.due_on <= $1 AND t.period_start <= $2 ORDER BY t.org_id, t.due_on, t.id`, soon, today)
	if err != nil {
		return nil, apperr.Wrap(err, "tasks to remind")
	}
	type due struct {
		id, org    int64
		role, sys  string
		dept       sql.NullInt64
		on, text   string
		kind, once string
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.org, &d.role, &d.dept, &d.sys, &d.on, &d.text); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "tasks to remind")
		}
		d.kind, d.once = NoticeDueSoon, "soon"
		if d.on < today {
			dueDay, _ := time.ParseInLocation(time.DateOnly, d.on, jst)
			weeks := int(now.Sub(dueDay).Hours()/24) / 7
			d.kind, d.once = NoticeOverdue, "overdue-"+itoa(weeks)
		}
		list = append(list, d)
	}
	rows.Close()
	// The reminders already sent: a reminder's once-key is at most a week old (a due-soon one
	// is sent within the week before the due date, an overdue one once in each week after it),
	// so the notices of the last eight days hold every one that could match.
	sent := map[string]bool{}
	rs, err := s.DB.SQL.QueryContext(ctx, `SELECT ref_id, kind, once_key FROM notices WHERE ref_type = 'task' AND once_key IS NOT NULL
		AND created_at >= $1`, now.AddDate(0, 0, -8))
	if err != nil {
		return nil, apperr.Wrap(err, "task reminders sent")
	}
	for rs.Next() {
		var id int64
		var kind, once string
		if err := rs.Scan(&id, &kind, &once); err != nil {
			rs.Close()
			return nil, apperr.Wrap(err, "task reminders sent")
		}
		sent[itoa(int(id))+"|"+kind+"|"+once] = true
	}
	rs.Close()
	var out []Reminder
	holders := map[int64]map[string][]Holder{}
	for _, d := range list {
		if sent[itoa(int(d.id))+"|"+d.kind+"|"+d.once] {
			continue
		}
		h, ok := holders[d.org]
		if !ok {
			if h, err = holdersOf(ctx, s.DB.SQL, d.org, today); err != nil {
				return out, err
			}
			holders[d.org] = h
		}
		var staff []int64
		for _, x := range h[d.role+"|"+scopeKey(d.dept.Int64, d.sys)] {
			staff = append(staff, x.StaffID)
		}
		if len(staff) == 0 {
			continue
		}
		subject := text("notice.task.due_soon", d.text)
		body := text("notice.task.due_soon_body", d.text, i18n.Day(d.on))
		if d.kind == NoticeOverdue {
			subject = text("notice.task.overdue", d.text)
			body = text("notice.task.overdue_body", d.text, i18n.Day(d.on))
		}
		err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notices WHERE org_id = $1 AND kind = $2 AND ref_type = 'task'
				AND ref_id = $3 AND once_key = $4`, d.org, d.kind, d.id, d.once).Scan(&n); err != nil || n > 0 {
				return err
			}
			err := notify.Notify(ctx, tx, notify.Notice{OrgID: d.org, Staff: staff, Kind: d.kind, Subject: subject, Body: body,
				Link: "/tasks/" + itoa(int(d.id)), Ref: notify.Ref{Type: "task", ID: d.id}, Once: d.once, At: now})
			if err != nil {
				return err
			}
			// Notify writes nothing when none of the holders can be reached (no account, no
			// address): only a notice written counts as sent.
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notices WHERE org_id = $1 AND kind = $2 AND ref_type = 'task'
				AND ref_id = $3 AND once_key = $4`, d.org, d.kind, d.id, d.once).Scan(&n); err != nil || n == 0 {
				return err
			}
			out = append(out, Reminder{OrgID: d.org, TaskID: d.id, Kind: d.kind, Due: d.on, Recipients: len(staff)})
			return nil
		})
		if err != nil {
			return out, apperr.Wrap(err, "remind task")
		}
	}
	return out, nil
}

func text(key string, args ...any) notify.Text {
	return notify.Text{Ja: i18n.T(i18n.Ja, key, args...), En: i18n.T(i18n.En, key, args...)}
}
