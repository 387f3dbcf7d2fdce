// Package storetest gives each test a fresh, migrated database: an SQLite file in the test's
// temp folder and, when PostgreSQL's binaries are installed, a database in a throwaway cluster
// that the harness starts itself. With CI=true a missing PostgreSQL fails the run.
//
// A package that uses it calls storetest.Main from its TestMain so the cluster is stopped at the
// end.
package storetest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"mamori/internal/store"
)

// Main runs the package's tests and stops the PostgreSQL cluster afterwards, if one was started.
func Main(m *testing.M) {
	code := m.Run()
	stopCluster()
	os.Exit(code)
}

// InCI reports whether the tests run in CI, where missing components fail instead of skipping.
func InCI() bool { return os.Getenv("CI") == "true" }

// Each runs fn as a subtest once per engine: "sqlite" always, "postgres" when available.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a fresh migrated SQLite database in a temp folder.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return db
}

// Postgres returns a fresh migrated PostgreSQL database, skipping the test when PostgreSQL is
// not installed (and failing it when CI=true).
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	dsn := PostgresDSN(t)
	db, err := store.Open(context.Background(), store.Config{DSN: dsn})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var dbCounter atomic.Int64

// PostgresDSN creates a fresh migrated database in the shared cluster and returns its DSN, so a
// test can open it more than once (as two server processes would).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	c, err := cluster()
	if err != nil {
		if InCI() {
			t.Fatalf("PostgreSQL is required in CI: %v", err)
		}
		t.Skipf("PostgreSQL not available: %v", err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbCounter.Add(1))
	if err := c.createDatabase(name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return c.dsn(name)
}

var (
	clusterOnce sync.Once
	theCluster  *pgCluster
	clusterErr  error
)

func cluster() (*pgCluster, error) {
	clusterOnce.Do(func() {
		theCluster, clusterErr = startCluster()
		if clusterErr == nil {
			clusterErr = theCluster.prepareTemplate()
		}
	})
	return theCluster, clusterErr
}

func stopCluster() {
	if theCluster != nil {
		theCluster.stop()
	}
}

// TwoHandles returns two separately opened handles on one fresh database of db's engine, as two
// server processes would have: on SQLite db itself and a second handle on its file, on
// PostgreSQL two handles on a new database.
func TwoHandles(t testing.TB, db *store.DB) (*store.DB, *store.DB) {
	t.Helper()
	open := func(dsn string) *store.DB {
		h, err := store.Open(context.Background(), store.Config{DSN: dsn})
		if err != nil {
			t.Fatalf("open %s: %v", dsn, err)
		}
		t.Cleanup(func() { h.Close() })
		return h
	}
	if db.Engine == store.SQLite {
		return db, open("file:" + db.Where)
	}
	dsn := PostgresDSN(t)
	return open(dsn), open(dsn)
}
