package request

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// Hook is what another part of Mamori does with requests of one approval kind, inside the
// transaction of the act: Check looks at a request being filed (its fields already checked
// against the form) and refuses it with an error naming the field; Approved acts on a request
// the moment it is fully approved — a refusal there rolls the decision back. Either may be nil.
// The compliance service observes the exception kind (例外措置) this way.
type Hook struct {
	Check    func(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error
	Approved func(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error
}

// Observe sets this service's hook of an approval kind (by its id in the packs). It is set up
// when the services are assembled, before any request is filed; setting it again replaces it.
// Another Service in the same process has hooks of its own.
func (s *Service) Observe(kind string, h Hook) {
	if s.hooks == nil {
		s.hooks = map[string]Hook{}
	}
	s.hooks[kind] = h
}

// checkHook runs the kind's Check on a request being filed.
func (s *Service) checkHook(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error {
	if h := s.hooks[r.Kind]; h.Check != nil {
		return h.Check(ctx, tx, p, who, r, now)
	}
	return nil
}

// approvedHook runs the kind's Approved once a decision has left the request approved.
func (s *Service) approvedHook(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error {
	if h := s.hooks[r.Kind]; h.Approved != nil && r.State == Approved {
		return h.Approved(ctx, tx, p, who, r, now)
	}
	return nil
}
