package auditlog

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// SignInSummary tells users about their own account's recent sign-ins, so that they notice a
// sign-in that was not theirs.
type SignInSummary struct {
	Previous      *Entry // the successful sign-in before the current one
	FailuresSince int    // failed attempts after Previous (or ever, without one)
	LastFailure   *Entry
}

// SignIns summarises the actor's own sign-in history. Every user may read their own.
func (s *Service) SignIns(ctx context.Context, who access.Actor) (SignInSummary, error) {
	var sum SignInSummary
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+entryColumns+` FROM audit_entries
		WHERE org_id = $1 AND entity = 'user' AND entity_id = $2 AND action IN ('auth.login', 'auth.login_failed')
		ORDER BY seq DESC LIMIT 200`, who.OrgID, strconv.FormatInt(who.UserID, 10))
	if err != nil {
		return sum, apperr.Wrap(err, "sign-ins")
	}
	defer rows.Close()
	// Newest first: the current sign-in, then the failures since the one before, then that one.
	logins := 0
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return sum, apperr.Wrap(err, "sign-ins")
		}
		if e.Action == "auth.login" {
			if logins++; logins == 2 {
				sum.Previous = &e
				break
			}
			continue
		}
		sum.FailuresSince++
		if sum.LastFailure == nil {
			sum.LastFailure = &e
		}
	}
	return sum, rows.Err()
}
