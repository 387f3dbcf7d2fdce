package directory

import (
	"context"

	"mamori/internal/auth"
)

// LocalRule says whether a local account may sign in with its Mamori password (auth.Service's
// LocalRule): always while the organisation does not sign in from its directory; then only
// platform administrators and the break-glass users the settings name, each such sign-in
// audited as a break-glass one.
func (s *Service) LocalRule(ctx context.Context, u auth.User) (allowed, breakGlass bool, err error) {
	st, err := settingsOf(ctx, s.DB.SQL, u.OrgID)
	if err != nil {
		return false, false, err
	}
	if !st.Enabled {
		return true, false, nil
	}
	if u.PlatformAdmin || st.breakGlass(u.Login) {
		return true, true, nil
	}
	return false, false, nil
}
