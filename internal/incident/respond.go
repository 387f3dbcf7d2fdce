package incident

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// act runs a change of an incident by one of its handlers in a transaction: change edits the
// incident (and may append to its timeline); the incident is saved at version and audited.
func (s *Service) act(ctx context.Context, who access.Actor, id int64, version int, action string,
	change func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error)) (Incident, error) {
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, p, err := s.mustHandle(ctx, tx, who, id)
		if err != nil {
			return err
		}
		before := in
		ev, err := change(tx, &in, p, now)
		if err != nil {
			return err
		}
		if err := save(ctx, tx, &in, version, now); err != nil {
			return err
		}
		if ev.Kind != "" {
			ev.RecordedAt = now
			if _, err := addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), ev); err != nil {
				return err
			}
		}
		before.Checklist, in.Checklist = nil, nil
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident." + action, Before: before, After: in})
		return err
	})
	if err != nil {
		return Incident{}, err
	}
	return s.Get(ctx, who, id)
}

// MeasureInput is an emergency measure taken (ネットワークの切断, 情報システムの停止 …): which of
// the pack's measures, under which of its conditions (indexes into Measure.Conditions), when.
type MeasureInput struct {
	Measure    string    `json:"measure"`
	Conditions []int     `json:"conditions"`
	At         time.Time `json:"at"`
	Note       string    `json:"note"`
}

// TakeMeasure records a measure decided by a holder of a role the pack gives it
// (Measure.Deciders; any handler when the pack names none), under at least one of its
// conditions, with the role it was taken in. It is a timeline entry; it does not change the incident's state.
func (s *Service) TakeMeasure(ctx context.Context, who access.Actor, id int64, m MeasureInput) (Event, error) {
	now := s.now()
	var out Event
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, p, err := s.mustHandle(ctx, tx, who, id)
		if err != nil {
			return err
		}
		var pm *policy.Measure
		for i := range p.Incident.Measures {
			if p.Incident.Measures[i].ID == m.Measure {
				pm = &p.Incident.Measures[i]
			}
		}
		if pm == nil {
			return apperr.InvalidField("measure", "incident.error.measure", m.Measure)
		}
		role, err := mayMeasure(p, who, in, *pm)
		if err != nil {
			return err
		}
		var v apperr.Validation
		at := checkAt(&v, "at", m.At, in.DetectedAt, now)
		checkText(&v, "note", &m.Note, maxText, false)
		var met []string
		for _, c := range m.Conditions {
			if c < 0 || c >= len(pm.Conditions) {
				v.Add("conditions", "incident.error.condition")
				break
			}
			met = append(met, pm.Conditions[c])
		}
		if len(met) == 0 && !v.Has("conditions") {
			v.Add("conditions", "incident.error.condition")
		}
		if err := v.Err(); err != nil {
			return err
		}
		out, err = addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "measure", At: at, RecordedAt: now, Text: m.Note,
			Data: map[string]any{"measure": pm.ID, "name": pm.Name, "conditions": met, "decided_by": role, "cite": pm.Cite.Article}})
		if err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident.measure", After: out})
		return err
	})
	return out, err
}

// AddNote appends an entry to the timeline: what happened when (対処経過の記録, 上毛町 4(6)).
// Handlers and the reporter add notes.
func (s *Service) AddNote(ctx context.Context, who access.Actor, id int64, at time.Time, body string) (Event, error) {
	now := s.now()
	var out Event
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, _, st, err := s.place(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if err := mayNote(st); err != nil {
			return err
		}
		var v apperr.Validation
		at = checkAt(&v, "at", at, in.DetectedAt, now)
		checkText(&v, "text", &body, maxText, true)
		if err := v.Err(); err != nil {
			return err
		}
		if out, err = addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "note", At: at, RecordedAt: now, Text: body}); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident.note", After: out})
		return err
	})
	return out, err
}

// Progress moves an incident on: contained (被害拡大の防止), recovered (復旧, with the monitoring
// period after it, 上毛町 4(8)) or closed (after the monitoring period and with its root cause).
type Progress struct {
	Version         int        `json:"version"`
	To              string     `json:"to"` // contained, recovered, closed
	At              time.Time  `json:"at"`
	MonitoringUntil *time.Time `json:"monitoring_until,omitempty"`
	Note            string     `json:"note"`
}

// Advance records a step of the response.
func (s *Service) Advance(ctx context.Context, who access.Actor, id int64, pr Progress) (Incident, error) {
	return s.act(ctx, who, id, pr.Version, pr.To, func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		var v apperr.Validation
		at := checkAt(&v, "at", pr.At, in.DetectedAt, now)
		checkText(&v, "note", &pr.Note, maxText, false)
		switch {
		case pr.To == Contained && in.State == Open:
			in.State, in.ContainedAt = Contained, &at
		case pr.To == Recovered && (in.State == Open || in.State == Contained):
			if in.ContainedAt == nil {
				in.ContainedAt = &at
			}
			if pr.MonitoringUntil != nil && !pr.MonitoringUntil.After(at) {
				v.Add("monitoring_until", "incident.error.monitoring")
			}
			in.State, in.RecoveredAt, in.MonitoringUntil = Recovered, &at, pr.MonitoringUntil
		case pr.To == Closed && in.State == Recovered:
			if in.MonitoringUntil != nil && in.MonitoringUntil.After(now) {
				v.Add("to", "incident.error.monitoring_running", *in.MonitoringUntil)
			}
			if in.RootCause == "" {
				v.Add("root_cause", "incident.error.required")
			}
			in.State, in.ClosedAt = Closed, &at
		default:
			v.Add("to", "incident.error.state", in.State)
		}
		if in.ContainedAt != nil && in.ContainedAt.Before(in.DetectedAt) {
			v.Add("at", "incident.error.before_detection")
		}
		data := map[string]any{}
		if pr.MonitoringUntil != nil {
			data["monitoring_until"] = pr.MonitoringUntil.UTC()
		}
		return Event{Kind: pr.To, At: at, Text: pr.Note, Data: data}, v.Err()
	})
}

// SetRootCause records the root cause found (原因究明, 岸和田市 10(2)①, 山形県 6.6(4)).
func (s *Service) SetRootCause(ctx context.Context, who access.Actor, id int64, version int, cause string) (Incident, error) {
	return s.act(ctx, who, id, version, "root_cause", func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		var v apperr.Validation
		checkText(&v, "root_cause", &cause, maxText, true)
		if in.State == Reported || in.State == NotIncident {
			v.Add("state", "incident.error.state", in.State)
		}
		in.RootCause = cause
		return Event{Kind: "root_cause", At: now, Text: cause}, v.Err()
	})
}

// AddHandler names a member of staff to handle an incident — the way a restricted incident
// reaches those it needs. Holders of organisation-wide security roles and the first recipients
// name handlers; those of a restricted incident are named by the organisation-wide security roles
// only.
func (s *Service) AddHandler(ctx context.Context, who access.Actor, id, staffID int64) error {
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, p, err := s.mustHandle(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if err := mayAddHandler(p, who, in); err != nil {
			return err
		}
		if ok, err := staffIn(ctx, tx, in.OrgID, staffID); err != nil {
			return err
		} else if !ok {
			return apperr.InvalidField("staff_id", "incident.error.staff")
		}
		if err := addHandler(ctx, tx, in, staffID, now); err != nil {
			return err
		}
		if _, err := addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "handler_added", At: now, RecordedAt: now,
			Data: map[string]any{"staff_id": staffID}}); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident.handler", After: map[string]any{"staff_id": staffID}})
		return err
	})
}

func addHandler(ctx context.Context, tx *sql.Tx, in Incident, staffID int64, now time.Time) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM incident_handlers WHERE incident_id = $1 AND staff_id = $2`, in.ID, staffID).Scan(&n); err != nil {
		return apperr.Wrap(err, "incident handler")
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO incident_handlers (org_id, incident_id, staff_id, added_at) VALUES ($1, $2, $3, $4)`,
		in.OrgID, in.ID, staffID, now); err != nil {
		return apperr.Wrap(err, "incident handler")
	}
	return nil
}
