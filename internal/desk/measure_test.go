//go:build measure

// The measurement of docs/PERFORMANCE.md §11: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package desk_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/demo"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// measureAssets is the register's size: MAMORI_MEASURE_ASSETS, 100,000 by default. Requests and
// logbook entries are a tenth of it, incidents a hundredth.
func measureAssets() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_MEASURE_ASSETS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// TestMeasureDesk times the CISO's desk (and a clerk's) on 上毛町's pack over a register of
// measureAssets assets swept by the pack's rules, with requests, incidents and logbook entries
// in proportion, on both engines.
func TestMeasureDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		orgWide := func(r policy.Role) bool { return r.Scope == "organization" && !r.AllStaff }
		e := apptest.New(t, db, "koge", apptest.Options{Roles: orgWide, Marks: true})
		clerk := e.Person("職員A", e.DeptA)
		// A day well into the fiscal year, so that this year's incidents are there to count.
		e.Clock.T = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		n := measureAssets()
		began := time.Now()
		if err := demo.FillRegister(ctx, e.S, e.Org, e.P, 100, n); err != nil {
			t.Fatal(err)
		}
		sw, err := e.S.Compliance.Run(ctx, e.Admin)
		if err != nil {
			t.Fatal(err)
		}
		fill(t, db, e, clerk, n)
		t.Logf("%s: filled %d assets, %d open findings in %s", db.Engine, n, sw.Open.Total(), time.Since(began).Round(time.Second))
		for _, who := range []struct {
			name  string
			actor access.Actor
		}{{"ciso", e.Holder("ciso@org")}, {"clerk", e.Actor(clerk)}} {
			if os.Getenv("MAMORI_MEASURE_PARTS") != "" {
				partTimes(t, e, who.actor)
			}
			d, err := e.S.Desks.For(ctx, who.actor) // warm
			if err != nil {
				t.Fatal(err)
			}
			const runs = 30
			var times []time.Duration
			cpu := processCPU()
			if path := os.Getenv("MAMORI_MEASURE_PROFILE"); path != "" && db.Engine == store.SQLite {
				f, err := os.Create(path + "." + who.name)
				if err != nil {
					t.Fatal(err)
				}
				pprof.StartCPUProfile(f)
				defer pprof.StopCPUProfile()
			}
			for range runs {
				start := time.Now()
				if _, err := e.S.Desks.For(ctx, who.actor); err != nil {
					t.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			cpu = (processCPU() - cpu) / runs
			pprof.StopCPUProfile()
			slices.Sort(times)
			var sum time.Duration
			for _, d := range times {
				sum += d
			}
			counts := fmt.Sprintf("awaiting %d, mine %d, overdue %d, steps %d, incidents %d, findings %d, confirmations %d",
				d.Awaiting.Total, d.Mine.Total, d.OverdueReturns.Total, d.Steps.Total, d.Incidents.Total, d.Findings.Total, d.Confirmations.Total)
			if o := d.Overview; o != nil {
				counts += fmt.Sprintf("; overview: findings %d in %d departments, incidents %v, overdue steps %d, confirmations %d",
					o.Findings.Total()+o.Findings.Restricted, len(o.Departments), o.Incidents, o.OverdueSteps, o.OverdueConfirmations)
			}
			t.Logf("%-8s %-5s median %s  p90 %s  mean %s  this process's CPU %s a desk  (%s)", db.Engine, who.name,
				times[runs/2].Round(10*time.Microsecond), times[runs*9/10].Round(10*time.Microsecond),
				(sum / runs).Round(10*time.Microsecond), cpu.Round(10*time.Microsecond), counts)
		}
	})
}

// processCPU is the CPU time this process has used: on a machine shared with other work it
// tells the desk's own cost (all of it on SQLite, the client's part on PostgreSQL) apart from
// the time spent waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// fill writes, straight into the tables and without audit entries (so for measuring only), a
// tenth of n requests (one in ten waiting, one in twenty of those for the CISO; one in twenty
// taken out, due dates spread over the year around today), a hundredth of n incidents (one in
// ten still open with its checklist, one in ten restricted, detected over two years) and a
// tenth of n entries of the two-person logbook (one in ten unconfirmed).
func fill(t *testing.T, db *store.DB, e *apptest.Env, clerk access.Actor, n int) {
	ctx := context.Background()
	now := e.Clock.T
	org, dept, staff := e.Org, e.DeptA, clerk.StaffID
	route := `{"steps":[{"deciders":[{"role":"ciso","of":"organization","key":"ciso@org"}]}]}`
	insert := func(table, cols string, rows [][]any) {
		const batch = 200
		for from := 0; from < len(rows); from += batch {
			var vals []string
			var args []any
			for _, r := range rows[from:min(from+batch, len(rows))] {
				marks := make([]string, len(r))
				for i := range r {
					args = append(args, r[i])
					marks[i] = "$" + strconv.Itoa(len(args))
				}
				vals = append(vals, "("+strings.Join(marks, ", ")+")")
			}
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+cols+`) VALUES `+strings.Join(vals, ", "), args...)
				return err
			})
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
		}
	}
	var reqs, waits [][]any
	for i := 1; i <= n/10; i++ {
		state, due, out := "approved", "", ""
		switch {
		case i%10 == 0:
			state = "pending"
			key := "other_role@d:" + strconv.Itoa(i%97)
			if i%200 == 0 {
				key = "ciso@org"
			}
			waits = append(waits, []any{i, org, key, "ciso", "decide"})
		case i%20 == 1:
			state = "taken_out"
			d := now.AddDate(0, 0, i%365-180)
			due, out = d.Format(time.DateOnly), d.AddDate(0, 0, -7).Format(time.DateOnly)
		}
		at := now.Add(-time.Duration(n/10-i) * time.Minute)
		reqs = append(reqs, []any{i, org, "send", "重要性分類Ⅱ以上の情報の送信", staff, dept, state, route, due, out, at, at})
	}
	insert("requests", "id, org_id, kind, kind_name, applicant_staff_id, department_id, state, route_json, due_on, taken_out_on, created_at, updated_at", reqs)
	insert("request_waits", "request_id, org_id, wait_key, role_id, purpose", waits)

	var incs, steps [][]any
	for i := 1; i <= max(n/100, 1); i++ {
		state := "closed"
		if i%10 == 0 {
			state = "open"
		}
		at := now.Add(-time.Duration(i) * 17 * time.Hour)
		incs = append(incs, []any{i, org, "事案 " + strconv.Itoa(i), state, dept, staff, at, at, "serious_damage", "high", i%10 == 5, at, at})
		for seq, to := range []string{"chief", "security_manager", "poc", "ciso"} {
			from, st := "network_admin", "done"
			if seq == 3 {
				from = "chief"
			}
			if state == "open" && seq >= 2 {
				st = "open"
			}
			steps = append(steps, []any{org, i, seq + 1, "route:internal_report#1", from, to, to, st, at.Add(24 * time.Hour)})
		}
	}
	insert("incidents", "id, org_id, title, state, department_id, reporter_staff_id, detected_at, reported_at, category, severity, restricted, created_at, updated_at", incs)
	insert("incident_checklist_steps", "org_id, incident_id, seq, source, from_contact, to_contact, to_name, state, due_at", steps)

	var entries [][]any
	for i := 1; i <= n/10; i++ {
		status := "confirmed"
		if i%10 == 0 {
			status = "pending"
		}
		at := now.Add(-time.Duration(i) * time.Hour)
		entries = append(entries, []any{org, "system_change_record", dept, at, status, "u1", at})
	}
	insert("logbook_entries", "org_id, logbook, department_id, occurred_at, status, written_by, created_at", entries)
	if db.Engine == store.Postgres {
		for _, table := range []string{"requests", "incidents"} {
			if _, err := db.SQL.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), (SELECT MAX(id) FROM `+table+`))`); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.SQL.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
}
