package incident

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Tick is a report made: when, by what means, and a note (who was reached, what was said).
type Tick struct {
	At    time.Time `json:"at"`
	Means string    `json:"means"` // phone, mail, in_person, fax, system, other
	Note  string    `json:"note"`
}

// mayTell reports whether the actor may record the reports of From: the holders of From's role
// over the incident; for the finder of the incident, its reporter; the program itself.
func mayTell(p *policy.Compiled, who access.Actor, in Incident, from string) bool {
	switch {
	case who.IsSystem():
		return true
	case finderContact(p, from):
		return who.StaffID != 0 && (who.StaffID == in.ReporterID || firstRecipient(p, who, in))
	default:
		return holdsContact(p, who, from, in)
	}
}

// TickOff records that a report of the checklist was made. Only whoever must make it (the
// holder of its From's role) records it; the time may not be in the future nor before the
// incident was detected. The deadlines of the reports the person told now owes start running.
func (s *Service) TickOff(ctx context.Context, who access.Actor, id, stepID int64, t Tick) (ChecklistStep, error) {
	return s.settle(ctx, who, id, stepID, "done", t)
}

// Skip records that a report of the checklist is not needed for this incident (a step the
// source makes 必要に応じて), with the reason as its note.
func (s *Service) Skip(ctx context.Context, who access.Actor, id, stepID int64, reason string) (ChecklistStep, error) {
	return s.settle(ctx, who, id, stepID, "skipped", Tick{Note: reason})
}

func (s *Service) settle(ctx context.Context, who access.Actor, id, nid int64, state string, t Tick) (ChecklistStep, error) {
	now := s.now()
	var out ChecklistStep
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, p, st, err := s.place(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if st < reporter {
			return forbidden("step", "incident.error.not_handler") // not told which lines there are
		}
		var n *ChecklistStep
		for i := range in.Checklist {
			if in.Checklist[i].ID == nid {
				n = &in.Checklist[i]
			}
		}
		if n == nil {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err := mayTick(p, who, in, st, *n); err != nil {
			return err
		}
		var v apperr.Validation
		at := now
		if state == "done" {
			at = checkAt(&v, "at", t.At, in.DetectedAt, now)
			if !contains(Means, t.Means) {
				v.Add("means", "incident.error.means")
			}
		}
		checkText(&v, "note", &t.Note, maxText, state == "skipped")
		if err := v.Err(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE incident_checklist_steps SET state = $1, done_at = $2, means = $3, done_by_staff_id = $4,
			note = $5, recorded_at = $6 WHERE id = $7 AND state = 'open'`, state, at, t.Means, store.NullID(who.StaffID), t.Note, now, nid)
		if err != nil {
			return apperr.Wrap(err, "tick")
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return apperr.New(apperr.Conflict, "incident.error.stale")
		}
		if err := schedule(ctx, tx, p, in, now); err != nil {
			return err
		}
		kind := "notified"
		if state == "skipped" {
			kind = "step_skipped"
		}
		if _, err := addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: kind, At: at, RecordedAt: now, Text: t.Note,
			Data: map[string]any{"step_id": nid, "from": n.From, "to": n.To, "to_name": n.ToName, "means": t.Means}}); err != nil {
			return err
		}
		list, err := checklist(ctx, tx, in.ID, now)
		if err != nil {
			return err
		}
		for _, x := range list {
			if x.ID == nid {
				out = x
			}
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident." + kind, Before: *n, After: out}); err != nil {
			return err
		}
		return s.tellChecklist(ctx, tx, p, in, now)
	})
	return out, err
}
