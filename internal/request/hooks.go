package request

import (
	"context"
	"database/sql"
	"sync"
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

var (
	hooksMu sync.RWMutex
	hooks   = map[string]Hook{}
)

// Observe sets the hook of an approval kind (by its id in the packs). A hook is code of
// Mamori's, the same for every organisation and service, so setting it again replaces it.
func Observe(kind string, h Hook) {
	hooksMu.Lock()
	defer hooksMu.Unlock()
	hooks[kind] = h
}

func hookOf(kind string) Hook {
	hooksMu.RLock()
	defer hooksMu.RUnlock()
	return hooks[kind]
}

// checkHook runs the kind's Check on a request being filed.
func checkHook(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error {
	if h := hookOf(r.Kind); h.Check != nil {
		return h.Check(ctx, tx, p, who, r, now)
	}
	return nil
}

// approvedHook runs the kind's Approved once a decision has left the request approved.
func approvedHook(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, now time.Time) error {
	if h := hookOf(r.Kind); h.Approved != nil && r.State == Approved {
		return h.Approved(ctx, tx, p, who, r, now)
	}
	return nil
}
