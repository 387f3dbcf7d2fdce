//go:build measure

// The measurement of docs/PERFORMANCE.md §17: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package training_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/training"
)

// TestMeasureTraining times, on both engines, 上毛町's plan made for 5,000 staff in 50
// departments (its seven courses, each assigned by its audience), the completion matrix over
// 5,000 staff × 10 courses (three more courses added to the plan, everyone assigned all ten,
// seven in ten completed) for the CISO and for one department's 課長, and an attendance import
// of 5,000 rows: upload, dry run and apply.
func TestMeasureTraining(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := apptest.New(t, db, "koge", apptest.Options{Marks: true, Roles: func(r policy.Role) bool {
			return r.ID == "ciso" || r.ID == "committee"
		}})
		e.Clock.T = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		exec := func(q string, args ...any) {
			if _, err := db.SQL.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		depts := make([]int64, 50)
		for i := range depts {
			d, err := e.S.Org.CreateDepartment(ctx, e.Admin, org.DepartmentInput{Code: fmt.Sprintf("M%02d", i), Name: fmt.Sprintf("計測課%02d", i), Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			depts[i] = d.ID
		}
		kinds := []string{"regular", "regular", "regular", "fiscal_year", "part_time"}
		for b := 0; b < 5000; b += 500 {
			var vals []string
			var args []any
			for i := b; i < b+500; i++ {
				n := len(args)
				vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6))
				hired := ""
				if i%50 == 0 {
					hired = "2026-04-01"
				}
				args = append(args, e.Org, depts[i%50], fmt.Sprintf("S%05d", i), fmt.Sprintf("計測 職員%05d", i), kinds[i%5], hired)
			}
			q := `INSERT INTO staff (org_id, department_id, employee_no, name, employment, hired_on, created_at) VALUES ` +
				strings.ReplaceAll(strings.Join(vals, ", "), ")", ", CURRENT_TIMESTAMP)")
			exec(q, args...)
		}
		ciso := e.Holder("ciso@org")
		planner := e.Holder("committee@org")
		timed := func(what string, fn func() error) {
			t.Helper()
			began := time.Now()
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			t.Logf("%-60s %v", what, time.Since(began).Round(time.Millisecond))
		}
		var pl training.Plan
		timed("make the plan: 7 courses by audience, 5,000 staff", func() (err error) {
			pl, err = e.S.Trainings.CreatePlan(ctx, planner, 2026)
			return err
		})
		n := 0
		for _, c := range pl.Courses {
			n += c.Assigned
		}
		t.Logf("assigned by audience: %d", n)
		timed("assign again: nothing to add (the hourly job)", func() error {
			_, err := e.S.Trainings.Assign(ctx, planner, pl.ID)
			return err
		})
		// Ten courses for everyone: the plan's seven filled out and three more, seven in ten done.
		exec(`DELETE FROM training_assignments WHERE plan_id = $1`, pl.ID)
		for i := 0; i < 3; i++ {
			exec(`INSERT INTO training_courses (org_id, plan_id, course_id, name, format, due_on, sort_order) VALUES ($1, $2, $3, $4, 'elearning', '2026-09-30', $5)`,
				e.Org, pl.ID, fmt.Sprintf("extra-%d", i), fmt.Sprintf("計測研修%d", i), 100+i)
		}
		courses := []string{}
		rows, err := db.SQL.QueryContext(ctx, `SELECT course_id FROM training_courses WHERE plan_id = $1`, pl.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			rows.Scan(&c)
			courses = append(courses, c)
		}
		rows.Close()
		for ci, c := range courses {
			exec(`INSERT INTO training_assignments (org_id, plan_id, course_id, staff_id, reason, due_on, assigned_at, completed_on, how)
				SELECT org_id, $1, $2, id, 'audience', '2026-09-30', CURRENT_TIMESTAMP,
				CASE WHEN (id + $3) % 10 < 7 THEN '2026-09-01' ELSE '' END, CASE WHEN (id + $3) % 10 < 7 THEN 'import' ELSE '' END
				FROM staff WHERE org_id = $4 AND employee_no LIKE 'S%'`, pl.ID, c, ci, e.Org)
		}
		var total int
		db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM training_assignments WHERE plan_id = $1`, pl.ID).Scan(&total)
		t.Logf("assignments: %d over %d courses", total, len(courses))
		var m training.Matrix
		for i := 0; i < 3; i++ {
			timed(fmt.Sprintf("completion matrix, whole organisation (CISO), run %d", i+1), func() (err error) {
				m, err = e.S.Trainings.Matrix(ctx, ciso, pl.ID, "")
				return err
			})
		}
		missing := 0
		for _, r := range m.Rows {
			missing += len(r.Missing)
		}
		t.Logf("matrix: %d rows, %d of %d completed, %d names missing", len(m.Rows), m.Total.Completed, m.Total.Assigned, missing)
		timed("completion matrix, one course", func() error {
			_, err := e.S.Trainings.Matrix(ctx, ciso, pl.ID, courses[0])
			return err
		})
		chief := e.Assign(org.RoleAssignment{RoleID: "system_staff", Scope: "department", DepartmentID: depts[0]}, depts[0])
		chief.Roles[0].Security = true // a department's security role, as a 課長 holds it in the other packs
		timed("completion matrix, one department (課長)", func() error {
			_, err := e.S.Trainings.Matrix(ctx, chief, pl.ID, "")
			return err
		})
		timed("a department's overdue (課長's desk)", func() error {
			_, _, err := e.S.Trainings.DepartmentOverdue(ctx, chief, 10)
			return err
		})

		// An attendance sheet of 5,000 rows for the third extra course, everyone not yet done.
		var sheet strings.Builder
		sheet.WriteString("職員番号,研修,受講日\n")
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&sheet, "S%05d,計測研修2,2026/10/%d\n", i, 1+i%28)
		}
		exec(`UPDATE training_assignments SET completed_on = '', how = '' WHERE plan_id = $1 AND course_id = 'extra-2'`, pl.ID)
		var im training.Import
		timed("import 5,000 rows: upload (columns guessed)", func() (err error) {
			im, err = e.S.Trainings.Upload(ctx, planner, pl.ID, "出席.csv", []byte(sheet.String()))
			return err
		})
		timed("import 5,000 rows: dry run (every row checked, nothing written)", func() (err error) {
			im, err = e.S.Trainings.Check(ctx, planner, im.ID, nil)
			return err
		})
		if len(im.Report.Errors) > 0 || im.Report.New != 5000 {
			t.Fatalf("dry run %+v", im.Report)
		}
		timed("import 5,000 rows: apply (checked again, one transaction)", func() (err error) {
			im, err = e.S.Trainings.Apply(ctx, planner, im.ID)
			return err
		})
		if im.Report.Applied != 5000 {
			t.Fatalf("applied %d", im.Report.Applied)
		}
		_ = access.Actor{}
	})
}
