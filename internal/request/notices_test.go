package request_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/notify"
	"mamori/internal/policy"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// mailbox gives every staff member of an env an account, so that notices reach them, and reads
// what each received.
type mailbox struct {
	e     *env
	users map[int64]int64 // staff id → user id
}

func newMailbox(e *env, people ...access.Actor) *mailbox {
	e.T.Helper()
	m := &mailbox{e: e, users: map[int64]int64{}}
	for _, a := range e.Holders {
		people = append(people, a)
	}
	for _, a := range append(people, e.clerk, e.clerkB) {
		if _, ok := m.users[a.StaffID]; ok {
			continue
		}
		u, _, err := e.S.Auth.CreateUser(context.Background(), e.Admin, auth.NewUser{Login: fmt.Sprintf("s%d", a.StaffID),
			DisplayName: a.Name, StaffID: a.StaffID})
		if err != nil {
			e.T.Fatal(err)
		}
		m.users[a.StaffID] = u.ID
	}
	return m
}

type received struct {
	kind    string
	ref     int64
	subject string
}

// of returns the notices a person received about request id (0 for every request), oldest first.
func (m *mailbox) of(a access.Actor, id int64) []received {
	m.e.T.Helper()
	rows, err := m.e.S.DB.SQL.QueryContext(context.Background(), `SELECT n.kind, n.ref_id, n.subject_ja FROM notice_recipients r
		JOIN notices n ON n.id = r.notice_id WHERE r.user_id = $1 AND ($2 = 0 OR n.ref_id = $2) ORDER BY r.id`, m.users[a.StaffID], id)
	if err != nil {
		m.e.T.Fatal(err)
	}
	defer rows.Close()
	var out []received
	for rows.Next() {
		var r received
		if err := rows.Scan(&r.kind, &r.ref, &r.subject); err != nil {
			m.e.T.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// want fails unless a person received exactly the notices of the kinds given about request id.
func (m *mailbox) want(who string, a access.Actor, id int64, kinds ...string) []received {
	m.e.T.Helper()
	got := m.of(a, id)
	var gotKinds []string
	for _, r := range got {
		gotKinds = append(gotKinds, r.kind)
	}
	if strings.Join(gotKinds, ",") != strings.Join(kinds, ",") {
		m.e.T.Fatalf("%s received %v about request %d, want %v", who, gotKinds, id, kinds)
	}
	return got
}

func kindOf(e *env, id string) policy.Approval {
	e.T.Helper()
	for _, a := range e.P.Approvals {
		if a.ID == id {
			return a
		}
	}
	e.T.Fatalf("no kind %s", id)
	return policy.Approval{}
}

func TestNoticesOfEachTransition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "abira-kyoiku")
		box := newMailbox(e)
		sm, na := e.Holder(fmt.Sprintf("security_manager@d:%d", e.DeptA)), e.Holder("network_admin@org")
		smB := e.Holder(fmt.Sprintf("security_manager@d:%d", e.DeptB))
		pc := e.asset("terminal", e.topClass(), "")
		kind := kindOf(e, "software_install")
		fields, _ := fill(e, kind, pc.ID)
		const waiting, decided = notify.RequestWaiting, notify.RequestDecided

		r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: kind.ID, AssetIDs: []int64{pc.ID}, Fields: fields})
		if err != nil {
			t.Fatal(err)
		}
		got := box.want("the first step's decider", sm, r.ID, waiting)
		if !strings.Contains(got[0].subject, "承認待ち") || !strings.Contains(got[0].subject, kind.Name) {
			t.Fatalf("subject %q", got[0].subject)
		}
		box.want("the second step's decider", na, r.ID)
		box.want("another department's manager", smB, r.ID)
		box.want("the applicant", e.clerk, r.ID)

		_, err = e.S.Requests.Decide(ctx, e.clerkB, r.ID, request.Decision{Decision: request.Approve})
		mustCode(t, err, apperr.Forbidden, "")
		_, err = e.S.Requests.Decide(ctx, na, r.ID, request.Decision{Decision: request.Approve})
		mustCode(t, err, apperr.Forbidden, "")
		box.want("after refused decisions, the applicant", e.clerk, r.ID)
		box.want("after refused decisions, the second step", na, r.ID)

		if r, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		box.want("the second step's decider", na, r.ID, waiting)
		box.want("the applicant after the first of two steps", e.clerk, r.ID)

		if r, err = e.S.Requests.Decide(ctx, na, r.ID, request.Decision{Decision: request.SendBack, Comment: "理由を詳しく"}); err != nil {
			t.Fatal(err)
		}
		got = box.want("the applicant, sent back", e.clerk, r.ID, decided)
		if !strings.Contains(got[0].subject, "差し戻されました") {
			t.Fatalf("subject %q", got[0].subject)
		}
		if r, err = e.S.Requests.Resubmit(ctx, e.clerk, r.ID, request.Resubmission{Fields: fields, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		box.want("the first step's decider after resubmission", sm, r.ID, waiting, waiting)
		if r, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		if r, err = e.S.Requests.Decide(ctx, na, r.ID, request.Decision{Decision: request.Approve}); err != nil || r.State != request.Approved {
			t.Fatalf("%v %v", r.State, err)
		}
		got = box.want("the applicant, approved", e.clerk, r.ID, decided, decided)
		if !strings.Contains(got[1].subject, "承認されました") {
			t.Fatalf("subject %q", got[1].subject)
		}

		t.Run("rejected", func(t *testing.T) {
			r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: kind.ID, AssetIDs: []int64{pc.ID}, Fields: fields})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Reject, Comment: "不要です"}); err != nil {
				t.Fatal(err)
			}
			got := box.want("the applicant, rejected", e.clerk, r.ID, decided)
			if !strings.Contains(got[0].subject, "却下") {
				t.Fatalf("subject %q", got[0].subject)
			}
			box.want("the second step after a rejection", na, r.ID)
		})

		t.Run("reports after approval reach their addressee", func(t *testing.T) {
			k := kindOf(e, "personal_device")
			f, _ := fill(e, k, 0)
			r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: k.ID, Fields: f})
			if err != nil {
				t.Fatal(err)
			}
			box.want("the addressee before approval", na, r.ID)
			if _, err := e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve}); err != nil {
				t.Fatal(err)
			}
			box.want("the addressee of the report", na, r.ID, request.NoticeReport)
			box.want("the applicant", e.clerk, r.ID, decided)
		})

		t.Run("an acting holder is told while the role is vacant", func(t *testing.T) {
			roles, err := e.S.Org.Roles(ctx, e.Admin)
			if err != nil {
				t.Fatal(err)
			}
			for _, ra := range roles {
				if ra.RoleID == "cio" {
					if err := e.S.Org.EndRole(ctx, e.Admin, ra.ID, "2026-03-31"); err != nil {
						t.Fatal(err)
					}
				}
			}
			srv := e.asset("server", e.topClass(), "")
			k := kindOf(e, "server_outside_room")
			f, _ := fill(e, k, srv.ID)
			r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: k.ID, AssetIDs: []int64{srv.ID}, Fields: f})
			if err != nil {
				t.Fatal(err)
			}
			box.want("the network administrator acting for the vacant CIO", na, r.ID, waiting)
			box.want("the former CIO", e.Holder("cio@org"), r.ID)
		})
	})
}
