package store

// SkipLocked ends a SELECT of rows that a worker is about to claim (a due mail, a job): on
// PostgreSQL it locks the rows it picks and passes over those another process has locked, so
// that workers of several processes take different rows without waiting for each other; SQLite
// has one writer at a time, whose immediate transaction (InTx) already keeps others out.
func (db *DB) SkipLocked() string {
	if db.Engine == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
