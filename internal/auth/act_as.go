package auth

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// ActAs returns the actor of an account as a sign-in would build it — department and today's
// roles — for an operator who runs a command on the server as that person (mamori export
// assets --as LOGIN), so that the command sees and changes what the person may. A disabled
// account cannot be acted as.
func (s *Service) ActAs(ctx context.Context, login string) (access.Actor, error) {
	u, err := s.UserByLogin(ctx, login)
	if err != nil {
		return access.Actor{}, err
	}
	if u.Disabled {
		return access.Actor{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.actor(ctx, u, Client{UserAgent: "mamori (command line)"})
}
