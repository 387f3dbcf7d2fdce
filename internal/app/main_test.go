package app_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

var cheap = auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}

var now = time.Date(2026, 4, 1, 8, 30, 0, 0, time.UTC)

func clock() time.Time { return now }

func count(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
