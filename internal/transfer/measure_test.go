//go:build measure

// The measurement of docs/PERFORMANCE.md §21: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package transfer_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/transfer"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestMeasureTransferList: an organisation of 60 sections and 2,000 staff, 300 of them holding a
// department role and each holding 3 system accounts, takes a 人事異動 list of 1,000 people (900
// transfers, 50 hires, 50 leavers): upload, dry run, apply — on both engines.
func TestMeasureTransferList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var depts []string
		for i := 0; i < 60; i++ {
			name := fmt.Sprintf("第%02d課", i)
			d, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: fmt.Sprintf("m%02d", i), Name: name, Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			e.dept[name] = d.ID
			depts = append(depts, name)
		}
		start := time.Now()
		for i := 0; i < 2000; i++ {
			no := fmt.Sprintf("M%05d", i)
			var id int64
			if err := db.SQL.QueryRowContext(ctx, `INSERT INTO staff (org_id, department_id, employee_no, name, title, employment, active, created_at)
				VALUES ($1, $2, $3, $4, '主事', 'regular', TRUE, $5) RETURNING id`, e.admin.OrgID, e.dept[depts[i%60]], no, fmt.Sprintf("職員 %d", i), e.now).Scan(&id); err != nil {
				t.Fatal(err)
			}
			e.staff[no] = id
			if i%7 == 0 && i < 2100 {
				if _, err := db.SQL.ExecContext(ctx, `INSERT INTO role_assignments (org_id, role_id, scope, department_id, system_ref, holder_staff_id, valid_from, valid_to, created_at)
					VALUES ($1, 'system_staff', 'department', $2, '', $3, '', '', $4)`, e.admin.OrgID, e.dept[depts[i%60]], id, e.now); err != nil {
					t.Fatal(err)
				}
				for k := 0; k < 3; k++ {
					if _, err := db.SQL.ExecContext(ctx, `INSERT INTO system_accounts (org_id, system_ref, login, kind, owner_staff_id, created_at, updated_at)
						VALUES ($1, $2, $3, 'personal', $4, $5, $5)`, e.admin.OrgID, fmt.Sprintf("SYS-%d", k), no, id, e.now); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		t.Logf("setup %v", time.Since(start))
		var b strings.Builder
		b.WriteString("職員番号,氏名,異動区分,旧所属,新所属,新職名,発令日\n")
		for i := 0; i < 1000; i++ {
			switch {
			case i < 900:
				fmt.Fprintf(&b, "M%05d,職員 %d,異動,%s,%s,主査,2027/3/1\n", i, i, depts[i%60], depts[(i+1)%60])
			case i < 950:
				fmt.Fprintf(&b, "M%05d,職員 %d,退職,%s,,,2027/3/1\n", i, i, depts[i%60])
			default:
				fmt.Fprintf(&b, "N%05d,新人 %d,採用,,%s,主事,2027/3/1\n", i, i, depts[i%60])
			}
		}
		data := []byte(b.String())
		measure := func(what string, fn func() error) {
			c0, w0 := cpuTime(), time.Now()
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			t.Logf("%-8s %s: wall %v, CPU %v", db.Engine, what, time.Since(w0).Round(time.Millisecond), (cpuTime() - c0).Round(time.Millisecond))
		}
		var l transfer.List
		var rep transfer.Report
		measure("upload", func() (err error) { l, err = e.tr.Upload(ctx, e.admin, "1000.csv", data); return })
		measure("dry run", func() (err error) { rep, err = e.tr.Check(ctx, e.admin, l.ID); return })
		if !rep.OK() {
			t.Fatalf("dry run: %d errors", rep.Errors)
		}
		t.Logf("dry run: %d rows, %d roles ending, %d accounts", len(rep.Rows), rep.EndRoles, rep.Accounts)
		measure("apply", func() (err error) { rep, err = e.tr.Apply(ctx, e.admin, l.ID); return })
		var moves int
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM staff_moves`).Scan(&moves); err != nil || moves != 1000 {
			t.Fatalf("%d moves, %v", moves, err)
		}
	})
}
