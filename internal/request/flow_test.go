package request_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// koge is an organisation on 上毛町's pack with a 重要性分類Ⅰ terminal in department A.
func koge(t *testing.T, db *store.DB) (*env, int64) {
	e := newEnv(t, db, "koge")
	return e, e.asset("terminal", map[string]string{"importance": "I"}, "").ID
}

func mustCode(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if field != "" && apperr.As(err).Field() != field {
		t.Fatalf("err = %v names field %q, want %q", err, apperr.As(err).Field(), field)
	}
}

func sendInput(asset int64) request.Input {
	return request.Input{Kind: "send", AssetIDs: []int64{asset}, Fields: map[string]any{"destination": "福岡県", "protection": "暗号化"}}
}

func TestSendBackResubmitReject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		sm := e.Holder("security_manager@org")
		r, err := e.S.Requests.Submit(ctx, e.clerk, sendInput(pc))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.SendBack})
		mustCode(t, err, apperr.Invalid, "comment")
		r, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.SendBack, Comment: "送信先を具体的に"})
		if err != nil || r.State != request.SentBack || e.inboxHas(sm, r.ID) {
			t.Fatalf("send back: %+v %v", r.State, err)
		}
		_, err = e.S.Requests.Resubmit(ctx, sm, r.ID, request.Resubmission{Fields: map[string]any{"destination": "x"}})
		mustCode(t, err, apperr.Forbidden, "")
		r, err = e.S.Requests.Resubmit(ctx, e.clerk, r.ID, request.Resubmission{Fields: map[string]any{"destination": "福岡県庁 情報政策課", "protection": "暗号化"}, Comment: "修正しました"})
		if err != nil || r.State != request.Pending || r.Step != 0 || r.Fields["destination"] != "福岡県庁 情報政策課" || !e.inboxHas(sm, r.ID) {
			t.Fatalf("resubmit: %+v %v", r, err)
		}
		r, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Reject, Comment: "必要性が認められない"})
		if err != nil || r.State != request.Rejected || r.DecidedAt == nil {
			t.Fatalf("reject: %+v %v", r.State, err)
		}
		_, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve})
		mustCode(t, err, apperr.Invalid, "state")
		var actions []string
		for _, ev := range r.Events {
			actions = append(actions, ev.Action)
		}
		if got := len(actions); got != 4 || actions[0] != "submit" || actions[1] != "send_back" || actions[2] != "resubmit" || actions[3] != "reject" {
			t.Fatalf("events %v", actions)
		}
		for _, a := range []string{"request.submit", "request.send_back", "request.resubmit", "request.reject"} {
			if e.AuditCount(a) != 1 {
				t.Fatalf("audit %s: %d entries", a, e.AuditCount(a))
			}
		}
		e.VerifyAudit()
	})
}

func TestWhoDecides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		sm := e.Holder("security_manager@org")

		t.Run("an acting holder decides, recorded as 代理", func(t *testing.T) {
			deputy := e.Person("代理者", e.DeptA)
			if _, err := e.S.Org.AssignRole(ctx, e.Admin, org.RoleAssignment{RoleID: "security_manager", Scope: "organization",
				HolderStaffID: sm.StaffID, ActingStaffID: deputy.StaffID}); err != nil {
				t.Fatal(err)
			}
			deputy = e.Actor(deputy)
			r, err := e.S.Requests.Submit(ctx, e.clerk, sendInput(pc))
			if err != nil {
				t.Fatal(err)
			}
			if !e.inboxHas(deputy, r.ID) {
				t.Fatal("the acting holder does not find the request")
			}
			r, err = e.S.Requests.Decide(ctx, deputy, r.ID, request.Decision{Decision: request.Approve})
			if err != nil || r.State != request.Approved {
				t.Fatalf("%v %v", r.State, err)
			}
			if last := r.Events[len(r.Events)-1]; last.Capacity != request.AsActing || last.StaffID != deputy.StaffID {
				t.Fatalf("decision %+v", last)
			}
		})

		t.Run("the pack's acting role decides while the role is vacant", func(t *testing.T) {
			in := request.Input{Kind: "exception", Fields: map[string]any{"rule": "3(2)⑦", "measure": "平文で送信", "reason": "相手方の環境"}}
			r, err := e.S.Requests.Submit(ctx, e.clerk, in)
			if err != nil {
				t.Fatal(err)
			}
			chief := e.Holder("chief@org")
			_, err = e.S.Requests.Decide(ctx, chief, r.ID, request.Decision{Decision: request.Approve})
			mustCode(t, err, apperr.Forbidden, "decision")
			roles, _ := e.S.Org.Roles(ctx, e.Admin)
			for _, ra := range roles {
				if ra.RoleID == "ciso" {
					if err := e.S.Org.EndRole(ctx, e.Admin, ra.ID, "2026-03-31"); err != nil {
						t.Fatal(err)
					}
				}
			}
			if !e.inboxHas(chief, r.ID) {
				t.Fatal("統括 does not find the request while CISO is vacant")
			}
			r, err = e.S.Requests.Decide(ctx, chief, r.ID, request.Decision{Decision: request.Approve})
			if err != nil || r.Events[len(r.Events)-1].Capacity != request.AsActing {
				t.Fatalf("%+v %v", r.Events, err)
			}
		})

		t.Run("the applicant never approves their own request", func(t *testing.T) {
			r, err := e.S.Requests.Submit(ctx, sm, sendInput(pc))
			if err != nil {
				t.Fatal(err)
			}
			if e.inboxHas(sm, r.ID) {
				t.Fatal("own request in the inbox")
			}
			_, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve})
			mustCode(t, err, apperr.Forbidden, "decision")
		})

		t.Run("someone without the role cannot decide or see it", func(t *testing.T) {
			r, err := e.S.Requests.Submit(ctx, e.clerk, sendInput(pc))
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.S.Requests.Decide(ctx, e.Holder("network_admin@org"), r.ID, request.Decision{Decision: request.Approve})
			mustCode(t, err, apperr.Forbidden, "decision")
			_, err = e.S.Requests.Get(ctx, e.clerkB, r.ID)
			mustCode(t, err, apperr.NotFound, "")
			r, err = e.S.Requests.Cancel(ctx, e.clerk, r.ID, "不要になった", 0)
			if err != nil || r.State != request.Cancelled {
				t.Fatal(err)
			}
			_, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve})
			mustCode(t, err, apperr.Invalid, "state")
		})
		e.VerifyAudit()
	})
}

// TestConcurrentDecisions: two approvers of a joint step decide the same version of a request
// through two database handles at once; one wins, the other gets a conflict.
func TestConcurrentDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h1, h2 := storetest.TwoHandles(t, db)
		e, pc := koge(t, h1)
		s2 := app.New(h2, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, e.Clock.Now)
		in := request.Input{Kind: "external_network", AssetIDs: []int64{pc}, Fields: map[string]any{
			"external_network": "県域ネットワーク", "survey": "調査済み", "no_impact": true}}
		for round := 0; round < 5; round++ {
			r, err := e.S.Requests.Submit(ctx, e.clerk, in)
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, who := range []struct {
				svc *request.Service
				a   access.Actor
			}{{e.S.Requests, e.Holder("ciso@org")}, {s2.Requests, e.Holder("chief@org")}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = who.svc.Decide(ctx, who.a, r.ID, request.Decision{Decision: request.Approve, Version: r.Version})
				}()
			}
			wg.Wait()
			ok, conflicts := 0, 0
			for _, err := range errs {
				switch apperr.CodeOf(err) {
				case "":
					ok++
				case apperr.Conflict:
					conflicts++
				default:
					t.Fatalf("unexpected %v", err)
				}
			}
			if ok != 1 || conflicts != 1 {
				t.Fatalf("round %d: %d won, %d conflicts (%v)", round, ok, conflicts, errs)
			}
			got, _ := e.S.Requests.Get(ctx, e.Admin, r.ID)
			if n := len(got.Events); n != 2 || got.Version != r.Version+1 {
				t.Fatalf("events %d version %d", n, got.Version)
			}
		}
		e.VerifyAudit()
	})
}

func TestPostHoc(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		fields := map[string]any{"rule": "3(2)⑦", "measure": "平文で送信", "reason": "災害対応"}
		acted := e.Clock.T.Add(-3 * time.Hour)
		r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "exception", Fields: fields, PostHoc: true, ActedAt: acted})
		if err != nil {
			t.Fatal(err)
		}
		if !r.PostHoc || r.ReportDueAt == nil || !r.ReportDueAt.Equal(acted.AddDate(0, 0, 1)) || r.ReportedLate {
			t.Fatalf("post-hoc request %+v", r)
		}
		late, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "exception", Fields: fields, PostHoc: true, ActedAt: e.Clock.T.AddDate(0, 0, -2)})
		if err != nil || !late.ReportedLate {
			t.Fatalf("a report two days after the measure is late: %+v %v", late.ReportedLate, err)
		}
		if r, err = e.S.Requests.Decide(ctx, e.Holder("ciso@org"), r.ID, request.Decision{Decision: request.Approve}); err != nil || r.State != request.Approved {
			t.Fatal(err)
		}
		_, err = e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "send", AssetIDs: []int64{pc}, PostHoc: true, ActedAt: acted,
			Fields: map[string]any{"destination": "x"}})
		mustCode(t, err, apperr.Invalid, "post_hoc")
		_, err = e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "exception", Fields: fields, PostHoc: true})
		mustCode(t, err, apperr.Invalid, "acted_at")
		_, err = e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "exception", Fields: fields, PostHoc: true, ActedAt: e.Clock.T.Add(time.Hour)})
		mustCode(t, err, apperr.Invalid, "acted_at")
	})
}

// TestFilingNeedsStaffWithDepartment: a user without a staff record, and a member of staff whose
// record has no department, are refused filing, each told what is missing; neither is offered
// any kind to file.
func TestFilingNeedsStaffWithDepartment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		noDept := e.clerk
		noDept.DepartmentID = 0
		noStaff := e.clerk
		noStaff.StaffID = 0
		for _, c := range []struct {
			who access.Actor
			key string
		}{{noDept, "request.error.staff_no_department"}, {noStaff, "request.error.not_staff"}} {
			_, err := e.S.Requests.Submit(ctx, c.who, sendInput(pc))
			if apperr.CodeOf(err) != apperr.Forbidden || apperr.As(err).Key != c.key {
				t.Errorf("staff %d, department %d: err = %v, want %s", c.who.StaffID, c.who.DepartmentID, err, c.key)
			}
			if kinds, err := e.S.Requests.Kinds(ctx, c.who); err != nil || len(kinds) != 0 {
				t.Errorf("staff %d, department %d: offered %d kinds (%v)", c.who.StaffID, c.who.DepartmentID, len(kinds), err)
			}
		}
		if kinds, _ := e.S.Requests.Kinds(ctx, e.clerk); len(kinds) == 0 {
			t.Error("a clerk with a department is offered nothing to file")
		}
	})
}
