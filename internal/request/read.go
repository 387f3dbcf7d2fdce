package request

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Get returns a request with its events, attachments (metadata) and waits, to those who may
// see it: its applicant, the approvers of its route, holders of security roles over the
// organisation or its departments, auditors (read only) and platform administrators. To anyone
// else it is not found.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Request, error) {
	r, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return r, err
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Request{}, err
	}
	var keys map[string]string
	if ok, err := s.mayRead(ctx, p, who, r, &keys); err != nil || !ok {
		if err == nil {
			err = apperr.New(apperr.NotFound, "error.not_found")
		}
		return Request{}, err
	}
	if r.Events, err = events(ctx, s.DB.SQL, id); err != nil {
		return r, err
	}
	if r.Attachments, err = attachments(ctx, s.DB.SQL, id); err != nil {
		return r, err
	}
	// The subject assets as the register shows them to the actor, and the request's words
	// when it names an asset whose details are not for them (screen.go).
	return r, s.screen(ctx, p, who, &r)
}

// Readable is the request rule for notices (a notify.Reader): a notice about a request keeps
// its words for those who may see the request now (Get's rule, mayRead).
func (s *Service) Readable(ctx context.Context, who access.Actor, ids []int64) ([]bool, error) {
	out := make([]bool, len(ids))
	p, err := s.Policy.Required(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.Conflict || apperr.CodeOf(err) == apperr.NotFound {
		return out, nil // no pack: no request can be judged
	}
	if err != nil {
		return nil, err
	}
	var keys map[string]string
	seen := map[int64]bool{}
	for i, id := range ids {
		ok, known := seen[id]
		if !known {
			r, err := get(ctx, s.DB.SQL, who.OrgID, id)
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
			case err != nil:
				return nil, err
			default:
				if ok, err = s.mayRead(ctx, p, who, r, &keys); err != nil {
					return nil, err
				}
			}
			seen[id] = ok
		}
		out[i] = ok
	}
	return out, nil
}

// AttachmentBody returns an attachment's metadata and bytes to those who may see its request.
// The caller sends it with Content-Disposition: attachment and X-Content-Type-Options: nosniff.
func (s *Service) AttachmentBody(ctx context.Context, who access.Actor, requestID, id int64) (Attachment, []byte, error) {
	if r, err := s.Get(ctx, who, requestID); err != nil || r.Withheld {
		if err == nil {
			err = apperr.New(apperr.NotFound, "error.not_found") // its words are not for the reader (withhold.go)
		}
		return Attachment{}, nil, err
	}
	var a Attachment
	var body []byte
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT id, field, name, content_type, size, sha256, COALESCE(staff_id, 0), created_at, body
		FROM request_attachments WHERE id = $1 AND request_id = $2 AND org_id = $3`, id, requestID, who.OrgID).
		Scan(&a.ID, &a.Field, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.StaffID, &a.CreatedAt, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return a, nil, apperr.Wrap(err, "attachment")
	}
	return a, body, nil
}

// seesAll: platform administrators, auditors, and holders of an organisation-wide role other
// than the one every member of staff holds.
func seesAll(who access.Actor) bool {
	if who.PlatformAdmin || who.IsAuditor() {
		return true
	}
	for _, g := range who.Roles {
		if g.Scope == "organization" && !g.AllStaff {
			return true
		}
	}
	return false
}

// officerOf: the actor holds a department role over the request's or its subject's department.
func officerOf(who access.Actor, r Request) bool {
	for _, g := range who.Roles {
		if g.Scope == "department" && g.DepartmentID != 0 && (g.DepartmentID == r.DepartmentID || g.DepartmentID == r.SubjectDepartmentID) {
			return true
		}
	}
	return false
}

// onRoute: the actor acts for a role of the request's route.
func onRoute(keys map[string]string, r Request) bool {
	for _, st := range r.Route.Steps {
		for _, d := range st.Deciders {
			if _, ok := keys[d.Key]; ok {
				return true
			}
		}
	}
	for _, d := range r.Route.Notices {
		if _, ok := keys[d.Key]; ok {
			return true
		}
	}
	return false
}

// Filter narrows a listing of requests.
type Filter struct {
	State        string
	Kind         string
	Mine         bool  // only the actor's own requests
	DepartmentID int64 // the applicant's department
	// Since and Until are the JST days the requests were filed on (YYYY-MM-DD, inclusive;
	// either may be ""); a day that is not one is refused naming the field "from" or "to".
	Since, Until string
	Limit        int
	Offset       int
}

// List returns the requests the actor may see, newest first, and how many there are: with
// Mine, the actor's own ("my requests").
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Request, int, error) {
	var v apperr.Validation
	checkDay(&v, "from", f.Since, false)
	checkDay(&v, "to", f.Until, false)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	var where []string
	args := []any{who.OrgID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	where = append(where, "r.org_id = $1")
	if f.Mine || !seesAll(who) {
		own := "r.applicant_staff_id = " + arg(who.StaffID)
		var depts []string
		if !f.Mine {
			for _, g := range who.Roles {
				if g.Scope == "department" && g.DepartmentID != 0 {
					depts = append(depts, arg(g.DepartmentID))
				}
			}
		}
		if len(depts) > 0 {
			in := strings.Join(depts, ", ")
			own = "(" + own + " OR r.department_id IN (" + in + ") OR r.subject_department_id IN (" + in + "))"
		}
		where = append(where, own)
	}
	if f.State != "" {
		where = append(where, "r.state = "+arg(f.State))
	}
	if f.Kind != "" {
		where = append(where, "r.kind = "+arg(f.Kind))
	}
	if f.DepartmentID != 0 {
		where = append(where, "r.department_id = "+arg(f.DepartmentID))
	}
	if f.Since != "" {
		t, _ := time.ParseInLocation(time.DateOnly, f.Since, jst)
		where = append(where, "r.created_at >= "+arg(t.UTC()))
	}
	if f.Until != "" {
		t, _ := time.ParseInLocation(time.DateOnly, f.Until, jst)
		where = append(where, "r.created_at < "+arg(t.AddDate(0, 0, 1).UTC()))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM requests r WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count requests")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	lim, off := arg(f.Limit), arg(f.Offset)
	list, err := s.query(ctx, `SELECT `+columns+from+`WHERE `+cond+` ORDER BY r.id DESC LIMIT `+lim+` OFFSET `+off, args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, s.screenList(ctx, who, list)
}

// Inbox returns what waits for the actor, newest first: requests at a step the actor decides (as holder or
// acting holder), and reports after approval addressed to a role they hold. Their own
// requests are left out unless the kind lets an applicant decide. It is one index lookup on
// the keys of the actor's roles.
func (s *Service) Inbox(ctx context.Context, who access.Actor) ([]Request, error) {
	cond, args, err := s.inboxWhere(ctx, who)
	if err != nil || cond == "" {
		return nil, err
	}
	list, err := s.query(ctx, `SELECT `+columns+`, w.wait_key, w.role_id, w.purpose FROM request_waits w
		JOIN requests r ON r.id = w.request_id
		LEFT JOIN staff s ON s.id = r.applicant_staff_id LEFT JOIN departments d ON d.id = r.department_id
		WHERE `+cond+` ORDER BY w.request_id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	// An actor who holds two roles a request waits for sees it once.
	list = slices.CompactFunc(list, func(a, b Request) bool { return a.ID == b.ID })
	return list, s.screenList(ctx, who, list)
}

// InboxCount is how many requests wait for the actor, counted up to limit: the figure every
// page shows beside the inbox link, without reading the requests.
func (s *Service) InboxCount(ctx context.Context, who access.Actor, limit int) (int, error) {
	cond, args, err := s.inboxWhere(ctx, who)
	if err != nil || cond == "" {
		return 0, err
	}
	args = append(args, limit)
	var n int
	err = s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT DISTINCT w.request_id FROM request_waits w
		JOIN requests r ON r.id = w.request_id WHERE `+cond+` LIMIT $`+itoa(len(args))+`) x`, args...).Scan(&n)
	if err != nil {
		return 0, apperr.Wrap(err, "inbox count")
	}
	return n, nil
}

// inboxWhere is the condition on request_waits w joined to requests r that selects what waits
// for the actor, or "" when nothing can.
func (s *Service) inboxWhere(ctx context.Context, who access.Actor) (string, []any, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return "", nil, err
	}
	keys, err := s.keysOf(ctx, s.DB.SQL, p, who)
	if err != nil || len(keys) == 0 {
		return "", nil, err
	}
	args := []any{who.OrgID, who.StaffID}
	var in []string
	for k := range keys {
		args = append(args, k)
		in = append(in, "$"+itoa(len(args)))
	}
	self := "w.purpose = 'notice'"
	for _, a := range p.Approvals {
		if a.SelfApproval {
			args = append(args, a.ID)
			self += " OR r.kind = $" + itoa(len(args))
		}
	}
	return `w.org_id = $1 AND w.wait_key IN (` + strings.Join(in, ", ") + `) AND (r.applicant_staff_id <> $2 OR ` + self + `)`, args, nil
}

// Overdue returns the returnable requests the actor may see whose assets are still out after
// their due date, the most overdue first.
func (s *Service) Overdue(ctx context.Context, who access.Actor) ([]Request, error) {
	args := []any{who.OrgID, s.today()}
	cond := ""
	if !seesAll(who) {
		args = append(args, who.StaffID)
		own := []string{"r.applicant_staff_id = $3"}
		for _, g := range who.Roles {
			if g.Scope == "department" && g.DepartmentID != 0 {
				args = append(args, g.DepartmentID)
				n := "$" + itoa(len(args))
				own = append(own, "r.department_id = "+n, "r.subject_department_id = "+n)
			}
		}
		cond = " AND (" + strings.Join(own, " OR ") + ")"
	}
	list, err := s.query(ctx, `SELECT `+columns+from+`WHERE r.org_id = $1 AND r.state IN ('taken_out', 'lent') AND r.returned_on = '' AND r.due_on <> '' AND r.due_on < $2`+
		cond+` ORDER BY r.due_on, r.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	return list, s.screenList(ctx, who, list)
}

func (s *Service) query(ctx context.Context, q string, args ...any) ([]Request, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "requests")
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []Request
	for rows.Next() {
		var r Request
		var err error
		if len(cols) > 28 {
			var w Wait
			r, err = scan(scanPlus{rows, []any{&w.Key, &w.Role, &w.Purpose}})
			r.Waits = []Wait{w}
		} else {
			r, err = scan(rows)
		}
		if err != nil {
			return nil, apperr.Wrap(err, "scan request")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// scanPlus scans a request row followed by more columns.
type scanPlus struct {
	rows *sql.Rows
	more []any
}

func (s scanPlus) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.more...)...) }
