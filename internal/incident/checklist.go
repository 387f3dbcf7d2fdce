package incident

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// The escalation checklist is drawn from the pack when an incident is triaged and kept with the
// incident, so that a later change of the pack does not rewrite what was owed:
//
//  1. every step of each route chosen at triage (the pack's first route by default), one line for
//     each contact the step tells, in the route's order;
//  2. then each contact of the incident's category (上毛町 4(1)) not already told by the same
//     contact, told by the category's From (or the first of the first recipients).
//
// A line's deadline (policy.DeadlineOf: 直ちに 1 hour, 速やかに 24 hours, within_minutes when the
// pack gives it) runs from when its From was told: for the finder of the incident from its
// detection, for a first recipient from the report, for a contact the checklist tells from the
// first time they were told, and for anyone else from the triage. Lines from the finder to a first
// recipient are done by the report itself (means "system").

// line is a checklist line before it is stored.
type line struct {
	source, from, to, action, within, cite string
	minutes                                int
}

func buildChecklist(p *policy.Compiled, in Incident) []line {
	var out []line
	seen := map[string]bool{}
	add := func(l line) {
		if k := l.from + ">" + l.to; !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	for _, id := range in.Routes {
		for _, r := range p.Incident.Routes {
			if r.ID != id {
				continue
			}
			for j, st := range r.Steps {
				for _, to := range st.To {
					add(line{source: "route:" + r.ID + "#" + strconv.Itoa(j+1), from: st.From, to: to, action: st.Action,
						within: st.Within, minutes: st.WithinMinutes, cite: r.Cite.Article})
				}
			}
		}
	}
	for _, c := range p.Incident.Categories {
		if c.ID != in.Category {
			continue
		}
		from := c.From
		if rs := p.Incident.Recipients(); from == "" && len(rs) > 0 {
			from = rs[0]
		}
		for _, to := range c.Notify {
			add(line{source: "category:" + c.ID, from: from, to: to, action: c.Name, within: c.Within, minutes: c.WithinMinutes, cite: c.Cite.Article})
		}
	}
	return out
}

// finderContact reports whether a contact stands for whoever found the incident: a contact of
// no role that is not an outside body (発見者, インシデントを認知した担当者), or of the role every
// member of staff holds (職員等).
func finderContact(p *policy.Compiled, id string) bool {
	c, ok := p.Contact(id)
	if !ok || c.External {
		return false
	}
	if c.Role == "" {
		return true
	}
	r, _ := p.Role(c.Role)
	return r.AllStaff
}

// storeChecklist writes an incident's checklist at triage.
func storeChecklist(ctx context.Context, tx *sql.Tx, p *policy.Compiled, in Incident, lines []line) error {
	recipients := p.Incident.Recipients()
	for i, l := range lines {
		c, _ := p.Contact(l.to)
		state, means := "open", ""
		var doneAt any
		if finderContact(p, l.from) && contains(recipients, l.to) {
			state, means, doneAt = "done", "system", in.ReportedAt
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO incident_checklist_steps (org_id, incident_id, seq, source, from_contact, to_contact,
			to_name, external, action, within_words, within_minutes, cite, state, done_at, means, done_by_staff_id, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			in.OrgID, in.ID, i+1, l.source, l.from, l.to, c.Name, c.External, l.action, l.within, l.minutes, l.cite, state, doneAt, means,
			store.NullID(func() int64 {
				if state == "done" {
					return in.ReporterID
				}
				return 0
			}()), doneAt)
		if err != nil {
			return apperr.Wrap(err, "incident checklist")
		}
	}
	return nil
}

// checklist returns an incident's checklist steps in order, with what is overdue at now.
func checklist(ctx context.Context, q store.Querier, id int64, now time.Time) ([]ChecklistStep, error) {
	return querySteps(ctx, q, now, `WHERE n.incident_id = $1 ORDER BY n.seq`, id)
}

func querySteps(ctx context.Context, q store.Querier, now time.Time, where string, args ...any) ([]ChecklistStep, error) {
	rows, err := q.QueryContext(ctx, `SELECT n.id, n.incident_id, i.title, n.seq, n.source, n.from_contact, n.to_contact, n.to_name,
		n.external, n.action, n.within_words, n.within_minutes, n.cite, n.due_at, n.state, n.done_at, n.means,
		COALESCE(n.done_by_staff_id, 0), n.note FROM incident_checklist_steps n JOIN incidents i ON i.id = n.incident_id `+where, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "incident checklist")
	}
	defer rows.Close()
	var out []ChecklistStep
	for rows.Next() {
		var n ChecklistStep
		var due, done sql.NullTime
		if err := rows.Scan(&n.ID, &n.IncidentID, &n.IncidentTitle, &n.Seq, &n.Source, &n.From, &n.To, &n.ToName, &n.External, &n.Action,
			&n.Within, &n.WithinMinutes, &n.Cite, &due, &n.State, &done, &n.Means, &n.DoneByID, &n.Note); err != nil {
			return nil, apperr.Wrap(err, "incident checklist")
		}
		n.DueAt, n.DoneAt = ptr(due), ptr(done)
		n.Overdue = n.State == "open" && n.DueAt != nil && n.DueAt.Before(now)
		out = append(out, n)
	}
	return out, rows.Err()
}

// schedule sets the deadline of every open line whose From has now been told (see above), and
// clears none: a deadline once running keeps running.
func schedule(ctx context.Context, tx *sql.Tx, p *policy.Compiled, in Incident, now time.Time) error {
	list, err := checklist(ctx, tx, in.ID, now)
	if err != nil {
		return err
	}
	recipients := p.Incident.Recipients()
	toldAt := map[string]time.Time{}
	owed := map[string]bool{}
	for _, n := range list {
		owed[n.To] = true
		if n.State == "done" && n.DoneAt != nil {
			if t, ok := toldAt[n.To]; !ok || n.DoneAt.Before(t) {
				toldAt[n.To] = *n.DoneAt
			}
		}
	}
	for _, n := range list {
		if n.State != "open" || n.DueAt != nil {
			continue
		}
		allowed, ok := policy.DeadlineOf(n.WithinMinutes, n.Within)
		if !ok {
			continue
		}
		var base time.Time
		switch t, told := toldAt[n.From]; {
		case finderContact(p, n.From):
			base = in.DetectedAt
		case contains(recipients, n.From):
			base = in.ReportedAt
		case told:
			base = t
		case owed[n.From]:
			continue // From waits to be told
		case in.TriagedAt != nil:
			base = *in.TriagedAt
		default:
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_checklist_steps SET due_at = $1 WHERE id = $2 AND due_at IS NULL`,
			base.Add(allowed).UTC(), n.ID); err != nil {
			return apperr.Wrap(err, "incident deadline")
		}
	}
	return nil
}
