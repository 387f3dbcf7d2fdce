package directory

import (
	"context"
	"log/slog"
	"time"

	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
)

// Service keeps the organisation's directory settings and signs people in from the directory:
// it maps an Identity to a Mamori user, staff record, department and pack roles.
type Service struct {
	DB   *store.DB
	Now  func() time.Time
	Auth *auth.Service
	// Roles is the catalogue of the roles each organisation's pack defines; a group may map only
	// to one of them.
	Roles org.RoleCatalog
	// LDAP is the installation's directory connection (serve --ldap-url …); nil when none.
	LDAP *LDAPConfig
	// Log receives the connection's problems in full; nil for slog's default.
	Log *slog.Logger

	problems problems
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// roleScope asks the pack for a role's scope.
func (s *Service) roleScope(ctx context.Context, orgID int64, id string) (string, bool, error) {
	if s.Roles == nil {
		return "", true, nil
	}
	return s.Roles.RoleScope(ctx, orgID, id)
}
