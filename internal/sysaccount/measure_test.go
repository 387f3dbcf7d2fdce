//go:build measure

// The measurements of docs/PERFORMANCE.md §19: built only with -tags measure, so that a plain
// go test neither runs nor skips them.

package sysaccount_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/sysaccount"
)

// TestMeasureAccounts measures, on both engines, the import of a system's list of 10,000
// accounts (the check, then the apply in one transaction) and the sweep of the pack's account
// rules over 50,000 accounts (the first, which writes every finding, and a second that finds
// nothing changed).
func TestMeasureAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		s, sysAdmin := e.S.SystemAccounts, e.Holder("system_admin@s:SYS1")
		const people, listed, total = 1000, 10_000, 50_000
		ids := make([]int64, people)
		for i := range people {
			st, err := e.S.Org.CreateStaff(ctx, e.Admin, org.StaffInput{DepartmentID: e.DeptA, EmployeeNo: fmt.Sprintf("M%05d", i),
				Name: fmt.Sprintf("計測 %d", i), Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = st.ID
		}
		var b strings.Builder
		b.WriteString("ログインID,種別,職員番号,最終ログイン,パスワード変更日\n")
		for i := range listed {
			kind := "個人"
			if i%50 == 0 {
				kind = "特権"
			}
			fmt.Fprintf(&b, "u%05d,%s,M%05d,2026/03/%02d,2026-02-01\n", i, kind, i%people, 1+i%28)
		}
		file := b.String()
		start := time.Now()
		rep, err := s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(file), sysaccount.ImportOptions{SystemRef: "SYS1", DryRun: true})
		if err != nil || rep.New != listed || len(rep.Errors) != 0 {
			t.Fatalf("check %+v %v", rep.New, err)
		}
		check := time.Since(start)
		start = time.Now()
		rep, err = s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(file), sysaccount.ImportOptions{SystemRef: "SYS1"})
		if err != nil || !rep.Applied {
			t.Fatalf("apply %v", err)
		}
		apply := time.Since(start)
		start = time.Now()
		rep, err = s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(file), sysaccount.ImportOptions{SystemRef: "SYS1", DryRun: true})
		if err != nil || rep.Unchanged != listed {
			t.Fatalf("check again %+v %v", rep.Unchanged, err)
		}
		recheck := time.Since(start)

		// 40,000 more accounts over SYS2, then 2% of the owners leave and 2% move.
		err = db.InTx(ctx, func(tx *sql.Tx) error {
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO system_accounts (org_id, system_ref, login, kind, owner_staff_id,
				department_id, granted_on, last_login_on, password_changed_on, created_at, updated_at)
				VALUES ($1, 'SYS2', $2, $3, $4, $5, '2025-04-01', $6, '2026-01-15', $7, $7)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := range total - listed {
				kind := "personal"
				if i%40 == 0 {
					kind = "privileged"
				}
				if _, err := stmt.ExecContext(ctx, e.Org, fmt.Sprintf("v%05d", i), kind, ids[i%people], e.DeptA,
					fmt.Sprintf("2026-0%d-10", 1+i%3), e.Clock.T); err != nil {
					return err
				}
			}
			for i := 0; i < people/50; i++ {
				if _, err := tx.ExecContext(ctx, `UPDATE staff SET active = FALSE, left_on = '2026-03-31' WHERE id = $1`, ids[i]); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO staff_moves (org_id, staff_id, kind, effective_on, created_at)
					VALUES ($1, $2, 'transfer', '2026-04-01', $3)`, e.Org, ids[people-1-i], e.Clock.T); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		first, err := s.Sweep(ctx, e.Admin)
		if err != nil || first.Checked != total {
			t.Fatalf("sweep %+v %v", first, err)
		}
		sweep := time.Since(start)
		start = time.Now()
		again, err := s.Sweep(ctx, e.Admin)
		if err != nil || again.Changed != 0 {
			t.Fatalf("second sweep %+v %v", again, err)
		}
		sweep2 := time.Since(start)
		start = time.Now()
		page, err := s.List(ctx, sysAdmin, sysaccount.Filter{Flag: "account-owner-left", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		list := time.Since(start)
		t.Logf("%s: import of %d accounts: check %v, apply %v, check again (unchanged) %v", db.Engine, listed, check.Round(time.Millisecond),
			apply.Round(time.Millisecond), recheck.Round(time.Millisecond))
		t.Logf("%s: sweep over %d accounts: first %v (%d changed, %d flagged, %d findings), again %v; leavers' list page %v (%d in all)",
			db.Engine, total, sweep.Round(time.Millisecond), first.Changed, first.Flagged, first.Findings, sweep2.Round(time.Millisecond),
			list.Round(time.Millisecond), page.Total)
	})
}
