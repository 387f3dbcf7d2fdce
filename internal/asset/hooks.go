package asset

import (
	"context"
	"database/sql"
	"sync"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// WriteHook is called inside the transaction of every write of the register — Create,
// Update, Delete and CreateMany — with the assets as written and the ids of those deleted, so
// that what depends on the register (the compliance rules) is brought up to date in the same
// transaction: a write that rolls back leaves no trace there either. p is the pack the write
// was validated against (nil for a deletion). An error rolls the write back.
type WriteHook func(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, written []Asset, deleted []int64) error

// writeHooks are the hooks of one Service.
type writeHooks struct {
	afterWrite []WriteHook
}

// AfterWrite adds a hook called after every write of the register through this service. It is
// set up when the services are assembled, before any write.
func (s *Service) AfterWrite(h WriteHook) { s.afterWrite = append(s.afterWrite, h) }

// wrote runs the hooks of a write.
func (s *Service) wrote(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, written []Asset, deleted []int64) error {
	for _, h := range s.afterWrite {
		if err := h(ctx, tx, who, p, written, deleted); err != nil {
			return err
		}
	}
	return nil
}

// StateHook is called inside the transaction of ChangeState, which other services call
// without the register's Service (a request taken out, returned or disposed of).
type StateHook func(ctx context.Context, tx *sql.Tx, who access.Actor, a Asset) error

var (
	stateMu    sync.RWMutex
	stateHooks = map[string]StateHook{}
)

// OnStateChange sets the state hook called name. A hook is code of Mamori's, the same for
// every organisation and service, so setting it again under the same name replaces it.
func OnStateChange(name string, h StateHook) {
	stateMu.Lock()
	defer stateMu.Unlock()
	stateHooks[name] = h
}

// stateChanged runs the state hooks on an asset as ChangeState left it.
func stateChanged(ctx context.Context, tx *sql.Tx, who access.Actor, a Asset) error {
	stateMu.RLock()
	defer stateMu.RUnlock()
	for _, h := range stateHooks {
		if err := h(ctx, tx, who, a); err != nil {
			return err
		}
	}
	return nil
}
