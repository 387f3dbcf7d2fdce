package request_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// reqRecord makes a new request in one state; step is the wait key of the role it waits for
// now (to decide or to be told), "" when it waits for none.
type reqRecord struct {
	name string
	make func(e *env) request.Request
	step string
}

type reqActor struct {
	name string
	who  access.Actor
}

// reqAct performs one act with input that is valid whenever the act is allowed.
type reqAct struct {
	name    string
	offered func(request.Actions) bool
	do      func(ctx context.Context, e *env, who access.Actor, id int64) error
}

var reqActs = []reqAct{
	{"decide", func(a request.Actions) bool { return a.Decide }, func(ctx context.Context, e *env, who access.Actor, id int64) error {
		_, err := e.S.Requests.Decide(ctx, who, id, request.Decision{Decision: request.Approve})
		return err
	}},
	{"acknowledge", func(a request.Actions) bool { return a.Acknowledge }, func(ctx context.Context, e *env, who access.Actor, id int64) error {
		_, err := e.S.Requests.Acknowledge(ctx, who, id, "受領しました")
		return err
	}},
	{"resubmit", func(a request.Actions) bool { return a.Resubmit }, func(ctx context.Context, e *env, who access.Actor, id int64) error {
		r, err := e.S.Requests.Get(ctx, e.Admin, id)
		if err != nil {
			return err
		}
		_, err = e.S.Requests.Resubmit(ctx, who, id, request.Resubmission{Fields: r.Fields, Comment: "直しました"})
		return err
	}},
	{"cancel", func(a request.Actions) bool { return a.Cancel }, func(ctx context.Context, e *env, who access.Actor, id int64) error {
		_, err := e.S.Requests.Cancel(ctx, who, id, "取り下げます", 0)
		return err
	}},
	{"take out", func(a request.Actions) bool { return a.TakeOut }, func(ctx context.Context, e *env, who access.Actor, id int64) error {
		_, err := e.S.Requests.RecordTakeOut(ctx, who, id, request.TakeOut{On: "2026-04-01"})
		return err
	}},
	{"return", func(a request.Actions) bool { return a.Return }, func(ctx context.Context, e *env, who access.Actor, id int64) error {
		_, err := e.S.Requests.RecordReturn(ctx, who, id, request.Return{On: "2026-04-01"})
		return err
	}},
	{"dispose", func(a request.Actions) bool { return a.Dispose }, func(ctx context.Context, e *env, who access.Actor, id int64) error {
		_, err := e.S.Requests.RecordDisposal(ctx, who, id, request.Disposal{On: "2026-04-01", Method: "破砕機で物理的に破壊"}, 0)
		return err
	}},
}

// submitted files a request of the clerk and moves it on by the acts given, each by the
// holder of the step it waits at.
func submitted(e *env, in request.Input, then ...func(r request.Request) (request.Request, error)) request.Request {
	e.T.Helper()
	ctx := context.Background()
	r, err := e.S.Requests.Submit(ctx, e.clerk, in)
	if err != nil {
		e.T.Fatal(err)
	}
	for _, f := range then {
		if r, err = f(r); err != nil {
			e.T.Fatal(err)
		}
	}
	return r
}

func decided(e *env, key, decision string) func(request.Request) (request.Request, error) {
	return func(r request.Request) (request.Request, error) {
		return e.S.Requests.Decide(context.Background(), e.Holder(key), r.ID, request.Decision{Decision: decision, Comment: "確認"})
	}
}

// TestOfferedActsAreAllowed: for requests in each state and each kind of actor, every act the
// pages offer (ActionsFor) is carried out when performed, and every act they withhold is
// refused.
func TestOfferedActsAreAllowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		koge := newEnv(t, db, "koge")
		const sm, sa = "security_manager@org", "system_admin@s:SYS1"
		takeOut := func(e *env) request.Input {
			return request.Input{Kind: "take_out", AssetIDs: []int64{e.asset("terminal", map[string]string{"importance": "I"}, "").ID},
				Fields: map[string]any{"destination": "県庁", "out_date": "2026-04-02", "return_date": "2026-04-03"}}
		}
		dispose := func(e *env) request.Input {
			return request.Input{Kind: "dispose", AssetIDs: []int64{e.asset("terminal", map[string]string{"importance": "I"}, "").ID},
				Fields: map[string]any{"processed_at": "2026-04-01T10:00", "operator": e.clerk.StaffID, "method": "物理破壊"}}
		}
		checkActs(t, koge, []reqRecord{
			{"take-out pending", func(e *env) request.Request { return submitted(e, takeOut(e)) }, sm},
			{"take-out sent back", func(e *env) request.Request { return submitted(e, takeOut(e), decided(e, sm, request.SendBack)) }, ""},
			{"take-out approved", func(e *env) request.Request { return submitted(e, takeOut(e), decided(e, sm, request.Approve)) }, sm},
			{"take-out taken out", func(e *env) request.Request {
				return submitted(e, takeOut(e), decided(e, sm, request.Approve), func(r request.Request) (request.Request, error) {
					return e.S.Requests.RecordTakeOut(context.Background(), e.clerk, r.ID, request.TakeOut{On: "2026-04-01"})
				})
			}, sm},
			{"take-out rejected", func(e *env) request.Request { return submitted(e, takeOut(e), decided(e, sm, request.Reject)) }, sm},
			{"disposal pending", func(e *env) request.Request { return submitted(e, dispose(e)) }, sa},
			{"disposal approved", func(e *env) request.Request { return submitted(e, dispose(e), decided(e, sa, request.Approve)) }, sa},
		}, "decide", "resubmit", "cancel", "take out", "return", "dispose")
	})
}

// TestOfferedActsAreAllowedAfterApproval: the same, of a request whose approval is reported
// to a role that acknowledges it (安平町 様式第1号).
func TestOfferedActsAreAllowedAfterApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		abira := newEnv(t, db, "abira-kyoiku")
		device := request.Input{Kind: "personal_device", Fields: map[string]any{"reason": "校外学習の引率", "measures": "暗号化"}}
		smA := "security_manager@d:" + strconv.FormatInt(abira.DeptA, 10)
		checkActs(t, abira, []reqRecord{
			{"personal device pending", func(e *env) request.Request { return submitted(e, device) }, smA},
			{"personal device reported", func(e *env) request.Request { return submitted(e, device, decided(e, smA, request.Approve)) }, "network_admin@org"},
		}, "decide", "acknowledge", "cancel")
	})
}

// checkActs runs every act of every actor on every record. A refused act changes nothing, so a
// record is made anew only after an act was carried out on it.
// Each act of want must be offered somewhere, or the table would prove nothing of it.
func checkActs(t *testing.T, e *env, records []reqRecord, want ...string) {
	t.Helper()
	ctx := context.Background()
	offered := map[string]int{}
	for _, rec := range records {
		actors := []reqActor{
			{"applicant", e.clerk},
			{"other staff", e.clerkB},
			{"platform admin", access.Actor{OrgID: e.Admin.OrgID, UserID: 9000, Login: "admin", Name: "管理者", PlatformAdmin: true}},
		}
		if rec.step != "" {
			actors = append(actors, reqActor{"holder of " + rec.step, e.Holder(rec.step)})
		}
		for _, r := range e.P.Roles {
			k := r.ID + "@org"
			if _, ok := e.Holders[k]; !ok || k == rec.step || r.Scope != "organization" {
				continue
			}
			switch {
			case r.Security:
				actors = append(actors, reqActor{"security role " + r.ID, e.Holder(k)})
			case strings.Contains(r.ID, "audit"):
				actors = append(actors, reqActor{"auditor " + r.ID, e.Holder(k)})
			}
		}
		cur := rec.make(e)
		for _, a := range actors {
			for _, act := range reqActs {
				var acts request.Actions
				r, err := e.S.Requests.Get(ctx, a.who, cur.ID)
				switch {
				case apperr.CodeOf(err) == apperr.NotFound: // not seen: nothing is offered
				case err != nil:
					t.Fatalf("%s × %s: read: %v", a.name, rec.name, err)
				default:
					if acts, err = e.S.Requests.ActionsFor(ctx, a.who, r); err != nil {
						t.Fatalf("%s × %s: actions: %v", a.name, rec.name, err)
					}
				}
				err = act.do(ctx, e, a.who, cur.ID)
				switch {
				case act.offered(acts) && err != nil:
					t.Errorf("%s × %s × %s: offered, but refused: %v", a.name, rec.name, act.name, err)
				case !act.offered(acts) && err == nil:
					t.Errorf("%s × %s × %s: withheld, but carried out", a.name, rec.name, act.name)
				case !act.offered(acts) && apperr.CodeOf(err) == apperr.Internal:
					t.Errorf("%s × %s × %s: withheld, and failed: %v", a.name, rec.name, act.name, err)
				}
				if act.offered(acts) {
					offered[act.name]++
				}
				if err == nil {
					cur = rec.make(e)
				}
			}
		}
	}
	for _, name := range want {
		if offered[name] == 0 {
			t.Errorf("%s is never offered", name)
		}
	}
}
