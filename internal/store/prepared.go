package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// Prepared statements for the reads a page makes on every request (the home page's desk).
// modernc's SQLite driver prepares every statement anew each time it runs — parsing and
// planning was about a third of the desk's CPU (docs/PERFORMANCE.md §11) — while pgx keeps
// the statements it has run prepared on each connection already. Reads therefore keeps the
// most recently run statements prepared on SQLite (database/sql prepares each again on every
// connection it runs on) and passes straight through on PostgreSQL.

// preparedKept is how many statements Reads keeps prepared: the desks of a few hundred
// people, whose statements differ by the departments and roles they name.
const preparedKept = 512

type prepared struct {
	mu    sync.Mutex
	order *list.List // of *preparedStmt, most recently used first
	by    map[string]*list.Element
}

type preparedStmt struct {
	query   string
	stmt    *sql.Stmt
	running int  // queries being started on it
	evicted bool // no longer kept: closed when the last running query has started
}

// Reads returns a Querier that runs reads on prepared statements where the engine needs it.
// Statements that change data belong in InTx.
func (db *DB) Reads() Querier {
	if db.Engine != SQLite {
		return db.SQL
	}
	return reads{db}
}

type reads struct{ db *DB }

func (r reads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ps, err := r.db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	defer r.db.release(ps)
	return ps.stmt.QueryContext(ctx, args...)
}

func (r reads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ps, err := r.db.stmt(ctx, query)
	if err != nil {
		// A *sql.Row carrying the error: the statement is run unprepared and fails alike.
		return r.db.SQL.QueryRowContext(ctx, query, args...)
	}
	defer r.db.release(ps)
	return ps.stmt.QueryRowContext(ctx, args...)
}

func (r reads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.db.SQL.ExecContext(ctx, query, args...)
}

// stmt returns the statement of query prepared, preparing it when it is not kept, marked as
// running until release. The least recently used is let go when more than preparedKept are,
// and closed once no query is being started on it (rows already open keep their statement
// until they are closed: database/sql waits for them).
func (db *DB) stmt(ctx context.Context, query string) (*preparedStmt, error) {
	db.prep.mu.Lock()
	if db.prep.by == nil {
		db.prep.by, db.prep.order = map[string]*list.Element{}, list.New()
	}
	if el, ok := db.prep.by[query]; ok {
		db.prep.order.MoveToFront(el)
		ps := el.Value.(*preparedStmt)
		ps.running++
		db.prep.mu.Unlock()
		return ps, nil
	}
	db.prep.mu.Unlock()
	st, err := db.SQL.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.prep.mu.Lock()
	defer db.prep.mu.Unlock()
	if el, ok := db.prep.by[query]; ok { // prepared meanwhile by another request
		st.Close()
		db.prep.order.MoveToFront(el)
		ps := el.Value.(*preparedStmt)
		ps.running++
		return ps, nil
	}
	ps := &preparedStmt{query: query, stmt: st, running: 1}
	db.prep.by[query] = db.prep.order.PushFront(ps)
	for db.prep.order.Len() > preparedKept {
		old := db.prep.order.Remove(db.prep.order.Back()).(*preparedStmt)
		delete(db.prep.by, old.query)
		old.evicted = true
		if old.running == 0 {
			old.stmt.Close()
		}
	}
	return ps, nil
}

// release marks a query on ps as started, closing ps when it was let go meanwhile.
func (db *DB) release(ps *preparedStmt) {
	db.prep.mu.Lock()
	defer db.prep.mu.Unlock()
	ps.running--
	if ps.evicted && ps.running == 0 {
		ps.stmt.Close()
	}
}
