package transfer

import (
	"context"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Vacancy is a role left without a holder: an assignment that ended (by a move or by hand)
// with none in force after it for the same role and scope.
type Vacancy struct {
	RoleID       string      `json:"role_id"`
	RoleName     string      `json:"role_name"`
	Scope        string      `json:"scope"`
	DepartmentID int64       `json:"department_id,omitempty"`
	Department   string      `json:"department,omitempty"`
	SystemRef    string      `json:"system_ref,omitempty"`
	Since        string      `json:"since"` // the first day without a holder
	LastHolder   string      `json:"last_holder"`
	ByMove       bool        `json:"by_move"` // the last assignment was ended by a move
	Cite         policy.Cite `json:"cite"`    // the article that requires the role
}

// Vacancies returns the roles of the organisation's pack left without a holder on day
// (YYYY-MM-DD): each role, department or system whose last assignment has ended and that no
// assignment holds now. They are open to everyone who sees the roles.
func (s *Service) Vacancies(ctx context.Context, who access.Actor, day string) ([]Vacancy, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT r.role_id, r.scope, COALESCE(r.department_id, 0), COALESCE(d.name, ''), r.system_ref,
		r.valid_to, COALESCE(h.name, ''), COALESCE(r.holder_staff_id, 0)
		FROM role_assignments r
		LEFT JOIN departments d ON d.id = r.department_id
		LEFT JOIN staff h ON h.id = r.holder_staff_id
		WHERE r.org_id = $1 AND r.valid_to <> '' AND r.valid_to < $2
		  AND NOT EXISTS (SELECT 1 FROM role_assignments c WHERE c.org_id = r.org_id AND c.role_id = r.role_id AND c.scope = r.scope
			AND COALESCE(c.department_id, 0) = COALESCE(r.department_id, 0) AND c.system_ref = r.system_ref
			AND (c.valid_to = '' OR c.valid_to >= $2) AND (c.valid_from = '' OR c.valid_from <= $2))
		ORDER BY r.role_id, d.code, r.valid_to DESC`, who.OrgID, day)
	if err != nil {
		return nil, apperr.Wrap(err, "vacant roles")
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []Vacancy
	var holders []int64
	for rows.Next() {
		var v Vacancy
		var last string
		var holder int64
		if err := rows.Scan(&v.RoleID, &v.Scope, &v.DepartmentID, &v.Department, &v.SystemRef, &last, &v.LastHolder, &holder); err != nil {
			return nil, apperr.Wrap(err, "vacant roles")
		}
		key := v.RoleID + "\x00" + v.Scope + "\x00" + v.Department + "\x00" + v.SystemRef
		if seen[key] {
			continue // an older assignment of the same post
		}
		seen[key] = true
		if t, err := time.Parse(time.DateOnly, last); err == nil {
			v.Since = t.AddDate(0, 0, 1).Format(time.DateOnly)
		}
		out = append(out, v)
		holders = append(holders, holder)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "vacant roles")
	}
	if len(out) > 0 {
		moved, err := s.movedOn(ctx, who.OrgID)
		if err != nil {
			return nil, err
		}
		for i := range out {
			out[i].ByMove = moved[movedKey(holders[i], out[i].Since)]
		}
	}
	if s.Policy == nil || len(out) == 0 {
		return out, nil
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return out, err
	}
	byID := map[string]policy.Role{}
	for _, r := range p.Roles {
		byID[r.ID] = r
	}
	for i := range out {
		if r, ok := byID[out[i].RoleID]; ok {
			out[i].RoleName, out[i].Cite = r.Name, r.Cite
		}
	}
	return out, nil
}

func movedKey(staffID int64, day string) string { return strconv.FormatInt(staffID, 10) + "@" + day }

// movedOn returns the days each member of staff moved on, by movedKey.
func (s *Service) movedOn(ctx context.Context, orgID int64) (map[string]bool, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT staff_id, effective_on FROM staff_moves WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "staff moves")
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id int64
		var day string
		if err := rows.Scan(&id, &day); err != nil {
			return nil, apperr.Wrap(err, "staff moves")
		}
		out[movedKey(id, day)] = true
	}
	return out, rows.Err()
}
