package request_test

import (
	"context"
	"testing"

	"mamori/internal/asset"
	"mamori/internal/policy"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// kindCounts are the approval kinds each shipped pack has (土岐市 inherits the base pack's).
var kindCounts = map[string]int{"koge": 22, "abira-kyoiku": 13, "kishiwada": 8, "yamagata": 12, "toki": 6}

// samplePDF is a minimal PDF, a file any kind's file field takes.
var samplePDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// fill answers every field of a kind with a value its type takes.
func fill(e *env, a policy.Approval, subject int64) (map[string]any, []request.NewAttachment) {
	fields := map[string]any{}
	var files []request.NewAttachment
	for _, f := range a.Fields {
		switch f.Type {
		case "text", "textarea":
			fields[f.ID] = "記入例"
		case "date":
			fields[f.ID] = "2026-04-10"
		case "datetime":
			fields[f.ID] = "2026-04-01T09:30"
		case "number":
			fields[f.ID] = 1
		case "bool":
			fields[f.ID] = true
		case "enum":
			fields[f.ID] = f.Values[0]
		case "staff":
			fields[f.ID] = e.clerk.StaffID
		case "asset":
			fields[f.ID] = subject
		case "department":
			fields[f.ID] = e.DeptA
		case "file":
			files = append(files, request.NewAttachment{Field: f.ID, Name: f.ID + ".pdf", ContentType: "application/pdf", Body: samplePDF})
		}
	}
	return fields, files
}

// subjectFor registers an asset the kind's condition covers: one of each asset kind with the
// highest levels, tried in turn.
func subjectFor(e *env, a policy.Approval, pool []asset.Asset) int64 {
	for _, as := range pool {
		rec := recordOf(e, as)
		if prg := e.P.ApprovalWhen[a.ID]; prg == nil {
			return as.ID
		} else if ok, err := prg.Eval(rec); err == nil && ok {
			return as.ID
		}
	}
	e.T.Fatalf("%s: no asset of the pool is covered by %q", a.ID, a.When)
	return 0
}

func recordOf(e *env, a asset.Asset) policy.AssetRecord {
	rec := policy.AssetRecord{Number: a.Number, Kind: a.Kind, Name: a.Name, Segment: a.Segment, Department: "A",
		Class: map[string]policy.LevelRef{}, Attrs: a.Attrs, Zone: policy.LevelRef{ID: a.Zone}, Now: e.Clock.T}
	for axis, level := range a.Class {
		ax, _ := e.P.Axis(axis)
		for _, l := range ax.Levels {
			if l.ID == level {
				rec.Class[axis] = policy.LevelRef{ID: level, Rank: int64(l.Rank)}
			}
		}
	}
	return rec
}

// TestEveryKindOfEveryPack walks every approval kind of every shipped pack through submission
// and each step's approval by a holder of the step's role, checking at each step that exactly
// the deciders the pack names find it in their inbox, and that reports after approval reach
// their addressee.
func TestEveryKindOfEveryPack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, packID := range []string{"koge", "abira-kyoiku", "kishiwada", "yamagata", "toki"} {
			t.Run(packID, func(t *testing.T) {
				if db.Engine == store.Postgres {
					db = storetest.Postgres(t)
				} else {
					db = storetest.SQLite(t)
				}
				e := newEnv(t, db, packID)
				if got := len(e.P.Approvals); got != kindCounts[packID] {
					t.Fatalf("%s has %d kinds, want %d", packID, got, kindCounts[packID])
				}
				var pool []asset.Asset
				for _, k := range policy.AssetKinds {
					pool = append(pool, e.asset(k, e.topClass(), ""))
				}
				for _, a := range e.P.Approvals {
					t.Run(a.ID, func(t *testing.T) { walk(t, e, a, pool) })
				}
				e.VerifyAudit()
			})
		}
	})
}

func walk(t *testing.T, e *env, a policy.Approval, pool []asset.Asset) {
	ctx := context.Background()
	in := request.Input{Kind: a.ID}
	var subject int64
	if a.Subject == "asset" {
		subject = subjectFor(e, a, pool)
		in.AssetIDs = []int64{subject}
	}
	in.Fields, in.Attachments = fill(e, a, subject)
	r, err := e.S.Requests.Submit(ctx, e.clerk, in)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if len(r.Route.Steps) != len(a.Steps) {
		t.Fatalf("route has %d steps, kind %d", len(r.Route.Steps), len(a.Steps))
	}
	for i, st := range r.Route.Steps {
		if r.State != request.Pending || r.Step != i {
			t.Fatalf("before step %d: state %s step %d", i, r.State, r.Step)
		}
		for _, d := range st.Deciders {
			if !e.inboxHas(e.Holder(d.Key), r.ID) {
				t.Fatalf("step %d: %s (%s) does not find the request in the inbox", i, d.Role, d.Key)
			}
		}
		if e.inboxHas(e.clerkB, r.ID) || e.inboxHas(e.clerk, r.ID) {
			t.Fatalf("step %d: a clerk finds the request in the inbox", i)
		}
		deciders := st.Deciders
		if !st.Joint {
			deciders = deciders[:1]
		}
		for j, d := range deciders {
			r, err = e.S.Requests.Decide(ctx, e.Holder(d.Key), r.ID, request.Decision{Decision: request.Approve, Comment: "承認します"})
			if err != nil {
				t.Fatalf("step %d: %s approves: %v", i, d.Role, err)
			}
			if st.Joint && j < len(deciders)-1 && (r.Step != i || r.State != request.Pending) {
				t.Fatalf("joint step %d moved on after %d of %d approvals", i, j+1, len(deciders))
			}
			if st.Joint && j < len(deciders)-1 && e.inboxHas(e.Holder(d.Key), r.ID) {
				t.Fatalf("joint step %d: %s still finds the request after approving", i, d.Role)
			}
		}
	}
	if r.State != request.Approved || r.DecidedAt == nil {
		t.Fatalf("after every step: state %s", r.State)
	}
	approvals := 0
	for _, ev := range r.Events {
		if ev.Action == request.Approve {
			approvals++
			if ev.Capacity != request.AsHolder || ev.StaffID == 0 || (a.Subject == "asset" && ev.Snapshot == "") {
				t.Fatalf("decision recorded as %+v", ev)
			}
		}
	}
	if want := wantApprovals(a); approvals != want {
		t.Fatalf("%d approvals recorded, want %d", approvals, want)
	}
	if len(a.NotifyAfter) != len(r.Route.Notices) {
		t.Fatalf("notices %+v", r.Route.Notices)
	}
	for _, n := range r.Route.Notices {
		to := e.Holder(n.Key)
		if !e.inboxHas(to, r.ID) {
			t.Fatalf("the report to %s is not in their inbox", n.Role)
		}
		if _, err := e.S.Requests.Acknowledge(ctx, to, r.ID, "受領しました"); err != nil {
			t.Fatalf("acknowledge: %v", err)
		}
		if e.inboxHas(to, r.ID) {
			t.Fatalf("the report to %s stays in their inbox once acknowledged", n.Role)
		}
	}
	for _, d := range r.Route.Steps[len(r.Route.Steps)-1].Deciders {
		if e.inboxHas(e.Holder(d.Key), r.ID) {
			t.Fatalf("an approved request stays in the inbox of %s", d.Role)
		}
	}
}

func wantApprovals(a policy.Approval) int {
	n := 0
	for _, s := range a.Steps {
		if s.Joint() {
			n += len(s.Deciders())
		} else {
			n++
		}
	}
	return n
}
