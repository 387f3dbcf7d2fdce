package task_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/task"
)

// kogeEnv is 上毛町's pack with a holder of each role that has recurring duties, the system
// role held for system SYS1, and a clerk who holds none.
func kogeEnv(t *testing.T, db *store.DB) (*apptest.Env, access.Actor) {
	t.Helper()
	e := apptest.New(t, db, "koge", apptest.Options{Marks: true, OrgNamed: true, Roles: func(r policy.Role) bool {
		switch r.ID {
		case "system_admin", "network_admin", "security_manager", "chief_auditor":
			return true
		}
		return false
	}})
	if _, err := e.S.Tasks.Generate(context.Background(), e.Org, 2026); err != nil {
		t.Fatal(err)
	}
	return e, e.Actor(e.Person("職員 一般", e.DeptB))
}

// taskOf finds the task of a duty and period the actor reads.
func taskOf(t *testing.T, e *apptest.Env, who access.Actor, duty, start string) task.Task {
	t.Helper()
	list, _, err := e.S.Tasks.List(context.Background(), who, task.Filter{FiscalYear: 2026, Limit: task.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.DutyID == duty && x.PeriodStart == start {
			return x
		}
	}
	t.Fatalf("no task %s %s among %d", duty, start, len(list))
	return task.Task{}
}

func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, _ := kogeEnv(t, db)
		// network_admin 1+1+12+2, system_admin on SYS1 12+1+12+2, security_manager 1,
		// committee (organisation-wide, made whether held or not) 1+1.
		all, total, err := e.S.Tasks.List(ctx, e.Admin, task.Filter{FiscalYear: 2026, Limit: task.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if total != 46 || len(all) != 46 {
			t.Fatalf("%d tasks (%d listed), want 46", total, len(all))
		}
		t.Run("again makes nothing", func(t *testing.T) {
			g, err := e.S.Tasks.Generate(ctx, e.Org, 2026)
			if err != nil || g.Created != 0 {
				t.Fatalf("made %d again, %v", g.Created, err)
			}
		})
		t.Run("periods end on the last day", func(t *testing.T) {
			sys := e.Holder("system_admin@s:SYS1")
			feb := taskOf(t, e, sys, "system-backup", "2027-02-01")
			if feb.DueOn != "2027-02-28" || feb.SystemRef != "SYS1" || feb.Evidence != policy.EvidenceLogbook || feb.Logbook != "work_record" {
				t.Errorf("February backup: %+v", feb)
			}
			half := taskOf(t, e, sys, "system-compliance-check", "2026-10-01")
			if half.DueOn != "2027-03-31" || len(half.Checklist) != 4 {
				t.Errorf("second half: %+v", half)
			}
			sm := e.Holder("security_manager@org")
			sup := taskOf(t, e, sm, "supplier-check", "2026-04-01")
			if sup.DueOn != "2026-12-31" {
				t.Errorf("supplier check due %s, want 2026-12-31", sup.DueOn)
			}
		})
		t.Run("a new system where the role is held gets its tasks", func(t *testing.T) {
			e.Assign(org.RoleAssignment{RoleID: "system_admin", Scope: "system", SystemRef: "SYS2"}, e.DeptB)
			g, err := e.S.Tasks.Generate(ctx, e.Org, 2026)
			if err != nil || g.Created != 27 {
				t.Fatalf("made %d for SYS2, want 27 (%v)", g.Created, err)
			}
		})
		e.VerifyAudit()
	})
}

func TestReadRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, clerk := kogeEnv(t, db)
		sys := e.Holder("system_admin@s:SYS1")
		net := e.Holder("network_admin@org")
		count := func(who access.Actor) int {
			t.Helper()
			_, n, err := e.S.Tasks.List(ctx, who, task.Filter{FiscalYear: 2026})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(sys); n != 27 {
			t.Errorf("the system's administrator reads %d, want its 27", n)
		}
		if n := count(net); n != 16 {
			t.Errorf("the network administrator reads %d, want 16", n)
		}
		if n := count(clerk); n != 0 {
			t.Errorf("a clerk reads %d tasks", n)
		}
		// 情報セキュリティ管理者 is a security role over the organisation; the 監査統括責任者 an auditor.
		for _, k := range []string{"security_manager@org", "chief_auditor@org"} {
			if n := count(e.Holder(k)); n != 46 {
				t.Errorf("%s reads %d, want all 46", k, n)
			}
		}
		sysTask := taskOf(t, e, sys, "system-log-review", "2026-04-01")
		if _, err := e.S.Tasks.Get(ctx, clerk, sysTask.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a clerk opens a system's task: %v", err)
		}
		if _, err := e.S.Tasks.Get(ctx, net, sysTask.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the network administrator opens a system's task: %v", err)
		}
		ok, err := e.S.Tasks.Readable(ctx, clerk, []int64{sysTask.ID})
		if err != nil || ok[0] {
			t.Errorf("notices readable by a clerk: %v %v", ok, err)
		}
		// Those who read every task do not close another's.
		_, err = e.S.Tasks.Complete(ctx, e.Holder("security_manager@org"), sysTask.ID, task.Completion{Note: "確認"})
		if apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a watcher closed a system's task: %v", err)
		}
	})
}

func TestComplete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, _ := kogeEnv(t, db)
		sys := e.Holder("system_admin@s:SYS1")
		net := e.Holder("network_admin@org")
		refused := func(t *testing.T, who access.Actor, id int64, in task.Completion, field string) {
			t.Helper()
			before := e.AuditCount("task.complete")
			_, err := e.S.Tasks.Complete(ctx, who, id, in)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("completion accepted or wrongly refused: %v", err)
			}
			if a := apperr.As(err); a == nil || a.Field() != field {
				t.Errorf("refusal names %v, want %s", err, field)
			}
			got, err := e.S.Tasks.Get(ctx, who, id)
			if err != nil || got.State != task.Open || e.AuditCount("task.complete") != before {
				t.Errorf("a refused completion changed the task: %+v %v", got, err)
			}
		}
		t.Run("note", func(t *testing.T) {
			x := taskOf(t, e, sys, "system-log-review", "2026-04-01")
			refused(t, sys, x.ID, task.Completion{Note: "   "}, "note")
			done, err := e.S.Tasks.Complete(ctx, sys, x.ID, task.Completion{Note: "4月分のログを点検し、不正な操作は見当たらなかった"})
			if err != nil {
				t.Fatal(err)
			}
			if done.State != task.Done || done.DoneBy != sys.Name || done.DoneByStaffID != sys.StaffID || done.DoneAt == nil {
				t.Errorf("done: %+v", done)
			}
			if _, err := e.S.Tasks.Complete(ctx, sys, x.ID, task.Completion{Note: "again"}); apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("closed twice: %v", err)
			}
			if e.AuditCount("task.complete") != 1 {
				t.Errorf("audit entries %d", e.AuditCount("task.complete"))
			}
		})
		t.Run("file", func(t *testing.T) {
			x := taskOf(t, e, net, "emergency-drill", "2026-04-01")
			pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 100)...)
			refused(t, net, x.ID, task.Completion{}, "file")
			refused(t, net, x.ID, task.Completion{File: &task.Upload{Name: "訓練.exe", Body: []byte("MZ")}}, "file")
			refused(t, net, x.ID, task.Completion{File: &task.Upload{Name: "訓練.pdf", Body: []byte("\x89PNG\r\n\x1a\n....")}}, "file")
			refused(t, net, x.ID, task.Completion{File: &task.Upload{Name: "訓練.pdf", Body: append(pdf, make([]byte, task.MaxFileSize)...)}}, "file")
			if _, err := e.S.Tasks.Complete(ctx, net, x.ID, task.Completion{File: &task.Upload{Name: "訓練記録.pdf", Body: pdf}}); err != nil {
				t.Fatal(err)
			}
			f, body, err := e.S.Tasks.FileBody(ctx, e.Holder("chief_auditor@org"), x.ID)
			if err != nil || !bytes.Equal(body, pdf) || f.ContentType != "application/pdf" || f.Name != "訓練記録.pdf" {
				t.Errorf("file %+v %v", f, err)
			}
		})
		t.Run("checklist", func(t *testing.T) {
			x := taskOf(t, e, net, "network-compliance-check", "2026-04-01")
			refused(t, net, x.ID, task.Completion{Ticked: []int{0, 1, 2}}, "ticked")
			refused(t, net, x.ID, task.Completion{Ticked: []int{0, 1, 2, 9}}, "ticked")
			done, err := e.S.Tasks.Complete(ctx, net, x.ID, task.Completion{Ticked: []int{3, 2, 1, 0}})
			if err != nil || len(done.Ticked) != 4 {
				t.Fatalf("%+v %v", done, err)
			}
		})
		t.Run("logbook", func(t *testing.T) {
			x := taskOf(t, e, sys, "system-backup", "2026-04-01")
			refused(t, sys, x.ID, task.Completion{}, "logbook_entry_id")
			refused(t, sys, x.ID, task.Completion{LogbookEntryID: 999999}, "logbook_entry_id")
			var assetID int64
			if err := db.SQL.QueryRowContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, system_ref, created_at, updated_at)
				VALUES ($1, 'SYS1', '住民情報システム', 'system', $2, '', $3, $3) RETURNING id`, e.Org, e.DeptA, e.Clock.T).Scan(&assetID); err != nil {
				t.Fatal(err)
			}
			write := func(at string) int64 {
				t.Helper()
				en, err := e.S.Logbooks.Create(ctx, e.Admin, logbook.Input{Logbook: "work_record", DepartmentID: e.DeptA, Fields: map[string]any{
					"system": float64(assetID), "at": at, "worker": float64(sys.StaffID), "work": "バックアップを取得した"}})
				if err != nil {
					t.Fatal(err)
				}
				return en.ID
			}
			// An entry of May is not April's backup.
			refused(t, sys, x.ID, task.Completion{LogbookEntryID: write("2026-05-02T10:00:00+09:00")}, "logbook_entry_id")
			done, err := e.S.Tasks.Complete(ctx, sys, x.ID, task.Completion{LogbookEntryID: write("2026-04-10T10:00:00+09:00")})
			if err != nil || done.LogbookEntryID == 0 {
				t.Fatalf("%+v %v", done, err)
			}
		})
		e.VerifyAudit()
	})
}

func TestHolderChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, _ := kogeEnv(t, db)
		old := e.Holder("system_admin@s:SYS1")
		x := taskOf(t, e, old, "system-log-review", "2026-05-01")
		if len(x.Holders) != 1 || x.Holders[0].StaffID != old.StaffID {
			t.Fatalf("holders %+v", x.Holders)
		}
		roles, err := e.S.Org.Roles(ctx, e.Admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range roles {
			if r.RoleID == "system_admin" && r.HolderStaffID == old.StaffID {
				if err := e.S.Org.EndRole(ctx, e.Admin, r.ID, "2026-04-01"); err != nil {
					t.Fatal(err)
				}
			}
		}
		e.Clock.T = e.Clock.T.AddDate(0, 0, 1)
		next := e.Assign(org.RoleAssignment{RoleID: "system_admin", Scope: "system", SystemRef: "SYS1"}, e.DeptB)
		got, err := e.S.Tasks.Get(ctx, next, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Holders) != 1 || got.Holders[0].StaffID != next.StaffID {
			t.Errorf("the task did not follow the new holder: %+v", got.Holders)
		}
		if _, err := e.S.Tasks.Get(ctx, e.Actor(old), x.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the former holder still opens it: %v", err)
		}
		if _, err := e.S.Tasks.Complete(ctx, next, x.ID, task.Completion{Note: "点検済み"}); err != nil {
			t.Errorf("the new holder cannot close it: %v", err)
		}
	})
}

func TestRemind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, _ := kogeEnv(t, db)
		sys := e.Holder("system_admin@s:SYS1")
		// 4月25日: April's monthly tasks are due within the week.
		e.Clock.T = time.Date(2026, 4, 25, 1, 0, 0, 0, time.UTC)
		sent, err := e.S.Tasks.Remind(ctx)
		if err != nil {
			t.Fatal(err)
		}
		soon := 0
		for _, r := range sent {
			if r.Kind != task.NoticeDueSoon {
				t.Errorf("reminder %+v", r)
			}
			soon++
		}
		// system-backup, system-log-review (SYS1) and network-log-review.
		if soon != 3 {
			t.Errorf("%d due-soon reminders, want 3", soon)
		}
		if again, err := e.S.Tasks.Remind(ctx); err != nil || len(again) != 0 {
			t.Errorf("reminded again: %v %v", again, err)
		}
		// 5月2日: they are overdue.
		e.Clock.T = time.Date(2026, 5, 2, 1, 0, 0, 0, time.UTC)
		sent, err = e.S.Tasks.Remind(ctx)
		if err != nil {
			t.Fatal(err)
		}
		overdue := 0
		for _, r := range sent {
			if r.Kind == task.NoticeOverdue {
				overdue++
			}
		}
		if overdue != 3 {
			t.Errorf("%d overdue reminders, want 3", overdue)
		}
		var n int
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM notices WHERE org_id = $1 AND ref_type = 'task' AND kind = $2`,
			e.Org, task.NoticeOverdue).Scan(&n); err != nil || n != 3 {
			t.Errorf("%d overdue notices kept, want 3 (%v)", n, err)
		}
		_ = sys
	})
}
