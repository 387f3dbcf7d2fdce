package auditlog_test

// Benchmarks of the audit chain: how fast entries can be appended by concurrent writers, and how
// fast a long chain verifies beside plain SHA-256 over the same bytes. docs/PERFORMANCE.md
// records the figures and how to run them:
//
//	CI=true go test -run '^$' -bench . -benchtime 3s -count 3 ./internal/auditlog/
//
// MAMORI_BENCH_PG_DSN=postgres://… runs the PostgreSQL cases on that (scratch) database instead
// of the test cluster, which runs with fsync off and so does not show the cost of a durable
// commit. The benchmarks add organisations and entries to it and leave them there.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// chainLength is the chain BenchmarkVerify walks.
const chainLength = 100_000

// benchEngines opens a fresh database per engine.
var benchEngines = []struct {
	name string
	open func(testing.TB) *store.DB
}{
	{"sqlite", storetest.SQLite},
	{"postgres", benchPostgres},
}

func benchPostgres(tb testing.TB) *store.DB {
	dsn := os.Getenv("MAMORI_BENCH_PG_DSN")
	if dsn == "" {
		return storetest.Postgres(tb)
	}
	db, err := store.Open(context.Background(), store.Config{DSN: dsn})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

var benchOrgs atomic.Int64

// benchOrg creates an organisation with its chain head, under a code no other run has used.
func benchOrg(tb testing.TB, db *store.DB) int64 {
	tb.Helper()
	ctx := context.Background()
	code := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), benchOrgs.Add(1))
	var id int64
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO organizations (code, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
			code, "ベンチ市", time.Now().UTC()).Scan(&id); err != nil {
			return err
		}
		return auditlog.Start(ctx, tx, id)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// benchActor and benchEvent make an entry of a typical size: a clerk's browser changing a record.
func benchActor(orgID int64) access.Actor {
	return access.Actor{OrgID: orgID, UserID: 7, Login: "tanaka", RemoteAddr: "192.0.2.10",
		UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"}
}

func benchEvent(i int) auditlog.Event {
	return auditlog.Event{Entity: "staff", EntityID: int64(1000 + i%500), Action: "staff.update",
		Before: map[string]any{"name": "山田 太郎", "title": "主事", "department_id": 12, "active": true},
		After:  map[string]any{"name": "山田 太郎", "title": "主任", "department_id": 12, "active": true}}
}

// BenchmarkAppend appends entries to one organisation's chain, each in its own transaction as a
// service does, from 1 and from 8 goroutines sharing one *store.DB. ns/op is wall time per entry
// over all writers; entries/s is the rate the chain grows at.
func BenchmarkAppend(b *testing.B) {
	for _, eng := range benchEngines {
		b.Run(eng.name, func(b *testing.B) {
			db := eng.open(b)
			for _, writers := range []int{1, 8} {
				b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
					orgID := benchOrg(b, db)
					benchAppend(b, db, orgID, writers)
					b.StopTimer()
					r, err := auditlog.Verify(context.Background(), db.SQL, orgID)
					if err != nil || !r.OK() || r.Entries != int64(b.N) {
						b.Fatalf("after %d appends: report %+v problem %+v, %v", b.N, r, r.Problem, err)
					}
				})
			}
		})
	}
}

func benchAppend(b *testing.B, db *store.DB, orgID int64, writers int) {
	ctx := context.Background()
	who := benchActor(orgID)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	b.ResetTimer()
	for range writers {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				err := db.InTx(ctx, func(tx *sql.Tx) error {
					_, err := auditlog.Append(ctx, tx, who, time.Now(), benchEvent(int(i)))
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkVerify walks a chain of chainLength entries, written in one transaction beforehand.
// MB/s counts the canonical bytes hashed (what SHA-256 sees), as BenchmarkSHA256 does.
func BenchmarkVerify(b *testing.B) {
	for _, eng := range benchEngines {
		b.Run(eng.name, func(b *testing.B) {
			db := eng.open(b)
			orgID, size := benchChain(b, db, chainLength)
			b.Run(fmt.Sprintf("entries=%d", chainLength), func(b *testing.B) {
				b.SetBytes(size)
				for b.Loop() {
					r, err := auditlog.Verify(context.Background(), db.SQL, orgID)
					if err != nil || !r.OK() || r.Entries != chainLength {
						b.Fatalf("report %+v problem %+v, %v", r, r.Problem, err)
					}
				}
				b.ReportMetric(float64(b.N*chainLength)/b.Elapsed().Seconds(), "entries/s")
			})
		})
	}
}

// chainBatch is how many entries benchChain appends per transaction. One transaction for the
// whole chain would be fastest on SQLite, but on PostgreSQL every Append in a transaction
// updates the same head row again, and each update walks the versions the transaction has
// already made of it: the cost per entry grows with the transaction (BenchmarkAppendInOneTx).
const chainBatch = 1000

// benchChain appends n entries to a new organisation, chainBatch per transaction, and returns
// the organisation and the total size of the entries' canonical encodings.
func benchChain(b *testing.B, db *store.DB, n int) (orgID, size int64) {
	b.Helper()
	ctx := context.Background()
	orgID = benchOrg(b, db)
	who := benchActor(orgID)
	at := time.Now()
	for first := 0; first < n; first += chainBatch {
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			for i := first; i < min(first+chainBatch, n); i++ {
				e, err := auditlog.Append(ctx, tx, who, at.Add(time.Duration(i)*time.Millisecond), benchEvent(i))
				if err != nil {
					return err
				}
				size += int64(len(canonicalBytes(b, e)))
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return orgID, size
}

// BenchmarkAppendInOneTx appends batches of entries, each batch in one transaction, as a bulk
// change (an import, the demo load) does. us/entry should not depend on the batch size.
func BenchmarkAppendInOneTx(b *testing.B) {
	ctx := context.Background()
	for _, eng := range benchEngines {
		b.Run(eng.name, func(b *testing.B) {
			db := eng.open(b)
			for _, batch := range []int{10, 100, 1000, 10000} {
				b.Run(fmt.Sprintf("entries=%d", batch), func(b *testing.B) {
					orgID := benchOrg(b, db)
					who := benchActor(orgID)
					for b.Loop() {
						err := db.InTx(ctx, func(tx *sql.Tx) error {
							for i := range batch {
								if _, err := auditlog.Append(ctx, tx, who, time.Now(), benchEvent(i)); err != nil {
									return err
								}
							}
							return nil
						})
						if err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "us/entry")
				})
			}
		})
	}
}

// canonicalBytes re-creates what ComputeHash hashes, so that MB/s counts the hashed bytes, and
// fails the benchmark if it no longer matches the hash the entry carries.
func canonicalBytes(b *testing.B, e auditlog.Entry) []byte {
	c, err := json.Marshal(struct {
		V           int    `json:"v"`
		OrgID       int64  `json:"org"`
		Seq         int64  `json:"seq"`
		At          string `json:"at"`
		ActorUserID int64  `json:"actor_user_id"`
		Actor       string `json:"actor"`
		RemoteAddr  string `json:"remote_addr"`
		UserAgent   string `json:"user_agent"`
		Entity      string `json:"entity"`
		EntityID    string `json:"entity_id"`
		Action      string `json:"action"`
		Before      string `json:"before"`
		After       string `json:"after"`
		PrevHash    string `json:"prev"`
	}{1, e.OrgID, e.Seq, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.ActorUserID, e.Actor, e.RemoteAddr,
		e.UserAgent, e.Entity, e.EntityID, e.Action, e.Before, e.After, e.PrevHash})
	if err != nil {
		b.Fatal(err)
	}
	if sum := sha256.Sum256(c); hex.EncodeToString(sum[:]) != e.Hash {
		b.Fatalf("the benchmark's copy of the canonical encoding no longer matches Entry.ComputeHash")
	}
	return c
}

// benchEntries builds n chained entries in memory, without a database.
func benchEntries(n int) []auditlog.Entry {
	out := make([]auditlog.Entry, n)
	prev := auditlog.Genesis
	at := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		ev := benchEvent(i)
		before, _ := json.Marshal(ev.Before)
		after, _ := json.Marshal(ev.After)
		who := benchActor(1)
		e := auditlog.Entry{OrgID: 1, Seq: int64(i + 1), At: at.Add(time.Duration(i) * time.Millisecond), ActorUserID: who.UserID,
			Actor: who.Login, RemoteAddr: who.RemoteAddr, UserAgent: who.UserAgent, Entity: ev.Entity,
			EntityID: fmt.Sprint(ev.EntityID), Action: ev.Action, Before: string(before), After: string(after), PrevHash: prev}
		e.Hash = e.ComputeHash()
		out[i], prev = e, e.Hash
	}
	return out
}

// BenchmarkComputeHash is Verify's work without the database: encode each entry canonically,
// hash it and compare, over a chain of chainLength entries held in memory.
func BenchmarkComputeHash(b *testing.B) {
	entries := benchEntries(chainLength)
	var size int64
	for _, e := range entries {
		size += int64(len(canonicalBytes(b, e)))
	}
	b.SetBytes(size)
	for b.Loop() {
		for i := range entries {
			if entries[i].ComputeHash() != entries[i].Hash {
				b.Fatal("hash mismatch")
			}
		}
	}
	b.ReportMetric(float64(b.N*chainLength)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkSHA256 hashes as many bytes as BenchmarkVerify does, in blocks of the average
// canonical entry size: the floor no verification can go below.
func BenchmarkSHA256(b *testing.B) {
	entries := benchEntries(chainLength)
	var size int64
	for _, e := range entries {
		size += int64(len(canonicalBytes(b, e)))
	}
	block := make([]byte, size/chainLength)
	for i := range block {
		block[i] = byte('a' + i%26)
	}
	b.SetBytes(int64(len(block)) * chainLength)
	var sink [sha256.Size]byte
	for b.Loop() {
		for range chainLength {
			sink = sha256.Sum256(block)
		}
	}
	_ = sink
	b.ReportMetric(float64(b.N*chainLength)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(float64(len(block)), "bytes/entry")
}
