package auth

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Names are the names of an organisation's accounts, by account id and by login.
type Names struct {
	ByID    map[int64]string
	ByLogin map[string]string
}

// DisplayNames returns, by account id and by login, the names the organisation's accounts are shown by in
// lists of who did what (the audit log, a record's history): the staff member's name where the
// account belongs to one, its display name otherwise. Colleagues' names are no secret inside
// the organisation; logins stay on the administrators' pages.
func (s *Service) DisplayNames(ctx context.Context, who access.Actor) (Names, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT u.id, u.login, COALESCE(st.name, u.display_name) FROM users u
		LEFT JOIN staff st ON st.id = u.staff_id AND st.org_id = u.org_id WHERE u.org_id = $1`, who.OrgID)
	if err != nil {
		return Names{}, apperr.Wrap(err, "display names")
	}
	defer rows.Close()
	out := Names{ByID: map[int64]string{}, ByLogin: map[string]string{}}
	for rows.Next() {
		var id int64
		var login, name string
		if err := rows.Scan(&id, &login, &name); err != nil {
			return Names{}, apperr.Wrap(err, "display names")
		}
		out.ByID[id], out.ByLogin[login] = name, name
	}
	return out, rows.Err()
}
