package compliance

import (
	"cmp"
	"context"
	"database/sql"
	"slices"

	"mamori/internal/apperr"
)

// The organisation's overview counts the open findings (not covered by an exception) by
// department and severity. Counting them from the findings visits every open one; instead
// compliance_open_counts (migration 00027) keeps the counts, and every write that opens,
// changes, closes, suppresses or reopens a finding adds its difference there in its own
// transaction: settle (a write's check and a sweep), suppress (an exception approved) and
// endException (an exception ended, its findings reopened).

// countKey is one cell of the open counts: a department (0 for none) and a severity rank.
type countKey struct {
	department int64
	rank       int
}

// countDelta is what a transaction changed in the open counts, added at its end by flush.
type countDelta map[countKey]int64

// add counts one finding more (n = 1) or less (n = -1) in a department and severity.
func (d countDelta) add(department int64, rank int, n int64) {
	d[countKey{department, rank}] += n
}

// flush adds the differences to compliance_open_counts, inside tx. Each cell is one upsert
// that adds to the stored count, so concurrent writers do not lose each other's differences.
func (d countDelta) flush(ctx context.Context, tx *sql.Tx, orgID int64) error {
	keys := make([]countKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	// In one order, so that two transactions on PostgreSQL lock the cells alike.
	slices.SortFunc(keys, func(a, b countKey) int {
		return cmp.Or(cmp.Compare(a.department, b.department), cmp.Compare(a.rank, b.rank))
	})
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO compliance_open_counts (org_id, department_id, severity_rank, open)
			VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, department_id, severity_rank)
			DO UPDATE SET open = compliance_open_counts.open + excluded.open`, orgID, k.department, k.rank, d[k]); err != nil {
			return apperr.Wrap(err, "open finding counts")
		}
	}
	clear(d)
	return nil
}
