package auditlog_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// t0 has nanoseconds on purpose: entries keep microseconds, and the hash must survive the
// round trip through either engine.
var t0 = time.Date(2026, 4, 1, 9, 0, 0, 123456789, time.FixedZone("JST", 9*60*60))

// newOrg inserts an organisation and starts its audit chain, as org.CreateOrganization does.
func newOrg(t *testing.T, db *store.DB, code string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO organizations (code, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
			code, "テスト市 "+code, t0.UTC()).Scan(&id); err != nil {
			return err
		}
		return auditlog.Start(ctx, tx, id)
	})
	if err != nil {
		t.Fatalf("create organisation %s: %v", code, err)
	}
	return id
}

func clerk(orgID int64) access.Actor {
	return access.Actor{OrgID: orgID, UserID: 7, Login: "tanaka", RemoteAddr: "192.0.2.10", UserAgent: "Mozilla/5.0 テスト"}
}

// appendOne appends one entry in its own transaction.
func appendOne(t *testing.T, db *store.DB, who access.Actor, at time.Time, ev auditlog.Event) auditlog.Entry {
	t.Helper()
	var e auditlog.Entry
	err := db.InTx(context.Background(), func(tx *sql.Tx) error {
		var err error
		e, err = auditlog.Append(context.Background(), tx, who, at, ev)
		return err
	})
	if err != nil {
		t.Fatalf("append: %v", err)
	}
	return e
}

// appendN appends n document updates, one minute apart, and returns them oldest first.
func appendN(t *testing.T, db *store.DB, orgID int64, n int) []auditlog.Entry {
	t.Helper()
	var out []auditlog.Entry
	for i := 1; i <= n; i++ {
		out = append(out, appendOne(t, db, clerk(orgID), t0.Add(time.Duration(i)*time.Minute), auditlog.Event{
			Entity: "document", EntityID: int64(100 + i), Action: "document.update",
			Before: map[string]any{"version": i - 1}, After: map[string]any{"version": i, "title": "情報資産台帳"},
		}))
	}
	return out
}

func verify(t *testing.T, db *store.DB, orgID int64) auditlog.Report {
	t.Helper()
	r, err := auditlog.Verify(context.Background(), db.SQL, orgID)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return r
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.SQL.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
