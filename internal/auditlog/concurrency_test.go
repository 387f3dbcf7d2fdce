package auditlog_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

const writers, perWriter = 8, 25

// appendConcurrently has writers goroutines append perWriter entries each, writer i through
// handles[i%len(handles)], and fails the test on any error.
func appendConcurrently(t *testing.T, orgID int64, handles ...*store.DB) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter)
	for w := range writers {
		db := handles[w%len(handles)]
		wg.Go(func() {
			for i := range perWriter {
				errs <- db.InTx(ctx, func(tx *sql.Tx) error {
					_, err := auditlog.Append(ctx, tx, clerk(orgID), t0, auditlog.Event{
						Entity: "document", EntityID: fmt.Sprintf("w%d-%d", w, i), Action: "document.update"})
					return err
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("append: %v", err)
		}
	}
}

func checkContiguous(t *testing.T, db *store.DB, orgID int64) {
	t.Helper()
	r := verify(t, db, orgID)
	if !r.OK() || r.Entries != writers*perWriter || r.HeadSeq != writers*perWriter {
		t.Fatalf("report = %+v, problem %+v", r, r.Problem)
	}
	var n, distinct, lo, hi int64
	if err := db.SQL.QueryRowContext(context.Background(), `SELECT count(*), count(DISTINCT entity_id), min(seq), max(seq)
		FROM audit_entries WHERE org_id = $1`, orgID).Scan(&n, &distinct, &lo, &hi); err != nil {
		t.Fatal(err)
	}
	if n != writers*perWriter || distinct != n || lo != 1 || hi != n {
		t.Fatalf("%d rows, %d distinct events, seq %d..%d", n, distinct, lo, hi)
	}
}

func TestConcurrentAppends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Run("one handle", func(t *testing.T) {
			orgID := newOrg(t, db, "one")
			appendConcurrently(t, orgID, db)
			checkContiguous(t, db, orgID)
		})
		t.Run("two handles on one database form one chain", func(t *testing.T) {
			a, b := storetest.TwoHandles(t, db)
			orgID := newOrg(t, a, "two")
			appendConcurrently(t, orgID, a, b)
			checkContiguous(t, b, orgID)
		})
	})
}
