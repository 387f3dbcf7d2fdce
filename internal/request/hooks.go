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
// The compliance service observes the exception kind (例外措置) this way. Hooks are set by the
// mark a pack gives a kind (policy.Approval.Mark), never by its id, which is each pack's own.
type Hook struct {
	Check    func(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error
	Approved func(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error
}

// Observe sets this service's hook of the approval kinds a pack marks with mark
// (policy.MarkException). It is set up when the services are assembled, before any request is
// filed; setting it again replaces it. Another Service in the same process has hooks of its own.
func (s *Service) Observe(mark string, h Hook) {
	if s.hooks == nil {
		s.hooks = map[string]Hook{}
	}
	s.hooks[mark] = h
}

// hookOf returns the hook of the pack's kind, by the kind's mark; none for an unmarked kind.
func (s *Service) hookOf(p *policy.Compiled, kind string) Hook {
	a, ok := p.Approval(kind)
	if !ok || a.Mark() == "" {
		return Hook{}
	}
	return s.hooks[a.Mark()]
}

// checkHook runs the kind's Check on a request being filed.
func (s *Service) checkHook(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error {
	if h := s.hookOf(p, r.Kind); h.Check != nil {
		return h.Check(ctx, tx, p, who, r, now)
	}
	return nil
}

// approvedHook runs the kind's Approved once a decision has left the request approved.
func (s *Service) approvedHook(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error {
	if h := s.hookOf(p, r.Kind); h.Approved != nil && r.State == Approved {
		return h.Approved(ctx, tx, p, who, r, now)
	}
	return nil
}
