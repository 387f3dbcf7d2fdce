package incident

import (
	"context"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// roleHolders returns the staff who hold (or act for) role today over the incident: for a
// department role those of its department, for a system role those of its systems (all while
// none is named). The role every member of staff holds is nobody's in particular.
func roleHolders(ctx context.Context, q store.Querier, p *policy.Compiled, orgID int64, role string, in Incident, day string) ([]int64, error) {
	r, ok := p.Role(role)
	if !ok || r.AllStaff {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(holder_staff_id, 0), COALESCE(acting_staff_id, 0), scope,
		COALESCE(department_id, 0), system_ref FROM role_assignments
		WHERE org_id = $1 AND role_id = $2 AND (valid_from = '' OR valid_from <= $3) AND (valid_to = '' OR valid_to >= $3)
		ORDER BY id`, orgID, role, day)
	if err != nil {
		return nil, apperr.Wrap(err, "role holders")
	}
	defer rows.Close()
	var out []int64
	seen := map[int64]bool{} // a holder for several systems is one person
	for rows.Next() {
		var holder, acting, dept int64
		var scope, sys string
		if err := rows.Scan(&holder, &acting, &scope, &dept, &sys); err != nil {
			return nil, apperr.Wrap(err, "role holders")
		}
		switch scope {
		case "department":
			if dept != in.DepartmentID {
				continue
			}
		case "system":
			if len(in.Systems) > 0 && !contains(in.Systems, sys) {
				continue
			}
		}
		for _, id := range []int64{holder, acting} {
			if id != 0 && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out, rows.Err()
}

// contactHolders returns the staff behind a pack contact (none for an outside body).
func contactHolders(ctx context.Context, q store.Querier, p *policy.Compiled, in Incident, contact, day string) ([]int64, error) {
	c, ok := p.Contact(contact)
	if !ok || c.Role == "" {
		return nil, nil
	}
	return roleHolders(ctx, q, p, in.OrgID, c.Role, in, day)
}

// recipientHolders returns the holders of the pack's first recipients over the incident.
func recipientHolders(ctx context.Context, q store.Querier, p *policy.Compiled, in Incident, day string) ([]int64, error) {
	var out []int64
	for _, c := range p.Incident.Recipients() {
		ids, err := contactHolders(ctx, q, p, in, c, day)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	return out, nil
}

// staffIn reports whether a staff member belongs to the organisation.
func staffIn(ctx context.Context, q store.Querier, orgID, staffID int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE id = $1 AND org_id = $2`, staffID, orgID).Scan(&n); err != nil {
		return false, apperr.Wrap(err, "staff")
	}
	return n == 1, nil
}

func day(t time.Time) string { return t.In(jst).Format(time.DateOnly) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Told is a first recipient of a report and the staff behind it, who were told of it.
type Told struct {
	Contact string   `json:"contact"`
	Names   []string `json:"names"`
}

// ToldOf returns who a report went to: the pack's first recipients over the incident and their
// holders today, as Report told them (recipientHolders).
func (s *Service) ToldOf(ctx context.Context, who access.Actor, id int64) ([]Told, error) {
	in, p, _, err := s.place(ctx, s.DB.SQL, who, id)
	if err != nil {
		return nil, err
	}
	var out []Told
	for _, c := range p.Incident.Recipients() {
		pc, _ := p.Contact(c)
		t := Told{Contact: pc.Name, Names: []string{}}
		ids, err := contactHolders(ctx, s.DB.SQL, p, in, c, day(s.now()))
		if err != nil {
			return nil, err
		}
		for _, sid := range ids {
			var name string
			if err := s.DB.SQL.QueryRowContext(ctx, `SELECT name FROM staff WHERE id = $1 AND org_id = $2`, sid, in.OrgID).Scan(&name); err != nil {
				return nil, apperr.Wrap(err, "staff")
			}
			t.Names = append(t.Names, name)
		}
		out = append(out, t)
	}
	return out, nil
}
