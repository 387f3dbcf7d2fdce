//go:build measure

// The measurement of docs/PERFORMANCE.md §12: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package task_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/task"
)

// TestMeasureGenerate times making a fiscal year of tasks for an organisation of 300
// departments and 50 systems on both engines: 上毛町's recurring duties (a 情報システム管理者 for
// each system) and, since 上毛町's department role has none, three duties given to it here — a
// monthly, a quarterly and a yearly one — so that every department has its own tasks. It then
// times the same call again (nothing to make), the reminder sweep, and the reads of a watcher.
func TestMeasureGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := apptest.New(t, db, "koge", apptest.Options{Marks: true, OrgNamed: true, Roles: func(r policy.Role) bool {
			return r.ID == "security_manager" || r.ID == "network_admin"
		}})
		e.Clock.T = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		began := time.Now()
		for i := range 300 {
			d, err := e.S.Org.CreateDepartment(ctx, e.Admin, org.DepartmentInput{Code: fmt.Sprintf("D%03d", i), Name: fmt.Sprintf("課%03d", i),
				Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			p := e.Person(fmt.Sprintf("担当%03d", i), d.ID)
			if _, err := e.S.Org.AssignRole(ctx, e.Admin, org.RoleAssignment{RoleID: "system_staff", Scope: "department", DepartmentID: d.ID,
				HolderStaffID: p.StaffID}); err != nil {
				t.Fatal(err)
			}
			if i < 50 {
				if _, err := e.S.Org.AssignRole(ctx, e.Admin, org.RoleAssignment{RoleID: "system_admin", Scope: "system",
					SystemRef: fmt.Sprintf("SYS%03d", i), HolderStaffID: p.StaffID}); err != nil {
					t.Fatal(err)
				}
			}
		}
		t.Logf("%s: 300 departments, 50 systems and their holders in %s", db.Engine, time.Since(began).Round(time.Second))

		pk := *e.P.Pack
		pk.Roles = append([]policy.Role(nil), pk.Roles...)
		for i, r := range pk.Roles {
			if r.ID != "system_staff" {
				continue
			}
			added := policy.Cite{Article: "測定用", Origin: policy.OriginAdded, Reason: "測定のため"}
			pk.Roles[i].Duties = append(append([]policy.Duty(nil), r.Duties...),
				policy.Duty{ID: "m-month", Text: "測定用の毎月の点検", Every: policy.EveryMonth, EveryCite: added, Evidence: policy.EvidenceNote},
				policy.Duty{ID: "m-quarter", Text: "測定用の四半期の確認", Every: policy.EveryQuarter, EveryCite: added, Evidence: policy.EvidenceChecklist,
					Checklist: []string{"一", "二"}},
				policy.Duty{ID: "m-year", Text: "測定用の年次の報告", Every: policy.EveryYear, EveryCite: added, Evidence: policy.EvidenceFile})
		}
		timed := func(what string, fn func() (string, error)) {
			t.Helper()
			start := time.Now()
			out, err := fn()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%-10s %-34s %10s  %s", db.Engine, what, time.Since(start).Round(100*time.Microsecond), out)
		}
		timed("make the year's tasks", func() (string, error) {
			g, err := e.S.Tasks.GenerateFrom(ctx, e.Org, &pk, 2026)
			return fmt.Sprintf("%d tasks", g.Created), err
		})
		timed("again (nothing to make)", func() (string, error) {
			g, err := e.S.Tasks.GenerateFrom(ctx, e.Org, &pk, 2026)
			return fmt.Sprintf("%d tasks", g.Created), err
		})
		watcher := e.Holder("security_manager@org")
		timed("overdue count (watcher)", func() (string, error) {
			n, err := e.S.Tasks.OverdueCount(ctx, watcher)
			return fmt.Sprintf("%d overdue", n), err
		})
		timed("list, first 200 overdue (watcher)", func() (string, error) {
			_, n, err := e.S.Tasks.List(ctx, watcher, task.Filter{Status: task.StatusOverdue})
			return fmt.Sprintf("of %d", n), err
		})
		timed("calendar of the year (watcher)", func() (string, error) {
			c, err := e.S.Tasks.CalendarOf(ctx, watcher, 2026, false)
			return fmt.Sprintf("%d duties", len(c.Rows)), err
		})
		timed("a holder's overdue tasks (desk)", func() (string, error) {
			_, n, err := e.S.Tasks.Overdue(ctx, e.Actor(access.Actor{OrgID: e.Org, UserID: 1, StaffID: 3}), 10)
			return fmt.Sprintf("%d", n), err
		})
		timed("reminder sweep, first run", func() (string, error) {
			r, err := e.S.Tasks.Remind(ctx)
			return fmt.Sprintf("%d reminders", len(r)), err
		})
		timed("reminder sweep, again", func() (string, error) {
			r, err := e.S.Tasks.Remind(ctx)
			return fmt.Sprintf("%d reminders", len(r)), err
		})
	})
}
