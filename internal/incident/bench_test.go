package incident_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func benchEngines(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, storetest.Postgres(b)) })
}

// BenchmarkReport is report-to-saved latency: a report with its items and one evidence file,
// its timeline, audit entry and the notice to the first recipients, committed and read back.
func BenchmarkReport(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		e := newEnv(b, db, "koge")
		b.ResetTimer()
		for b.Loop() {
			e.report(e.clerk, "ベンチマークの事案")
		}
	})
}

// BenchmarkTimelineAppend is timeline append throughput: notes added to one incident, each in
// its own transaction with its audit entry.
func BenchmarkTimelineAppend(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		e := newEnv(b, db, "koge")
		in := e.report(e.clerk, "経過記録のベンチマーク")
		na := e.Holder("network_admin@org")
		b.ResetTimer()
		for b.Loop() {
			if _, err := e.S.Incidents.AddNote(ctx, na, in.ID, time.Time{}, "ログを確認した"); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		full, err := e.S.Incidents.Get(ctx, na, in.ID)
		if err != nil || len(full.Timeline) < b.N {
			b.Fatalf("timeline %d entries after %d appends: %v", len(full.Timeline), b.N, err)
		}
	})
}
