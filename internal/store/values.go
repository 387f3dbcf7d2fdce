package store

import (
	"context"
	"database/sql"
	"time"
)

// Querier is what both *sql.DB and *sql.Tx offer, so a query helper runs inside or outside a
// transaction.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// NullID stores a zero id as NULL: an optional reference that is not set.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Now reads the clock (the wall clock when clock is nil) as the database keeps times: in UTC,
// to the microsecond, so a time read back equals the time written.
func Now(clock func() time.Time) time.Time {
	if clock != nil {
		return clock().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}
