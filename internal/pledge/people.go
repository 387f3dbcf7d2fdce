package pledge

import (
	"context"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/store"
)

// person is a member of staff as the pledges see them: who they are, where, their roles today
// and the day they were hired.
type person struct {
	id         int64
	employeeNo string
	name       string
	employment string
	deptID     int64
	deptName   string
	hiredOn    string
	leftOn     string
	active     bool
	roles      []string
}

// current reports whether the person is bound today: an active record, hired by today (or the
// day unknown) and not yet left.
func (p person) current(day string) bool {
	return p.active && (p.hiredOn == "" || p.hiredOn <= day) && (p.leftOn == "" || p.leftOn > day)
}

// scope narrows the staff read: one person (staff), or the people of some departments and the
// reader themselves (depts, self); the zero scope is the whole organisation.
type scope struct {
	staff int64
	depts []int64
	self  int64
	some  bool // depts and self apply
}

// where is the condition on the staff table aliased a, with its arguments numbered from next.
func (sc scope) where(a string, next int) (string, []any) {
	switch {
	case sc.staff != 0:
		return " AND " + a + ".id = $" + strconv.Itoa(next), []any{sc.staff}
	case sc.some:
		ph := []string{}
		args := []any{sc.self}
		for _, d := range sc.depts {
			ph = append(ph, "$"+strconv.Itoa(next+len(args)))
			args = append(args, d)
		}
		cond := a + ".id = $" + strconv.Itoa(next)
		if len(ph) > 0 {
			cond += " OR " + a + ".department_id IN (" + strings.Join(ph, ", ") + ")"
		}
		return " AND (" + cond + ")", args
	}
	return "", nil
}

// people returns the organisation's staff of the scope with their roles on day and their
// hiring day: staff.hired_on, or else the latest move of kind hire by day.
func people(ctx context.Context, q store.Querier, orgID int64, sc scope, day string) ([]person, error) {
	staffID := sc.staff
	one, more := sc.where("s", 2)
	args := append([]any{orgID}, more...)
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.employee_no, s.name, s.employment, COALESCE(s.department_id, 0),
		COALESCE(d.name, ''), s.hired_on, s.left_on, s.active
		FROM staff s LEFT JOIN departments d ON d.id = s.department_id
		WHERE s.org_id = $1`+one+` ORDER BY d.sort_order, d.code, s.employee_no, s.id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "pledge people")
	}
	defer rows.Close()
	var out []person
	at := map[int64]int{}
	for rows.Next() {
		var p person
		if err := rows.Scan(&p.id, &p.employeeNo, &p.name, &p.employment, &p.deptID, &p.deptName, &p.hiredOn, &p.leftOn, &p.active); err != nil {
			return nil, apperr.Wrap(err, "pledge people")
		}
		at[p.id] = len(out)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "pledge people")
	}
	rows.Close()
	one, args = "", []any{orgID, day}
	if staffID != 0 {
		one, args = " AND holder_staff_id = $3", append(args, staffID)
	}
	rr, err := q.QueryContext(ctx, `SELECT holder_staff_id, role_id FROM role_assignments
		WHERE org_id = $1 AND holder_staff_id IS NOT NULL
		  AND (valid_from = '' OR valid_from <= $2) AND (valid_to = '' OR valid_to >= $2)`+one, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "pledge roles")
	}
	defer rr.Close()
	for rr.Next() {
		var id int64
		var role string
		if err := rr.Scan(&id, &role); err != nil {
			return nil, apperr.Wrap(err, "pledge roles")
		}
		if i, ok := at[id]; ok {
			out[i].roles = append(out[i].roles, role)
		}
	}
	if err := rr.Err(); err != nil {
		return nil, apperr.Wrap(err, "pledge roles")
	}
	rr.Close()
	moves, err := org.MovesBetween(ctx, q, orgID, "", day)
	if err != nil {
		return nil, err
	}
	// The record's own hiring day; else the latest move of kind hire (moves come oldest first).
	hired := map[int64]string{}
	for _, m := range moves {
		if m.Kind == org.MoveHire {
			hired[m.StaffID] = m.EffectiveOn
		}
	}
	for i := range out {
		if out[i].hiredOn == "" {
			out[i].hiredOn = hired[out[i].id]
		}
	}
	return out, nil
}

const signatureColumns = `g.id, g.pledge_id, g.staff_id, COALESCE(g.department_id, 0), g.method, g.title, g.text, g.text_sha256,
	g.pack_id, g.pack_version, g.typed_name, g.signed_on, g.signed_at, g.remote_addr, g.recorded_by,
	COALESCE(c.id, 0), COALESCE(c.name, ''), COALESCE(c.content_type, ''), COALESCE(c.size, 0), COALESCE(c.sha256, '')`

const signatureFrom = ` FROM pledge_signatures g LEFT JOIN pledge_scans c ON c.signature_id = g.id AND c.org_id = g.org_id`

func scanSignature(sc interface{ Scan(...any) error }) (Signature, error) {
	var g Signature
	var c Scan
	err := sc.Scan(&g.ID, &g.PledgeID, &g.StaffID, &g.DepartmentID, &g.Method, &g.Title, &g.Text, &g.TextSHA256,
		&g.PackID, &g.PackVersion, &g.TypedName, &g.SignedOn, &g.SignedAt, &g.RemoteAddr, &g.RecordedBy,
		&c.ID, &c.Name, &c.ContentType, &c.Size, &c.SHA256)
	g.SignedAt = g.SignedAt.UTC()
	if c.ID != 0 {
		g.Scan = &c
	}
	return g, err
}

// listColumns are signatureColumns without the text signed, which the lists do not show.
var listColumns = strings.Replace(signatureColumns, "g.text,", "'',", 1)

// signatures returns the signatures of the people of the scope, oldest first; with the text
// signed when withText.
func signatures(ctx context.Context, q store.Querier, orgID int64, sc scope, withText bool) ([]Signature, error) {
	cols := listColumns
	if withText {
		cols = signatureColumns
	}
	one, more := sc.where("s", 2)
	args := append([]any{orgID}, more...)
	if one != "" {
		one = " AND g.staff_id IN (SELECT s.id FROM staff s WHERE s.org_id = $1" + one + ")"
	}
	rows, err := q.QueryContext(ctx, `SELECT `+cols+signatureFrom+`
		WHERE g.org_id = $1`+one+` ORDER BY g.signed_at, g.id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "pledge signatures")
	}
	defer rows.Close()
	var out []Signature
	for rows.Next() {
		g, err := scanSignature(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "pledge signatures")
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
