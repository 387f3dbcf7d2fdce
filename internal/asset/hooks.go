package asset

import (
	"context"
	"database/sql"

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
	stateHooks []StateHook
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
// inside their own transactions (a request taken out, returned or disposed of).
type StateHook func(ctx context.Context, tx *sql.Tx, who access.Actor, a Asset) error

// OnStateChange adds a hook called by ChangeState through this service. Like AfterWrite it is
// set up when the services are assembled, before any write; another Service in the same
// process has hooks of its own.
func (s *Service) OnStateChange(h StateHook) { s.stateHooks = append(s.stateHooks, h) }

// stateChanged runs the state hooks on an asset as ChangeState left it. A nil service has none.
func (s *Service) stateChanged(ctx context.Context, tx *sql.Tx, who access.Actor, a Asset) error {
	if s == nil {
		return nil
	}
	for _, h := range s.stateHooks {
		if err := h(ctx, tx, who, a); err != nil {
			return err
		}
	}
	return nil
}
