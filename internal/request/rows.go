package request

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

const columns = `r.id, r.org_id, r.kind, r.kind_name, r.applicant_staff_id, COALESCE(r.applicant_user_id, 0), COALESCE(s.name, ''),
	r.department_id, COALESCE(d.name, ''), COALESCE(r.subject_department_id, 0), r.system_ref, r.state, r.step, r.route_json,
	r.fields_json, r.post_hoc, r.acted_at, r.report_due_at, r.reported_late, r.due_on, r.taken_out_on, r.returned_on,
	r.disposal_json, r.cite, r.version, r.created_at, r.updated_at, r.decided_at`

const from = ` FROM requests r LEFT JOIN staff s ON s.id = r.applicant_staff_id LEFT JOIN departments d ON d.id = r.department_id `

func scan(sc interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var route, fields, disposal string
	var acted, due, decided sql.NullTime
	err := sc.Scan(&r.ID, &r.OrgID, &r.Kind, &r.KindName, &r.ApplicantStaffID, &r.ApplicantUserID, &r.ApplicantName,
		&r.DepartmentID, &r.DepartmentName, &r.SubjectDepartmentID, &r.SystemRef, &r.State, &r.Step, &route,
		&fields, &r.PostHoc, &acted, &due, &r.ReportedLate, &r.DueOn, &r.TakenOutOn, &r.ReturnedOn,
		&disposal, &r.Cite, &r.Version, &r.CreatedAt, &r.UpdatedAt, &decided)
	if err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.ActedAt, r.ReportDueAt, r.DecidedAt = timePtr(acted), timePtr(due), timePtr(decided)
	if err := json.Unmarshal([]byte(route), &r.Route); err != nil {
		return r, err
	}
	r.Fields = map[string]any{}
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return r, err
	}
	if disposal != "" {
		r.Disposal = &Disposal{}
		if err := json.Unmarshal([]byte(disposal), r.Disposal); err != nil {
			return r, err
		}
	}
	return r, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// get reads one request with its subject assets and what it waits for.
func get(ctx context.Context, q store.Querier, orgID, id int64) (Request, error) {
	r, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+from+`WHERE r.id = $1 AND r.org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return r, apperr.Wrap(err, "request")
	}
	rows, err := q.QueryContext(ctx, `SELECT asset_id FROM request_assets WHERE request_id = $1 ORDER BY asset_id`, id)
	if err != nil {
		return r, apperr.Wrap(err, "request assets")
	}
	defer rows.Close()
	for rows.Next() {
		var a int64
		if err := rows.Scan(&a); err != nil {
			return r, apperr.Wrap(err, "request assets")
		}
		r.AssetIDs = append(r.AssetIDs, a)
	}
	if err := rows.Err(); err != nil {
		return r, apperr.Wrap(err, "request assets")
	}
	r.Waits, err = waits(ctx, q, id)
	return r, err
}

func waits(ctx context.Context, q store.Querier, id int64) ([]Wait, error) {
	rows, err := q.QueryContext(ctx, `SELECT wait_key, role_id, purpose FROM request_waits WHERE request_id = $1 ORDER BY wait_key`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "request waits")
	}
	defer rows.Close()
	var out []Wait
	for rows.Next() {
		var w Wait
		if err := rows.Scan(&w.Key, &w.Role, &w.Purpose); err != nil {
			return nil, apperr.Wrap(err, "request waits")
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func events(ctx context.Context, q store.Querier, id int64) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, step, action, role_id, wait_key, capacity, COALESCE(staff_id, 0), COALESCE(user_id, 0),
		actor_name, comment, snapshot_json, at FROM request_events WHERE request_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "request events")
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.Step, &e.Action, &e.Role, &e.Key, &e.Capacity, &e.StaffID, &e.UserID,
			&e.ActorName, &e.Comment, &e.Snapshot, &e.At); err != nil {
			return nil, apperr.Wrap(err, "request events")
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

func attachments(ctx context.Context, q store.Querier, id int64) ([]Attachment, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, field, name, content_type, size, sha256, COALESCE(staff_id, 0), created_at
		FROM request_attachments WHERE request_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "request attachments")
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.Field, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.StaffID, &a.CreatedAt); err != nil {
			return nil, apperr.Wrap(err, "request attachments")
		}
		a.CreatedAt = a.CreatedAt.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// setWaits replaces what the request waits for.
func setWaits(ctx context.Context, tx *sql.Tx, orgID, id int64, purpose string, ds []Decider) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM request_waits WHERE request_id = $1`, id); err != nil {
		return apperr.Wrap(err, "request waits")
	}
	seen := map[string]bool{}
	for _, d := range ds {
		if seen[d.Key] {
			continue
		}
		seen[d.Key] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO request_waits (request_id, org_id, wait_key, role_id, purpose) VALUES ($1, $2, $3, $4, $5)`,
			id, orgID, d.Key, d.Role, purpose); err != nil {
			return apperr.Wrap(err, "request waits")
		}
	}
	return nil
}

func dropWait(ctx context.Context, tx *sql.Tx, id int64, key string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM request_waits WHERE request_id = $1 AND wait_key = $2`, id, key)
	if err != nil {
		return apperr.Wrap(err, "request waits")
	}
	return nil
}

// addEvent records an act on the request.
func addEvent(ctx context.Context, tx *sql.Tx, who access.Actor, requestID int64, e Event) (Event, error) {
	e.StaffID, e.UserID, e.ActorName = who.StaffID, who.UserID, who.Name
	if e.ActorName == "" {
		e.ActorName = who.Login
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO request_events (request_id, org_id, step, action, role_id, wait_key, capacity,
		staff_id, user_id, actor_name, comment, snapshot_json, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		requestID, who.OrgID, e.Step, e.Action, e.Role, e.Key, e.Capacity, store.NullID(e.StaffID), store.NullID(e.UserID), e.ActorName,
		e.Comment, e.Snapshot, e.At).Scan(&e.ID)
	if err != nil {
		return e, apperr.Wrap(err, "request event")
	}
	return e, nil
}

// change is the part of a request an act changes; apply writes it if the request is still at
// the version the act was decided on, and reports a conflict otherwise (someone else acted
// first).
type change struct {
	state    string
	step     int
	fields   map[string]any
	dueOn    string
	takenOut string
	returned string
	disposal *Disposal
	decided  bool
}

func apply(ctx context.Context, tx *sql.Tx, r *Request, c change, at time.Time) error {
	sets := []string{"state = $1", "step = $2", "version = version + 1", "updated_at = $3"}
	args := []any{c.state, c.step, at}
	add := func(col string, v any) {
		args = append(args, v)
		sets = append(sets, col+" = $"+itoa(len(args)))
	}
	if c.fields != nil {
		b, _ := json.Marshal(c.fields)
		add("fields_json", string(b))
		r.Fields = c.fields
	}
	if c.dueOn != "" {
		add("due_on", c.dueOn)
		r.DueOn = c.dueOn
	}
	if c.takenOut != "" {
		add("taken_out_on", c.takenOut)
		r.TakenOutOn = c.takenOut
	}
	if c.returned != "" {
		add("returned_on", c.returned)
		r.ReturnedOn = c.returned
	}
	if c.disposal != nil {
		b, _ := json.Marshal(c.disposal)
		add("disposal_json", string(b))
		r.Disposal = c.disposal
	}
	if c.decided {
		add("decided_at", at)
		r.DecidedAt = &at
	}
	args = append(args, r.ID, r.OrgID, r.Version)
	n := len(args)
	res, err := tx.ExecContext(ctx, `UPDATE requests SET `+strings.Join(sets, ", ")+
		` WHERE id = $`+itoa(n-2)+` AND org_id = $`+itoa(n-1)+` AND version = $`+itoa(n), args...)
	if err != nil {
		return apperr.Wrap(err, "update request")
	}
	if k, err := res.RowsAffected(); err != nil {
		return apperr.Wrap(err, "update request")
	} else if k == 0 {
		return apperr.New(apperr.Conflict, "request.error.conflict")
	}
	r.State, r.Step, r.UpdatedAt = c.state, c.step, at
	r.Version++
	return nil
}
