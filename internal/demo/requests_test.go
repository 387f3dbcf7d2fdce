package demo_test

import (
	"context"
	"fmt"
	"testing"

	"mamori/internal/access"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

// TestDemoRequests checks that every pack's demo has requests in every state its kinds can
// reach — waiting at each step of a kind with several, approved, rejected, sent back, cancelled,
// taken out and returned, out past the due date, disposed, reported after the fact late — that
// their deciders were notified, and that the demo stays small enough to start at once.
func TestDemoRequests(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range lib.List() {
		t.Run(pk.ID, func(t *testing.T) {
			db := storetest.SQLite(t)
			s, p, orgID := loadDemo(t, db, pk.ID, nil)
			ctx := context.Background()
			got := map[string]int{}
			count := func(what, query string) {
				var n int
				if err := db.SQL.QueryRowContext(ctx, query, orgID).Scan(&n); err != nil {
					t.Fatal(err)
				}
				got[what] = n
			}
			for _, st := range []string{request.Pending, request.Approved, request.Rejected, request.SentBack, request.Cancelled,
				request.Returned, request.Disposed} {
				count(st, `SELECT count(*) FROM requests WHERE org_id = $1 AND state = '`+st+`'`)
			}
			count("out", `SELECT count(*) FROM requests WHERE org_id = $1 AND state IN ('taken_out', 'lent')`)
			count("late", `SELECT count(*) FROM requests WHERE org_id = $1 AND post_hoc AND reported_late`)
			count("total", `SELECT count(*) FROM requests WHERE org_id = $1`)
			count("notices", `SELECT count(*) FROM notices WHERE org_id = $1 AND ref_type = 'request'`)
			want := []string{request.Pending, request.Approved, request.Rejected, request.SentBack, request.Cancelled, "notices"}
			steps := 1
			for _, a := range p.Approvals {
				steps = max(steps, len(a.Steps))
				switch {
				case a.Returnable:
					want = append(want, request.Returned, "out")
				case a.Effect == "dispose":
					want = append(want, request.Disposed)
				}
				if a.PostHoc {
					want = append(want, "late")
				}
			}
			for step := range steps {
				count(fmt.Sprint("waiting at step ", step+1), fmt.Sprintf(`SELECT count(*) FROM requests WHERE org_id = $1 AND state = 'pending' AND step = %d`, step))
				want = append(want, fmt.Sprint("waiting at step ", step+1))
			}
			for _, w := range want {
				if got[w] == 0 {
					t.Errorf("no demo request %s: %v", w, got)
				}
			}
			if got["total"] > 400 {
				t.Errorf("%d demo requests", got["total"])
			}
			sys := access.System(orgID, "test")
			if got["out"] > 0 {
				if list, err := s.Requests.Overdue(ctx, sys); err != nil || len(list) == 0 {
					t.Errorf("no overdue return among %d out (%v)", got["out"], err)
				}
			}
			res, err := s.Audit.Verify(ctx, sys)
			if err != nil || !res.OK() {
				t.Fatalf("audit chain: %+v %v", res, err)
			}
		})
	}
}

// outByRequest are the assets a demo request took out or lent: its request, not a note, says when.
func outByRequest(t *testing.T, db *store.DB, orgID int64) map[int64]bool {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), `SELECT ra.asset_id FROM request_assets ra JOIN requests r ON r.id = ra.request_id
		WHERE r.org_id = $1 AND r.state IN ('taken_out', 'lent')`, orgID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	return out
}
