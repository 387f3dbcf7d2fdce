package training

import (
	"context"
	"slices"
	"time"

	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// person is what the audience of a course is decided from.
type person struct {
	id         int64
	department int64
	employment string
	roles      map[string]bool
	system     bool   // holds a system-scoped role (システム担当)
	hired      string // the day hired in the fiscal year, "" if not
	moved      string // the first day transferred in the fiscal year, "" if not
}

// people reads the organisation's staff in service on day, with their roles and how they
// joined in the fiscal year.
func people(ctx context.Context, q store.Querier, orgID int64, fy int, day string, scopes map[string]string) ([]*person, error) {
	from, to := yearBounds(fy)
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(department_id, 0), employment, hired_on FROM staff
		WHERE org_id = $1 AND active = TRUE AND (left_on = '' OR left_on >= $2) ORDER BY id`, orgID, day)
	if err != nil {
		return nil, wrap(err, "read staff")
	}
	byID := map[int64]*person{}
	var out []*person
	for rows.Next() {
		p := &person{roles: map[string]bool{}}
		var hired string
		if err := rows.Scan(&p.id, &p.department, &p.employment, &hired); err != nil {
			rows.Close()
			return nil, wrap(err, "read staff")
		}
		if hired >= from && hired <= to {
			p.hired = hired
		}
		byID[p.id] = p
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "read staff")
	}
	rows, err = q.QueryContext(ctx, `SELECT holder_staff_id, role_id, scope FROM role_assignments
		WHERE org_id = $1 AND holder_staff_id IS NOT NULL
		  AND (valid_from = '' OR valid_from <= $2) AND (valid_to = '' OR valid_to >= $2)`, orgID, day)
	if err != nil {
		return nil, wrap(err, "read roles")
	}
	for rows.Next() {
		var id int64
		var role, scope string
		if err := rows.Scan(&id, &role, &scope); err != nil {
			rows.Close()
			return nil, wrap(err, "read roles")
		}
		if p := byID[id]; p != nil {
			p.roles[role] = true
			if scope == "system" || scopes[role] == "system" {
				p.system = true
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "read roles")
	}
	moves, err := org.MovesBetween(ctx, q, orgID, from, to)
	if err != nil {
		return nil, err
	}
	for _, m := range moves {
		p := byID[m.StaffID]
		if p == nil {
			continue
		}
		switch m.Kind {
		case org.MoveHire:
			if p.hired == "" {
				p.hired = m.EffectiveOn
			}
		case org.MoveTransfer:
			if p.moved == "" {
				p.moved = m.EffectiveOn
			}
		}
	}
	return out, nil
}

// assign decides whether the person must take the course in fiscal year fy, why, and by when.
func assign(c policy.Course, fy int, p *person) (reason, due string, ok bool) {
	a := c.Audience
	base := len(a.Employment) == 0 && len(a.Roles) == 0 && !a.SystemRoles
	if slices.Contains(a.Employment, p.employment) || (a.SystemRoles && p.system) {
		base = true
	}
	for _, r := range a.Roles {
		if p.roles[r] {
			base = true
		}
	}
	if !base {
		return "", "", false
	}
	due = monthEnd(fy, c.DueMonth())
	if len(a.Joiners) == 0 {
		return ReasonAudience, due, true
	}
	joined := ""
	switch {
	case slices.Contains(a.Joiners, policy.JoinerHire) && p.hired != "":
		reason, joined = ReasonHire, p.hired
	case slices.Contains(a.Joiners, policy.JoinerTransfer) && p.moved != "":
		reason, joined = ReasonTransfer, p.moved
	default:
		return "", "", false
	}
	// Who joins after the course's month is due by the end of the month after joining.
	if joined > due {
		t, err := time.ParseInLocation(time.DateOnly, joined, jst)
		if err == nil {
			due = time.Date(t.Year(), t.Month()+2, 0, 0, 0, 0, 0, jst).Format(time.DateOnly)
		}
	}
	return reason, due, true
}
