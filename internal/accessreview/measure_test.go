//go:build measure

// The measurement of docs/PERFORMANCE.md §20: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package accessreview_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/accessreview"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestMeasureAccessReview opens a review of one system with MAMORI_MEASURE_ACCOUNTS accounts
// (10,000 by default) owned by 2,000 members of staff of 住民課 and 税務課, one in a hundred of
// them a leaver; the two 所属長 remove their leavers' accounts one by one and keep the rest in one
// bulk decision each; the system's administrator proves each removal; and the review closes.
func TestMeasureAccessReview(t *testing.T) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("MAMORI_MEASURE_ACCOUNTS")); err == nil && v > 0 {
		n = v
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		staff := 2000
		start := time.Now()
		var ids []int64
		for i := 0; i < staff; i++ {
			dept := e.DeptA
			if i%2 == 1 {
				dept = e.DeptB
			}
			var id int64
			if err := db.SQL.QueryRowContext(ctx, `INSERT INTO staff (org_id, department_id, employee_no, name, employment, active, created_at)
				VALUES ($1, $2, $3, $4, 'regular', $5, $6) RETURNING id`, e.Org, dept, fmt.Sprintf("M%05d", i), fmt.Sprintf("職員%d", i), i%100 != 7, e.Clock.T).Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		for lo := 0; lo < n; lo += 500 {
			var b strings.Builder
			args := []any{e.Org, e.Clock.T}
			b.WriteString(`INSERT INTO system_accounts (org_id, system_ref, login, kind, owner_staff_id, department_id, last_login_on, granted_on, created_at, updated_at) VALUES `)
			for i := lo; i < min(lo+500, n); i++ {
				if i > lo {
					b.WriteString(", ")
				}
				owner := ids[i%staff]
				dept := e.DeptA
				if (i%staff)%2 == 1 {
					dept = e.DeptB
				}
				args = append(args, fmt.Sprintf("u%05d", i), owner, dept)
				k := len(args)
				fmt.Fprintf(&b, "($1, 'SYS1', $%d, 'personal', $%d, $%d, '2026-03-20', '2025-04-01', $2, $2)", k-2, k-1, k)
			}
			if _, err := db.SQL.ExecContext(ctx, b.String(), args...); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("setup: %d accounts of %d staff in %v", n, staff, time.Since(start).Round(time.Millisecond))

		lap := func(what string, f func()) {
			t0 := time.Now()
			f()
			t.Logf("%-52s %8.1f ms", what, float64(time.Since(t0).Microseconds())/1000)
		}
		var r accessreview.Review
		lap(fmt.Sprintf("open (snapshot of %d accounts, flags)", n), func() {
			var err error
			r, err = e.S.AccessReviews.Open(ctx, e.policyDiv, accessreview.NewReview{Title: "計測", Scope: "system", SystemRef: "SYS1"})
			must(t, err)
		})
		if r.Counts.Total != n {
			t.Fatalf("opened %+v", r.Counts)
		}
		var all []accessreview.Item
		lap("list every account (the 情報政策課's view)", func() {
			var err error
			_, all, err = e.S.AccessReviews.Items(ctx, e.policyDiv, r.ID, accessreview.ItemFilter{})
			must(t, err)
		})
		var mine []accessreview.Item
		lap("list one 所属長's accounts (mine)", func() {
			var err error
			_, mine, err = e.S.AccessReviews.Items(ctx, e.managerA, r.ID, accessreview.ItemFilter{Mine: true})
			must(t, err)
		})
		var leavers []accessreview.Item
		for _, it := range all {
			if it.Flagged(policy.FlagLeaver) {
				leavers = append(leavers, it)
			}
		}
		lap(fmt.Sprintf("decide %d leavers' accounts one by one (remove)", len(leavers)), func() {
			for _, it := range leavers {
				who := e.managerA
				if it.DepartmentID == e.DeptB {
					who = e.managerB
				}
				_, err := e.S.AccessReviews.Decide(ctx, who, r.ID, it.ID, accessreview.Decision{Outcome: "remove", Reason: "退職"})
				must(t, err)
			}
		})
		for _, m := range []struct {
			name string
			who  func() (int, error)
		}{
			{"A", func() (int, error) {
				return e.S.AccessReviews.DecideMany(ctx, e.managerA, r.ID, accessreview.Bulk{Outcome: "keep", Reason: "業務に必要"})
			}},
			{"B", func() (int, error) {
				return e.S.AccessReviews.DecideMany(ctx, e.managerB, r.ID, accessreview.Bulk{Outcome: "keep", Reason: "業務に必要"})
			}},
		} {
			var k int
			lap("bulk keep by 所属長 "+m.name, func() {
				var err error
				k, err = m.who()
				must(t, err)
			})
			t.Logf("  (%d accounts)", k)
		}
		lap(fmt.Sprintf("prove %d removals one by one", len(leavers)), func() {
			for _, it := range leavers {
				_, err := e.S.AccessReviews.Prove(ctx, e.sysAdmin, r.ID, it.ID, accessreview.Proof{DoneOn: "2026-04-01", DoneBy: "管理者"})
				must(t, err)
			}
		})
		lap("results by system", func() {
			_, _, err := e.S.AccessReviews.Results(ctx, e.policyDiv, r.ID)
			must(t, err)
		})
		lap("desk: reviews waiting for a 所属長", func() {
			_, _, err := e.S.AccessReviews.Awaiting(ctx, e.managerA, 10)
			must(t, err)
		})
		lap("close", func() {
			_, err := e.S.AccessReviews.Close(ctx, e.policyDiv, r.ID)
			must(t, err)
		})
		t.Logf("mine: %d accounts; leavers: %d", len(mine), len(leavers))
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
