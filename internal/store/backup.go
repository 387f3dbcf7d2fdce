package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupUnsupported is returned by Backup on PostgreSQL, whose own pg_dump is the right tool.
var ErrBackupUnsupported = errors.New("online backup of PostgreSQL is done with pg_dump (see README)")

// Backup writes a consistent copy of the whole database to out while the server may be running.
// On SQLite this is VACUUM INTO, which reads one snapshot; the target must not exist yet.
func (db *DB) Backup(ctx context.Context, out string) error {
	if db.Engine != SQLite {
		return ErrBackupUnsupported
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup target %s already exists", abs)
	}
	if _, err := db.SQL.ExecContext(ctx, "VACUUM INTO $1", abs); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	return nil
}
