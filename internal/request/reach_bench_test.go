package request_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/orgpolicy"
	"mamori/internal/request"
	"mamori/internal/store"
)

// benchListed is how many requests BenchmarkListReach fills the tables with:
// MAMORI_BENCH_LISTED_REQUESTS, 10,000 by default.
func benchListed() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_BENCH_LISTED_REQUESTS")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// BenchmarkListReach reads the first page (100) of the request list among many requests, each
// about an asset of the highest class of another department and naming its system: as a
// reader from whom the asset's details are hidden (the ネットワーク管理者, whose list is
// screened: screen.go) and as one who sees them (the 情報セキュリティ管理者, for whom nothing is
// looked up), so that the difference is the cost of the register's rule on the list.
//
//	CI=true go test -run '^$' -bench ListReach -benchtime 3s ./internal/request/
func BenchmarkListReach(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		e := newEnv(b, db, "koge")
		secret := e.asset("terminal", map[string]string{"importance": "I"}, "").ID // of department A
		n := benchListed()
		fillRequests(b, e, n)
		var first int64
		if err := db.SQL.QueryRowContext(ctx, `SELECT MIN(id) FROM requests`).Scan(&first); err != nil {
			b.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `UPDATE requests SET system_ref = 'SYS1'`); err != nil {
			b.Fatal(err)
		}
		const batch = 500
		for from := 0; from < n; from += batch {
			var rows []string
			var args []any
			for i := from; i < min(from+batch, n); i++ {
				p := len(args)
				rows = append(rows, fmt.Sprintf("($%d, $%d, $%d)", p+1, p+2, p+3))
				args = append(args, first+int64(i), e.Admin.OrgID, secret)
			}
			if _, err := db.SQL.ExecContext(ctx, `INSERT INTO request_assets (request_id, org_id, asset_id) VALUES `+strings.Join(rows, ", "), args...); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := db.SQL.ExecContext(ctx, `ANALYZE request_assets`); err != nil {
			b.Fatal(err)
		}
		// The readers are staff of department B: the asset is not their department's.
		mark := func(a access.Actor) access.Actor {
			a.DepartmentID = e.DeptB
			marks := orgpolicy.MarksOf(e.P)
			for i, g := range a.Roles {
				a.Roles[i] = g.Marked(marks[g.RoleID])
			}
			return a
		}
		for _, c := range []struct {
			name   string
			who    access.Actor
			hidden bool
		}{{"details_hidden", mark(e.Holder("network_admin@org")), true}, {"details_seen", mark(e.Holder("security_manager@org")), false}} {
			b.Run(c.name, func(b *testing.B) {
				for b.Loop() {
					list, total, err := e.S.Requests.List(ctx, c.who, request.Filter{Limit: 100})
					if err != nil || total != n || len(list) != 100 || (list[0].SystemRef == "") != c.hidden {
						b.Fatalf("%d of %d, system %q: %v", len(list), total, list[0].SystemRef, err)
					}
				}
			})
		}
	})
}
