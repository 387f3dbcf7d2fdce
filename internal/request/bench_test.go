package request_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// benchRequests is how many requests the inbox and overdue benchmarks fill the tables with:
// MAMORI_BENCH_REQUESTS, 100,000 by default (1,000,000 for the figure the design aims at).
func benchRequests() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_BENCH_REQUESTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func benchEngines(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, storetest.Postgres(b)) })
}

// BenchmarkSubmitAndApprove files a request and has it approved, each with its audit entries.
func BenchmarkSubmitAndApprove(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		e := newEnv(b, db, "koge")
		pc := e.asset("terminal", map[string]string{"importance": "I"}, "").ID
		sm := e.Holder("security_manager@org")
		b.ResetTimer()
		for b.Loop() {
			r, err := e.S.Requests.Submit(ctx, e.clerk, sendInput(pc))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInbox reads what waits for an approver among many requests of many approvers.
func BenchmarkInbox(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		e := newEnv(b, db, "koge")
		fillRequests(b, e, benchRequests())
		sm := e.Holder("security_manager@org")
		b.ResetTimer()
		for b.Loop() {
			list, err := e.S.Requests.Inbox(ctx, sm)
			if err != nil || len(list) == 0 {
				b.Fatalf("%d %v", len(list), err)
			}
		}
	})
}

// BenchmarkOverdue lists the overdue returns among many requests.
func BenchmarkOverdue(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		e := newEnv(b, db, "koge")
		fillRequests(b, e, benchRequests())
		sm := e.Holder("security_manager@org")
		b.ResetTimer()
		for b.Loop() {
			list, err := e.S.Requests.Overdue(ctx, sm)
			if err != nil || len(list) == 0 {
				b.Fatalf("%d %v", len(list), err)
			}
		}
	})
}

// fillRequests writes n requests straight into the tables, in batches and without audit
// entries (so for benchmarks only): one in ten waits for a decision — one in two hundred of
// those for the organisation's 情報セキュリティ管理者, the others for keys of other approvers —,
// one in twenty is taken out with a due date spread over the year around today, the rest are
// settled.
func fillRequests(b *testing.B, e *env, n int) {
	b.Helper()
	ctx := context.Background()
	db := e.S.DB
	org, staff, dept := e.Admin.OrgID, e.clerk.StaffID, e.DeptA
	now := e.Clock.T
	route := `{"steps":[{"deciders":[{"role":"security_manager","of":"organization","key":"security_manager@org"}]}]}`
	var start int64
	if err := db.SQL.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM requests`).Scan(&start); err != nil {
		b.Fatal(err)
	}
	const batch = 500
	for from := 0; from < n; from += batch {
		to := min(from+batch, n)
		var rows, waits []string
		var args, wargs []any
		for i := from; i < to; i++ {
			state, due, out := request.Approved, "", ""
			switch {
			case i%10 == 0:
				state = request.Pending
			case i%20 == 1:
				state = request.TakenOut
				d := now.AddDate(0, 0, i%365-180)
				due, out = d.Format(time.DateOnly), d.AddDate(0, 0, -7).Format(time.DateOnly)
			case i%3 == 0:
				state = request.Returned
			}
			id := start + int64(i) + 1
			p := len(args)
			rows = append(rows, fmt.Sprintf("($%d, $%d, 'send', '重要性分類Ⅱ以上の情報の送信', $%d, $%d, $%d, 0, $%d, $%d, $%d, 1, $%d, $%d)",
				p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9, p+10))
			args = append(args, id, org, staff, dept, state, route, due, out, now, now)
			if state == request.Pending {
				k := "security_manager@org"
				if i%2000 != 0 {
					k = fmt.Sprintf("other_role@d:%d", i%997)
				}
				q := len(wargs)
				waits = append(waits, fmt.Sprintf("($%d, $%d, $%d, 'security_manager', 'decide')", q+1, q+2, q+3))
				wargs = append(wargs, id, org, k)
			}
		}
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO requests (id, org_id, kind, kind_name, applicant_staff_id, department_id, state, step,
				route_json, due_on, taken_out_on, version, created_at, updated_at) VALUES `+strings.Join(rows, ", "), args...); err != nil {
				return err
			}
			if len(waits) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO request_waits (request_id, org_id, wait_key, role_id, purpose) VALUES `+strings.Join(waits, ", "), wargs...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if db.Engine == store.Postgres {
		if _, err := db.SQL.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('requests', 'id'), (SELECT MAX(id) FROM requests))`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `ANALYZE requests; ANALYZE request_waits`); err != nil {
			b.Fatal(err)
		}
	} else if _, err := db.SQL.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}
