package request

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/notify"
)

// Reminder is one reminder the sweep sent: which request, what about, and to how many people.
type Reminder struct {
	OrgID      int64  `json:"org_id"`
	RequestID  int64  `json:"request_id"`
	Kind       string `json:"kind"` // notify.ReturnOverdue or NoticePostHocLate
	KindName   string `json:"kind_name"`
	Applicant  string `json:"applicant"`
	Due        string `json:"due"` // the return due date, or the report deadline (JST date)
	Recipients int    `json:"recipients"`
}

// Remind reminds, once a day per request, of what is late in every organisation: returnable
// requests whose assets are still out after their due date (the applicant and the deciders of
// the route, who answer for the assets), and reports after the fact still undecided after their
// deadline (the applicant and the deciders of the step it waits on). A reminder's once-key is
// the JST day, so that sweeps run by several processes, or again the same day, send nothing
// twice; each request is reminded in a transaction of its own.
func (s *Service) Remind(ctx context.Context) ([]Reminder, error) {
	orgs, err := s.orgIDs(ctx)
	if err != nil {
		return nil, err
	}
	var out []Reminder
	for _, orgID := range orgs {
		sent, err := s.remindOrg(ctx, orgID)
		out = append(out, sent...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func (s *Service) orgIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id FROM organizations ORDER BY id`)
	if err != nil {
		return nil, apperr.Wrap(err, "organizations")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, apperr.Wrap(err, "organizations")
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// remindOrg sends the reminders of one organisation. An organisation without a pack has no
// requests to remind of.
func (s *Service) remindOrg(ctx context.Context, orgID int64) ([]Reminder, error) {
	p, err := s.Policy.Required(ctx, orgID)
	if apperr.CodeOf(err) == apperr.Conflict {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now, today := s.now(), s.today()
	// Requests reminded of today already are left out here, so that the sweeps after the day's
	// first read only what is newly late.
	const notYet = ` AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.org_id = r.org_id AND n.kind = $3 AND n.ref_type = 'request'
		AND n.ref_id = r.id AND n.once_key = $4)`
	overdue, err := s.query(ctx, `SELECT `+columns+from+`WHERE r.org_id = $1 AND r.state IN ('taken_out', 'lent')
		AND r.returned_on = '' AND r.due_on <> '' AND r.due_on < $2`+notYet+` ORDER BY r.due_on, r.id`, orgID, today, notify.ReturnOverdue, today)
	if err != nil {
		return nil, err
	}
	late, err := s.query(ctx, `SELECT `+columns+from+`WHERE r.org_id = $1 AND r.state = 'pending' AND r.post_hoc
		AND r.report_due_at < $2`+notYet+` ORDER BY r.report_due_at, r.id`, orgID, now, NoticePostHocLate, today)
	if err != nil {
		return nil, err
	}
	var out []Reminder
	for _, r := range append(overdue, late...) {
		rem := Reminder{OrgID: orgID, RequestID: r.ID, Kind: notify.ReturnOverdue, KindName: r.KindName, Applicant: r.ApplicantName, Due: r.DueOn}
		var ds []Decider
		for _, st := range r.Route.Steps {
			ds = append(ds, st.Deciders...)
		}
		subject := text("notice.request.return_overdue", r.KindName, r.ApplicantName)
		body := text("notice.request.return_overdue_body", r.KindName, r.ApplicantName, i18n.Day(r.DueOn))
		if r.State == Pending {
			rem.Kind, rem.Due = NoticePostHocLate, r.ReportDueAt.In(jst).Format(time.DateOnly)
			ds = r.Route.Steps[r.Step].Deciders
			subject = text("notice.request.post_hoc_overdue", r.KindName, r.ApplicantName)
			body = text("notice.request.post_hoc_overdue_body", r.ApplicantName, r.KindName, i18n.Day(rem.Due))
		}
		err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
			// Sweeps of other processes remind of the same request one after the other: the row
			// lock taken here makes the second wait for the first to commit, and then see its
			// notice below.
			if _, err := tx.ExecContext(ctx, `UPDATE requests SET version = version WHERE id = $1 AND org_id = $2`, r.ID, r.OrgID); err != nil {
				return apperr.Wrap(err, "remind")
			}
			if done, err := reminded(ctx, tx, r.OrgID, rem.Kind, r.ID, today); err != nil || done {
				return err
			}
			staff, err := s.deciders(ctx, tx, p, r, ds)
			if err != nil {
				return err
			}
			staff = append(staff, r.ApplicantStaffID)
			rem.Recipients = len(staff)
			return notify.Notify(ctx, tx, notify.Notice{OrgID: r.OrgID, Staff: staff, Kind: rem.Kind, Subject: subject, Body: body,
				Link: noticeLinkPrefix + itoa(int(r.ID)), Ref: notify.Ref{Type: noticeRefType, ID: r.ID}, Once: today, At: now})
		})
		if err != nil {
			return out, err
		}
		if rem.Recipients > 0 {
			out = append(out, rem)
		}
	}
	return out, nil
}

// reminded reports whether today's reminder of a request was sent already (by this sweep or
// another process's); notify would write nothing again, and the sweep reports only what it sent.
func reminded(ctx context.Context, tx *sql.Tx, orgID int64, kind string, id int64, day string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notices WHERE org_id = $1 AND kind = $2 AND ref_type = $3 AND ref_id = $4
		AND once_key = $5`, orgID, kind, noticeRefType, id, day).Scan(&n)
	if err != nil {
		return false, apperr.Wrap(err, "reminded")
	}
	return n > 0, nil
}
