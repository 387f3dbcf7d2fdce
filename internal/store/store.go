// Package store opens Mamori's database — an embedded SQLite file by default, PostgreSQL for
// larger installations — runs its migrations and holds the few differences between the two.
// Nothing outside this package knows which engine it is talking to.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// Engine names the database engine behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Config says where the data lives. DSN empty means an SQLite file in DataDir.
type Config struct {
	DataDir string
	DSN     string
}

// DB is an open database with its engine.
type DB struct {
	SQL    *sql.DB
	Engine Engine
	// Where is a short description for logs: a file path or a host, never a password.
	Where string
}

// FileName is the SQLite database file inside the data folder.
const FileName = "mamori.db"

// Open opens (and for SQLite creates) the database the config names and checks that it answers.
// It does not migrate; call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	dsn := strings.TrimSpace(cfg.DSN)
	switch {
	case dsn == "" || strings.HasPrefix(dsn, "sqlite:") || strings.HasPrefix(dsn, "file:"):
		return openSQLite(ctx, cfg.DataDir, dsn)
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	default:
		return nil, fmt.Errorf("database DSN %q: unknown scheme (use postgres://… or leave empty for SQLite)", redact(dsn))
	}
}

func sqlitePath(dataDir, dsn string) string {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
	case strings.HasPrefix(dsn, "file:"):
		p := strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		return p
	}
	return filepath.Join(dataDir, FileName)
}

// uriPath escapes a file path for a SQLite URI filename: a '#' or '?' in a folder's name would
// otherwise end the path there and open another file (SQLite decodes %HH in URI filenames).
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "#", "%23", "?", "%3f").Replace(path)
}

func openSQLite(ctx context.Context, dataDir, dsn string) (*DB, error) {
	path := sqlitePath(dataDir, dsn)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder %s cannot be created: %w", dir, unwrapPath(err))
	}
	if err := checkWritable(dir); err != nil {
		return nil, fmt.Errorf("data folder %s is not writable: %w", dir, err)
	}
	// Pages are read through a memory map shared by every connection, and each connection keeps
	// up to 32 MiB of pages of its own: reading them with a system call each time cost a large
	// register's searches almost half their throughput (docs/PERFORMANCE.md §6).
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(15000)", "mmap_size(1073741824)", "cache_size(-32768)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	// Idle connections are kept up to the open limit: closing and reopening them under load
	// cost a quarter of the API's throughput (docs/PERFORMANCE.md).
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s cannot be opened: %w", path, err)
	}
	return &DB{SQL: db, Engine: SQLite, Where: path}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("database DSN is malformed: %v", redactErr(err, dsn))
	}
	where := u.Host + u.Path
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %v", where, redactErr(err, dsn))
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres %s is unreachable: %v", where, redactErr(err, dsn))
	}
	return &DB{SQL: db, Engine: Postgres, Where: where}, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.SQL.Close() }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }

// InTx runs fn in one transaction, committing when fn returns nil and rolling back otherwise.
// On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE), so writers queue
// instead of failing; on PostgreSQL it is READ COMMITTED and writers serialise on the rows they
// lock.
func (db *DB) InTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".mamori-write-check-*")
	if err != nil {
		return unwrapPath(err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// redact hides a password in a DSN.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// redactErr renders a driver error on one line without the DSN's password.
func redactErr(err error, dsn string) string {
	msg := strings.NewReplacer(":\n", ": ", "\n", "; ").Replace(err.Error())
	msg = strings.Join(strings.Fields(msg), " ")
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}
