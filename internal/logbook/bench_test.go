package logbook_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/logbook"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// benchEntries is how many entries the list benchmark writes: MAMORI_BENCH_LOGBOOK, a million by
// default.
func benchEntries() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_BENCH_LOGBOOK")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// fill writes n entries of 上毛町's logbooks straight into the table (not through the service,
// which would audit each one), spread over the logbooks, two departments and n minutes; every
// tenth entry of the second-person logbook waits for confirmation.
func fill(b *testing.B, db *store.DB, f *fixture, n int) {
	b.Helper()
	ctx := context.Background()
	books := f.pack.Logbooks
	words := []string{"サーバ室 入室", "端末 保守", "媒体 交換", "パッチ 適用", "障害 対応", "ネットワーク 点検"}
	base := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	const rows = 200
	for done := 0; done < n; {
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			for end := min(done+20_000, n); done < end; {
				var vals []string
				var args []any
				for k := 0; k < rows && done < end; k, done = k+1, done+1 {
					lb := books[done%len(books)]
					dept := []int64{f.soumu, f.zeimu}[done/len(books)%2]
					status := ""
					if lb.SecondPerson {
						status = logbook.Confirmed
						if done%10 == 0 {
							status = logbook.Pending
						}
					}
					text := strings.ToLower(words[done%len(words)]+" "+strconv.Itoa(done)) + "  "
					p := len(args)
					vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, $%d, '{}', '{}', $%d, $%d, 'bench', $%d)", p+1, p+2, p+3, p+4, p+5, p+6, p+7))
					args = append(args, f.org, lb.ID, dept, base.Add(-time.Duration(done)*time.Minute), text, status, base)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO logbook_entries (org_id, logbook, department_id, occurred_at,
					fields_json, display_json, search_text, status, written_by, created_at) VALUES `+strings.Join(vals, ", "), args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogbookList lists pages of a logbook among a million entries: the first page, a
// department's, the unconfirmed ones, a page deep in the list, and a search.
func BenchmarkLogbookList(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.SQLite}, {"postgres", func(tb testing.TB) *store.DB { return storetest.Postgres(tb) }}} {
		b.Run(engine.name, func(b *testing.B) { benchList(b, engine.open(b)) })
	}
}

func benchList(b *testing.B, db *store.DB) {
	{
		f := newFixture(b, db, "koge")
		n := benchEntries()
		fill(b, db, f, n)
		lb, _ := secondPerson(f.pack)
		ctx := context.Background()
		for name, fl := range map[string]logbook.Filter{
			"first page":       {Logbook: "room_access"},
			"department":       {Logbook: "room_access", DepartmentID: f.zeimu},
			"unconfirmed":      {Logbook: lb.ID, Unconfirmed: true},
			"deep page":        {Logbook: "room_access", Offset: 10_000},
			"date range":       {Logbook: "room_access", From: "2026-03-01", To: "2026-03-10"},
			"search two chars": {Logbook: "room_access", Query: "媒体"},
			"search rare":      {Logbook: "room_access", Query: "パッチ " + strconv.Itoa(n/2)},
		} {
			b.Run(name, func(b *testing.B) {
				fl.Limit = 50
				for b.Loop() {
					if _, _, err := f.s.Logbooks.List(ctx, f.admin, fl); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
