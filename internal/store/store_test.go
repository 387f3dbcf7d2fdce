package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func insertOrg(ctx context.Context, tx *sql.Tx, code string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx,
		`INSERT INTO organizations (code, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
		code, "テスト町", time.Now().UTC()).Scan(&id)
	return id, err
}

func TestMigrateAndTransactions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cur, latest, err := db.SchemaVersion(ctx)
		if err != nil || cur != latest || cur == 0 {
			t.Fatalf("schema version = %d/%d, %v; want migrated", cur, latest, err)
		}
		t.Run("commit keeps the row", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sql.Tx) error { _, err := insertOrg(ctx, tx, "a"); return err })
			if err != nil {
				t.Fatal(err)
			}
			var name string
			if err := db.SQL.QueryRowContext(ctx, `SELECT name FROM organizations WHERE code = $1`, "a").Scan(&name); err != nil || name != "テスト町" {
				t.Fatalf("name = %q, %v", name, err)
			}
		})
		t.Run("error rolls back", func(t *testing.T) {
			boom := errors.New("boom")
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := insertOrg(ctx, tx, "b"); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
			var n int
			db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM organizations WHERE code = 'b'`).Scan(&n)
			if n != 0 {
				t.Fatalf("rolled-back row is present")
			}
		})
		t.Run("unique violation is recognised", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sql.Tx) error { _, err := insertOrg(ctx, tx, "a"); return err })
			if !store.IsUniqueViolation(err) {
				t.Fatalf("err = %v, want unique violation", err)
			}
		})
		t.Run("foreign keys are enforced", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO departments (org_id, code, name, kind, created_at) VALUES ($1, 'x', 'x', 'section', $2)`, 999999, time.Now().UTC())
				return err
			})
			if !store.IsForeignKeyViolation(err) {
				t.Fatalf("err = %v, want foreign-key violation", err)
			}
		})
		t.Run("times round-trip in UTC", func(t *testing.T) {
			at := time.Date(2026, 3, 31, 23, 59, 58, 123456000, time.UTC)
			db.InTx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE organizations SET created_at = $1 WHERE code = 'a'`, at)
				return err
			})
			var got time.Time
			if err := db.SQL.QueryRowContext(ctx, `SELECT created_at FROM organizations WHERE code = 'a'`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !got.Equal(at) {
				t.Fatalf("got %v, want %v", got, at)
			}
		})
	})
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if err := db.InTx(ctx, func(tx *sql.Tx) error { _, err := insertOrg(ctx, tx, "bk"); return err }); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Fatal("backup over an existing file must fail")
	}
	cp, err := store.Open(ctx, store.Config{DSN: "file:" + out})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var n int
	if err := cp.SQL.QueryRowContext(ctx, `SELECT count(*) FROM organizations WHERE code = 'bk'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("copy has %d rows, %v", n, err)
	}
}

func TestOpenReportsProblems(t *testing.T) {
	ctx := context.Background()
	if _, err := store.Open(ctx, store.Config{DSN: "mysql://x"}); err == nil {
		t.Error("unknown scheme accepted")
	}
	_, err := store.Open(ctx, store.Config{DSN: "postgres://u:secretpw@127.0.0.1:1/db?connect_timeout=2"})
	if err == nil {
		t.Fatal("unreachable database accepted")
	}
	if strings.Contains(err.Error(), "secretpw") {
		t.Errorf("error shows the password: %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
	if _, err := store.Open(ctx, store.Config{DataDir: "/proc/mamori-cannot-be-here"}); err == nil {
		t.Error("unwritable data folder accepted")
	}
}

// TestSQLiteFileInAnOddlyNamedFolder: a data folder whose name holds '#', '?' or '%' keeps the
// database inside it; the name is not cut short into another file beside it.
func TestSQLiteFileInAnOddlyNamedFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "課#1?版%20")
	db, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		t.Fatalf("the database is not in its folder: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "課*")); len(left) != 1 {
		t.Fatalf("files beside the data folder: %v", left)
	}
}
