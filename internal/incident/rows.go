package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

const columns = `i.id, i.org_id, i.title, i.state, COALESCE(i.department_id, 0), COALESCE(i.reporter_staff_id, 0),
	COALESCE(s.name, ''), i.outside_reporter, i.outside_contact, i.report_json, i.detected_at, i.reported_at, i.is_incident,
	i.category, i.severity, i.routes_json, i.systems_json, i.restricted, i.triaged_at, COALESCE(i.triaged_by_staff_id, 0),
	i.contained_at, i.recovered_at, i.monitoring_until, i.closed_at, i.root_cause, i.plan_json, i.publication_json,
	i.crime_json, COALESCE(i.upward_org_id, 0), i.upward_at, i.version, i.created_at, i.updated_at`

const from = ` FROM incidents i LEFT JOIN staff s ON s.id = i.reporter_staff_id `

type scanner interface{ Scan(dest ...any) error }

func scan(sc scanner) (Incident, error) {
	var in Incident
	var outsider, contact, report, routes, systems, plan, pub, crime string
	var isInc sql.NullBool
	var triaged, contained, recovered, monitoring, closed, upward sql.NullTime
	err := sc.Scan(&in.ID, &in.OrgID, &in.Title, &in.State, &in.DepartmentID, &in.ReporterID, &in.ReporterName, &outsider, &contact,
		&report, &in.DetectedAt, &in.ReportedAt, &isInc, &in.Category, &in.Severity, &routes, &systems, &in.Restricted, &triaged,
		&in.TriagedByID, &contained, &recovered, &monitoring, &closed, &in.RootCause, &plan, &pub, &crime, &in.UpwardOrgID, &upward,
		&in.Version, &in.CreatedAt, &in.UpdatedAt)
	if err != nil {
		return in, err
	}
	if outsider != "" || contact != "" {
		in.Outside = &OutsideReport{Reporter: outsider, Contact: contact}
	}
	if isInc.Valid {
		in.IsIncident = &isInc.Bool
	}
	in.TriagedAt, in.ContainedAt, in.RecoveredAt = ptr(triaged), ptr(contained), ptr(recovered)
	in.MonitoringUntil, in.ClosedAt, in.UpwardAt = ptr(monitoring), ptr(closed), ptr(upward)
	in.DetectedAt, in.ReportedAt = in.DetectedAt.UTC(), in.ReportedAt.UTC()
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	_ = json.Unmarshal([]byte(report), &in.Report)
	_ = json.Unmarshal([]byte(routes), &in.Routes)
	_ = json.Unmarshal([]byte(systems), &in.Systems)
	if plan != "" {
		in.Plan = &Plan{}
		_ = json.Unmarshal([]byte(plan), in.Plan)
	}
	if pub != "" {
		in.Publication = &Publication{}
		_ = json.Unmarshal([]byte(pub), in.Publication)
	}
	if crime != "" {
		in.Crime = &Crime{}
		_ = json.Unmarshal([]byte(crime), in.Crime)
	}
	return in, nil
}

func ptr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// read returns an incident of the organisation, or not found. It does not decide visibility.
func read(ctx context.Context, q store.Querier, orgID, id int64) (Incident, error) {
	in, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+from+`WHERE i.id = $1 AND i.org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return in, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return in, apperr.Wrap(err, "incident")
	}
	if in.AssetIDs, err = assetIDs(ctx, q, id); err != nil {
		return in, err
	}
	return in, nil
}

// readAny returns an incident by id whichever organisation it belongs to: for the parent
// organisation's CSIRT, who sees incidents reported upward to it.
func readAny(ctx context.Context, q store.Querier, id int64) (Incident, error) {
	var orgID int64
	err := q.QueryRowContext(ctx, `SELECT org_id FROM incidents WHERE id = $1`, id).Scan(&orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return Incident{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return Incident{}, apperr.Wrap(err, "incident")
	}
	return read(ctx, q, orgID, id)
}

func assetIDs(ctx context.Context, q store.Querier, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT asset_id FROM incident_assets WHERE incident_id = $1 ORDER BY asset_id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "incident assets")
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var a int64
		if err := rows.Scan(&a); err != nil {
			return nil, apperr.Wrap(err, "incident assets")
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func insert(ctx context.Context, tx *sql.Tx, in *Incident) error {
	report, _ := json.Marshal(in.Report)
	var outsider, contact string
	if in.Outside != nil {
		outsider, contact = in.Outside.Reporter, in.Outside.Contact
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO incidents (org_id, title, state, department_id, reporter_staff_id, outside_reporter,
		outside_contact, report_json, detected_at, reported_at, version, created_at, updated_at, category)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, $12) RETURNING id`,
		in.OrgID, in.Title, in.State, store.NullID(in.DepartmentID), store.NullID(in.ReporterID), outsider, contact, string(report),
		in.DetectedAt, in.ReportedAt, in.CreatedAt, in.Category).Scan(&in.ID)
	if err != nil {
		return apperr.Wrap(err, "insert incident")
	}
	return nil
}

// save writes an incident's changed state if it is still at version; a stale version is a
// conflict. The incident's version is raised.
func save(ctx context.Context, tx *sql.Tx, in *Incident, version int, now time.Time) error {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	opt := func(ok bool, v any) string {
		if !ok {
			return ""
		}
		return enc(v)
	}
	var isInc any
	if in.IsIncident != nil {
		isInc = *in.IsIncident
	}
	res, err := tx.ExecContext(ctx, `UPDATE incidents SET title = $1, state = $2, department_id = $3, is_incident = $4, category = $5,
		severity = $6, routes_json = $7, systems_json = $8, restricted = $9, triaged_at = $10, triaged_by_staff_id = $11,
		contained_at = $12, recovered_at = $13, monitoring_until = $14, closed_at = $15, root_cause = $16, plan_json = $17,
		publication_json = $18, crime_json = $19, upward_org_id = $20, upward_at = $21, version = version + 1, updated_at = $22
		WHERE id = $23 AND org_id = $24 AND version = $25`,
		in.Title, in.State, store.NullID(in.DepartmentID), isInc, in.Category, in.Severity, enc(nonNil(in.Routes)), enc(nonNil(in.Systems)),
		in.Restricted, nullTime(in.TriagedAt), store.NullID(in.TriagedByID), nullTime(in.ContainedAt), nullTime(in.RecoveredAt),
		nullTime(in.MonitoringUntil), nullTime(in.ClosedAt), in.RootCause, opt(in.Plan != nil, in.Plan),
		opt(in.Publication != nil, in.Publication), opt(in.Crime != nil, in.Crime), store.NullID(in.UpwardOrgID), nullTime(in.UpwardAt),
		now, in.ID, in.OrgID, version)
	if err != nil {
		return apperr.Wrap(err, "save incident")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "incident.error.stale")
	}
	in.Version, in.UpdatedAt = version+1, now
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// addEvent appends an entry to the timeline.
func addEvent(ctx context.Context, tx *sql.Tx, in Incident, actorOrg, staffID int64, actor string, ev Event) (Event, error) {
	data := ""
	if len(ev.Data) > 0 {
		b, _ := json.Marshal(ev.Data)
		data = string(b)
	}
	ev.ActorOrgID, ev.StaffID, ev.Actor = actorOrg, staffID, actor
	err := tx.QueryRowContext(ctx, `INSERT INTO incident_events (org_id, incident_id, kind, at, recorded_at, actor_org_id, staff_id,
		actor, evidence_id, text, data_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		in.OrgID, in.ID, ev.Kind, ev.At.UTC(), ev.RecordedAt.UTC(), actorOrg, store.NullID(staffID), actor, store.NullID(ev.EvidenceID),
		ev.Text, data).Scan(&ev.ID)
	if err != nil {
		return ev, apperr.Wrap(err, "incident event")
	}
	return ev, nil
}

func events(ctx context.Context, q store.Querier, id int64) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, at, recorded_at, actor_org_id, COALESCE(staff_id, 0), actor,
		COALESCE(evidence_id, 0), text, data_json FROM incident_events WHERE incident_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "incident events")
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var data string
		if err := rows.Scan(&e.ID, &e.Kind, &e.At, &e.RecordedAt, &e.ActorOrgID, &e.StaffID, &e.Actor, &e.EvidenceID, &e.Text, &data); err != nil {
			return nil, apperr.Wrap(err, "incident events")
		}
		e.At, e.RecordedAt = e.At.UTC(), e.RecordedAt.UTC()
		if data != "" {
			_ = json.Unmarshal([]byte(data), &e.Data)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
