package auditlog

import (
	"context"
	"database/sql"
	"fmt"
)

// Problem names the first entry at which the chain breaks.
type Problem struct {
	Seq    int64  `json:"seq"`
	ID     int64  `json:"id,omitempty"`
	Reason string `json:"reason"`
}

// Report is the result of verifying one organisation's chain.
type Report struct {
	OrgID    int64    `json:"org_id"`
	Entries  int64    `json:"entries"`
	HeadSeq  int64    `json:"head_seq"`
	HeadHash string   `json:"head_hash"`
	Problem  *Problem `json:"problem,omitempty"`
}

// OK reports whether the chain verified.
func (r Report) OK() bool { return r.Problem == nil }

// Verify walks an organisation's chain from the first entry: every sequence number must follow
// the one before, every entry must link to its predecessor's hash and hash to what it carries,
// and the last entry must be the one the head records. Entries appended while it runs, beyond
// the head it read first, are left for the next run.
func Verify(ctx context.Context, db *sql.DB, orgID int64) (Report, error) {
	return verifyFrom(ctx, db, orgID, 0, Genesis)
}

// verifyFrom checks the entries after seq `after`, the first of which must link to prev.
// Entries counts only the entries it checked.
func verifyFrom(ctx context.Context, db *sql.DB, orgID, after int64, prev string) (Report, error) {
	r := Report{OrgID: orgID}
	err := db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads WHERE org_id = $1`, orgID).Scan(&r.HeadSeq, &r.HeadHash)
	if err != nil {
		return r, fmt.Errorf("audit head of organisation %d: %w", orgID, err)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+entryColumns+` FROM audit_entries
		WHERE org_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq, id`, orgID, after, r.HeadSeq)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	last := after
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return r, err
		}
		r.Entries++
		switch {
		case e.Seq != last+1:
			r.Problem = &Problem{Seq: last + 1, Reason: fmt.Sprintf("entry %d is missing (next present is %d)", last+1, e.Seq)}
		case e.PrevHash != prev:
			r.Problem = &Problem{Seq: e.Seq, ID: e.ID, Reason: "does not link to the previous entry"}
		case e.ComputeHash() != e.Hash:
			r.Problem = &Problem{Seq: e.Seq, ID: e.ID, Reason: "content does not match its hash (altered)"}
		}
		if r.Problem != nil {
			return r, nil
		}
		prev, last = e.Hash, e.Seq
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	switch {
	case last != r.HeadSeq:
		r.Problem = &Problem{Seq: last + 1, Reason: fmt.Sprintf("entries %d to %d recorded by the head are missing", last+1, r.HeadSeq)}
	case prev != r.HeadHash:
		r.Problem = &Problem{Seq: last, Reason: "last entry does not match the chain head"}
	}
	return r, nil
}

// VerifyAll verifies every organisation's chain.
func VerifyAll(ctx context.Context, db *sql.DB) ([]Report, error) {
	rows, err := db.QueryContext(ctx, `SELECT org_id FROM audit_heads ORDER BY org_id`)
	if err != nil {
		return nil, err
	}
	var orgs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		orgs = append(orgs, id)
	}
	rows.Close()
	var out []Report
	for _, id := range orgs {
		r, err := Verify(ctx, db, id)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}
