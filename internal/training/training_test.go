package training_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/training"
)

// kishiwada is 岸和田市's pack with the CISO, each department's 情報セキュリティ責任者 (課長),
// the CSIRT lead and a system administrator, and a clerk, a 会計年度任用職員, a contractor's
// worker, a new hire and a transfer.
type kishiwada struct {
	e                                  *apptest.Env
	ciso, chiefA, chiefB               access.Actor
	clerk, fiscal, worker, hire, moved access.Actor
}

func newKishiwada(t *testing.T, db *store.DB) *kishiwada {
	t.Helper()
	e := apptest.New(t, db, "kishiwada", apptest.Options{Marks: true, Roles: func(r policy.Role) bool {
		switch r.ID {
		case "ciso", "security_manager", "csirt_lead", "system_admin":
			return true
		}
		return false
	}})
	k := &kishiwada{e: e, ciso: e.Holder("ciso@org")}
	k.chiefA = e.Holders[apptest.Key(access.Grant{RoleID: "security_manager", Scope: "department", DepartmentID: e.DeptA})]
	k.chiefB = e.Holders[apptest.Key(access.Grant{RoleID: "security_manager", Scope: "department", DepartmentID: e.DeptB})]
	k.clerk = e.Person("職員 一般", e.DeptA)
	k.fiscal = e.Person("会計 年度", e.DeptB)
	k.worker = e.Person("委託 作業者", e.DeptA)
	k.hire = e.Person("新規 採用", e.DeptB)
	k.moved = e.Person("異動 者", e.DeptA)
	ctx := context.Background()
	exec := func(q string, args ...any) {
		if _, err := db.SQL.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE staff SET employment = 'fiscal_year' WHERE id = $1`, k.fiscal.StaffID)
	exec(`UPDATE staff SET employment = 'contractor' WHERE id = $1`, k.worker.StaffID)
	exec(`UPDATE staff SET hired_on = '2026-04-01' WHERE id = $1`, k.hire.StaffID)
	exec(`INSERT INTO staff_moves (org_id, staff_id, kind, from_department_id, to_department_id, effective_on, created_at)
		VALUES ($1, $2, 'transfer', $3, $4, '2026-04-01', $5)`, e.Org, k.moved.StaffID, e.DeptB, e.DeptA, e.Clock.T)
	return k
}

func assignmentOf(t *testing.T, s *training.Service, who access.Actor, course string) training.Assignment {
	t.Helper()
	mine, err := s.Mine(context.Background(), who)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range mine {
		if a.CourseID == course {
			return a
		}
	}
	t.Fatalf("%s has no %s among %d", who.Name, course, len(mine))
	return training.Assignment{}
}

func TestPlanAssignsByAudience(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := newKishiwada(t, db)
		s := k.e.S.Trainings
		if _, err := s.CreatePlan(ctx, k.clerk, 2026); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk made the plan: %v", err)
		}
		pl, err := s.CreatePlan(ctx, k.ciso, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreatePlan(ctx, k.ciso, 2026); apperr.As(err) == nil || apperr.As(err).Field() != "fiscal_year" {
			t.Fatalf("a second plan of the year: %v", err)
		}
		counts := map[string]int{}
		for _, c := range pl.Courses {
			counts[c.ID] = c.Assigned
		}
		// 職員 (regular and fiscal_year): ciso, two 課長, csirt lead, system admin, clerk,
		// fiscal, hire, moved = 9; the contractor's worker is no 職員.
		if counts["policy"] != 9 || counts["new-recruits"] != 1 || counts["transfers"] != 1 || counts["managers"] != 2 ||
			counts["procedures"] != 1 || counts["incident-drill"] != 3 {
			t.Fatalf("assigned %v", counts)
		}
		if a := assignmentOf(t, s, k.hire, "new-recruits"); a.Reason != training.ReasonHire || a.DueOn != "2026-04-30" {
			t.Errorf("new hire: %+v", a)
		}
		if a := assignmentOf(t, s, k.moved, "transfers"); a.Reason != training.ReasonTransfer || a.DueOn != "2026-05-31" {
			t.Errorf("transfer: %+v", a)
		}
		if mine, _ := s.Mine(ctx, k.worker); len(mine) != 0 {
			t.Errorf("the contractor's worker has %d courses", len(mine))
		}
		t.Run("a hire later in the year is assigned by the job", func(t *testing.T) {
			late := k.e.Person("中途 採用", k.e.DeptB)
			if _, err := db.SQL.ExecContext(ctx, `INSERT INTO staff_moves (org_id, staff_id, kind, to_department_id, effective_on, created_at)
				VALUES ($1, $2, 'hire', $3, '2026-10-01', $4)`, k.e.Org, late.StaffID, k.e.DeptB, k.e.Clock.T); err != nil {
				t.Fatal(err)
			}
			made, err := s.AssignAll(ctx)
			if err != nil || len(made) != 1 || made[0].Created != 2 {
				t.Fatalf("assigned %+v, %v", made, err)
			}
			if a := assignmentOf(t, s, late, "new-recruits"); a.DueOn != "2026-11-30" {
				t.Errorf("hired in October, due %s", a.DueOn)
			}
			if again, _ := s.AssignAll(ctx); len(again) != 0 {
				t.Errorf("assigned again: %+v", again)
			}
		})
		k.e.VerifyAudit()
	})
}

func TestSessionsAndAttendance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := newKishiwada(t, db)
		s := k.e.S.Trainings
		pl, err := s.CreatePlan(ctx, k.ciso, 2026)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 6, 10, 1, 0, 0, 0, time.UTC)
		in := training.SessionInput{CourseID: "managers", StartsAt: at, EndsAt: at.Add(-time.Hour), Place: "第1会議室", Instructor: "ＣＩＳＯ補佐"}
		if _, err := s.CreateSession(ctx, k.ciso, pl.ID, in); apperr.As(err) == nil || apperr.As(err).Field() != "ends_at" {
			t.Fatalf("a session ending before it starts: %v", err)
		}
		in.CourseID = "no-such-course"
		if _, err := s.CreateSession(ctx, k.ciso, pl.ID, in); apperr.As(err) == nil || apperr.As(err).Field() != "course_id" {
			t.Fatalf("a course the pack lacks: %v", err)
		}
		in.CourseID, in.EndsAt = "managers", at.Add(2*time.Hour)
		if _, err := s.CreateSession(ctx, k.clerk, pl.ID, in); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk planned a session: %v", err)
		}
		ss, err := s.CreateSession(ctx, k.ciso, pl.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		_, roll, err := s.Roster(ctx, k.ciso, ss.ID)
		if err != nil || len(roll) != 2 {
			t.Fatalf("roll %d, %v", len(roll), err)
		}
		if _, err := s.RollCall(ctx, k.ciso, ss.ID, []int64{k.clerk.StaffID}); apperr.As(err) == nil || apperr.As(err).Field() != "present" {
			t.Fatalf("someone off the roll ticked: %v", err)
		}
		if n, err := s.RollCall(ctx, k.ciso, ss.ID, []int64{k.chiefA.StaffID}); err != nil || n != 1 {
			t.Fatalf("roll call %d, %v", n, err)
		}
		if a := assignmentOf(t, s, k.chiefA, "managers"); a.CompletedOn != "2026-06-10" || a.How != training.HowRollCall {
			t.Errorf("attended: %+v", a)
		}
		makeup := in
		makeup.StartsAt, makeup.EndsAt, makeup.MakeupOf = at.AddDate(0, 0, 14), at.AddDate(0, 0, 14).Add(time.Hour), ss.ID
		mk, err := s.CreateSession(ctx, k.ciso, pl.ID, makeup)
		if err != nil {
			t.Fatal(err)
		}
		if _, roll, _ := s.Roster(ctx, k.ciso, mk.ID); len(roll) != 1 || roll[0].StaffID != k.chiefB.StaffID {
			t.Fatalf("make-up roll %+v", roll)
		}

		t.Run("e-learning confirmed by the person alone", func(t *testing.T) {
			a := assignmentOf(t, s, k.clerk, "policy")
			if _, err := s.Confirm(ctx, k.fiscal, a.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("someone else confirmed: %v", err)
			}
			done, err := s.Confirm(ctx, k.clerk, a.ID)
			if err != nil || done.CompletedOn != "2026-04-01" || done.How != training.HowSelf {
				t.Fatalf("confirmed %+v, %v", done, err)
			}
			if _, err := s.Confirm(ctx, k.clerk, a.ID); apperr.CodeOf(err) != apperr.Conflict {
				t.Fatalf("confirmed twice: %v", err)
			}
			hire := assignmentOf(t, s, k.hire, "new-recruits")
			if _, err := s.Confirm(ctx, k.hire, hire.ID); apperr.CodeOf(err) != apperr.Conflict {
				t.Fatalf("a classroom course confirmed by the person: %v", err)
			}
		})

		t.Run("completion by department and employment, read by reach", func(t *testing.T) {
			m, err := s.Matrix(ctx, k.ciso, pl.ID, "policy")
			if err != nil || m.Total.Assigned != 9 || m.Total.Completed != 1 || len(m.Rows) != 2 {
				t.Fatalf("matrix %+v, %v", m, err)
			}
			a, err := s.Matrix(ctx, k.chiefA, pl.ID, "policy")
			if err != nil || len(a.Rows) != 1 || a.Rows[0].DepartmentID != k.e.DeptA {
				t.Fatalf("課長 of A sees %+v, %v", a.Rows, err)
			}
			for _, r := range a.Rows {
				for _, x := range r.Missing {
					if x.StaffID == k.clerk.StaffID {
						t.Error("the clerk who confirmed is listed missing")
					}
				}
			}
			if c, _ := s.Matrix(ctx, k.clerk, pl.ID, ""); c.Total.Assigned != len(assignments(t, s, k.clerk)) {
				t.Errorf("a clerk reads %d assignments", c.Total.Assigned)
			}
		})

		t.Run("overdue on the 課長's desk and the person's", func(t *testing.T) {
			k.e.Clock.T = time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC)
			mine, n, err := s.Overdue(ctx, k.moved, 10)
			if err != nil || n != 2 || len(mine) != 2 {
				t.Fatalf("the transfer's overdue %d, %v", n, err)
			}
			dept, n, err := s.DepartmentOverdue(ctx, k.chiefA, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range dept {
				if a.DepartmentID != k.e.DeptA || a.CompletedOn != "" {
					t.Errorf("課長 of A sees %+v", a)
				}
			}
			if n == 0 {
				t.Error("課長 of A sees nothing overdue")
			}
		})
		k.e.VerifyAudit()
	})
}

func assignments(t *testing.T, s *training.Service, who access.Actor) []training.Assignment {
	t.Helper()
	list, err := s.Assignments(context.Background(), who, training.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestImportAttendance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := newKishiwada(t, db)
		s := k.e.S.Trainings
		k.e.Clock.T = time.Date(2026, 8, 1, 1, 0, 0, 0, time.UTC)
		pl, err := s.CreatePlan(ctx, k.ciso, 2026)
		if err != nil {
			t.Fatal(err)
		}
		clerkNo, fiscalNo := "E0006", "E0007"
		bad := "職員番号,研修名,受講日\r\n" + clerkNo + ",情報セキュリティポリシー研修（全職員）,2026/7/1\r\n" +
			"Z9999,情報セキュリティポリシー研修（全職員）,2026/7/1\r\n" + fiscalNo + ",存在しない研修,令和8年7月2日\r\n" +
			clerkNo + ",managers,2026-13-01\r\n"
		if _, err := s.Upload(ctx, k.clerk, pl.ID, "出席.csv", []byte(bad)); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk uploaded attendance: %v", err)
		}
		im, err := s.Upload(ctx, k.ciso, pl.ID, "出席.csv", []byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if f := []string{im.Columns[0].Field, im.Columns[1].Field, im.Columns[2].Field}; strings.Join(f, ",") != "employee_no,course,completed_on" {
			t.Fatalf("guessed %v", f)
		}
		im, err = s.Check(ctx, k.ciso, im.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := im.Report
		if r.Rows != 4 || r.Valid != 1 || len(r.Errors) != 3 {
			t.Fatalf("report %+v", r)
		}
		want := []struct {
			row   int
			field string
			key   string
		}{{3, "employee_no", "training.import.error.staff_unknown"}, {4, "course", "training.import.error.course_unknown"},
			{5, "completed_on", "import.error.date"}}
		for i, w := range want {
			if e := r.Errors[i]; e.Row != w.row || e.Field != w.field || e.Key != w.key || !strings.HasPrefix(e.Column, string(rune('A'+i))) {
				t.Errorf("error %d = %+v, want %+v", i, e, w)
			}
		}
		if r.Errors[0].Column != "A（職員番号）" || r.Errors[0].Args[0] != "Z9999" {
			t.Errorf("first error names %q %v", r.Errors[0].Column, r.Errors[0].Args)
		}
		if _, err := s.Apply(ctx, k.ciso, im.ID); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("applied a sheet with errors: %v", err)
		}
		if a := assignmentOf(t, s, k.clerk, "policy"); a.CompletedOn != "" {
			t.Fatalf("a refused import recorded %+v", a)
		}
		good := "職員No.,コース,実施日\n" + clerkNo + ",policy,2026/7/1\n" + fiscalNo + ",情報セキュリティポリシー研修（全職員）,Ｒ８．７．２\n" +
			"E0006,incident-drill,2026-07-03\n"
		im, err = s.Upload(ctx, k.ciso, pl.ID, "good.csv", []byte(good))
		if err != nil {
			t.Fatal(err)
		}
		if im, err = s.Check(ctx, k.ciso, im.ID, []string{"employee_no", "course", "completed_on"}); err != nil || len(im.Report.Errors) != 0 {
			t.Fatalf("check %+v, %v", im.Report, err)
		}
		if im.Report.New != 3 || im.Report.Extra != 1 {
			t.Fatalf("dry run %+v", im.Report)
		}
		if a := assignmentOf(t, s, k.clerk, "policy"); a.CompletedOn != "" {
			t.Fatal("the dry run recorded attendance")
		}
		im, err = s.Apply(ctx, k.ciso, im.ID)
		if err != nil || im.Report.Applied != 3 {
			t.Fatalf("applied %+v, %v", im.Report, err)
		}
		if a := assignmentOf(t, s, k.fiscal, "policy"); a.CompletedOn != "2026-07-02" || a.How != training.HowImport {
			t.Errorf("imported %+v", a)
		}
		if a := assignmentOf(t, s, k.clerk, "incident-drill"); a.Reason != training.ReasonExtra {
			t.Errorf("attendance outside the audience: %+v", a)
		}
		if _, err := s.Apply(ctx, k.ciso, im.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("applied twice: %v", err)
		}
		k.e.VerifyAudit()
	})
}
