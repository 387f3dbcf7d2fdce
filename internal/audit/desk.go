package audit

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// OverdueActions returns the corrective actions past their due day that the actor owns, or
// that belong to the departments they manage, most overdue first, at most limit, and how many
// there are: for the actor's home page.
func (s *Service) OverdueActions(ctx context.Context, who access.Actor, limit int) ([]Action, int, error) {
	day := today(s.now())
	cond := "c.org_id = $1 AND c.state IN ('planned', 'ineffective') AND c.due_on < $2 AND (c.owner_staff_id = $3"
	args := []any{who.OrgID, day, who.StaffID}
	for _, g := range who.Roles {
		if g.Scope == "department" && !g.AllStaff && g.DepartmentID != 0 {
			args = append(args, g.DepartmentID)
			cond += " OR c.department_id = $" + strconv.Itoa(len(args))
		}
	}
	cond += ")"
	if who.StaffID == 0 && len(args) == 3 {
		return []Action{}, 0, nil
	}
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM audit_actions c WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "overdue actions")
	}
	out := []Action{}
	if total == 0 {
		return out, 0, nil
	}
	rows, err := s.DB.SQL.QueryContext(ctx, actionSelect+`WHERE `+cond+` ORDER BY c.due_on, c.id LIMIT `+strconv.Itoa(min(max(limit, 1), 100)), args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "overdue actions")
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanAction(rows, day)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}
