package request

import (
	"context"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// What a person's home page (the desk) shows of requests: what waits for their decision, their
// own requests, and the returns that are overdue. Each is a bounded list, newest (or most
// overdue) first, with the total of the full list it was cut from, read under the rule of that
// full list (Inbox, List with Mine, Overdue) and screened as lists are (screenList). The totals
// are counted on the indexes of migration 00010.

// Awaiting returns the newest requests, at most limit, that wait for the actor's decision or
// acknowledgement (Inbox's rule), and how many wait.
func (s *Service) Awaiting(ctx context.Context, who access.Actor, limit int) ([]Request, int, error) {
	cond, args, err := s.inboxWhere(ctx, who)
	if err != nil || cond == "" {
		return []Request{}, 0, err
	}
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(DISTINCT w.request_id) FROM request_waits w
		JOIN requests r ON r.id = w.request_id WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "awaiting count")
	}
	if total == 0 {
		return []Request{}, 0, nil
	}
	args = append(args, bound(limit))
	list, err := s.query(ctx, `SELECT `+columns+from+`WHERE r.id IN (SELECT DISTINCT w.request_id FROM request_waits w
		JOIN requests r ON r.id = w.request_id WHERE `+cond+` ORDER BY w.request_id DESC LIMIT $`+itoa(len(args))+`) ORDER BY r.id DESC`, args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, s.screenList(ctx, who, list)
}

// Mine returns the actor's own newest requests, at most limit, with their states, and how many
// they have filed.
func (s *Service) Mine(ctx context.Context, who access.Actor, limit int) ([]Request, int, error) {
	if who.StaffID == 0 {
		return []Request{}, 0, nil
	}
	list, total, err := s.List(ctx, who, Filter{Mine: true, Limit: bound(limit)})
	if list == nil {
		list = []Request{}
	}
	return list, total, err
}

// OverdueReturns returns the returnable requests whose assets are still out after their due
// date, most overdue first, at most limit, and how many there are: those the actor may see by
// Overdue's rule (their own; their departments' for a department role; all for those who see
// every request).
func (s *Service) OverdueReturns(ctx context.Context, who access.Actor, limit int) ([]Request, int, error) {
	args := []any{who.OrgID, s.today()}
	cond := "r.org_id = $1 AND r.state IN ('taken_out', 'lent') AND r.due_on <> '' AND r.due_on < $2"
	if !seesAll(who) {
		if who.StaffID == 0 && len(who.Roles) == 0 {
			return []Request{}, 0, nil
		}
		args = append(args, who.StaffID)
		own := []string{"r.applicant_staff_id = $3"}
		for _, g := range who.Roles {
			if g.Scope == "department" && g.DepartmentID != 0 {
				args = append(args, g.DepartmentID)
				n := "$" + itoa(len(args))
				own = append(own, "r.department_id = "+n, "r.subject_department_id = "+n)
			}
		}
		cond += " AND (" + strings.Join(own, " OR ") + ")"
	}
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM requests r WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "overdue count")
	}
	if total == 0 {
		return []Request{}, 0, nil
	}
	args = append(args, bound(limit))
	list, err := s.query(ctx, `SELECT `+columns+from+`WHERE `+cond+` ORDER BY r.due_on, r.id LIMIT $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, s.screenList(ctx, who, list)
}

// bound keeps a desk's list between 1 and 100 rows.
func bound(limit int) int { return min(max(limit, 1), 100) }
