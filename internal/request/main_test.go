package request_test

import (
	"context"
	"fmt"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/asset"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is an organisation on one pack with two departments (A, B), a clerk in each, and one
// holder of every pack role — of both departments for department roles, of system SYS1 for
// system roles — each a staff member signed in as an actor, in Holders by wait key:
// "ciso@org", "security_manager@d:<A>", "system_admin@s:SYS1".
type env struct {
	*apptest.Env
	clerk  access.Actor // in A
	clerkB access.Actor // in B
}

func newEnv(t testing.TB, db *store.DB, packID string) *env {
	t.Helper()
	e := &env{Env: apptest.New(t, db, packID, apptest.Options{Roles: func(policy.Role) bool { return true }})}
	e.clerk = e.Person("職員A", e.DeptA)
	e.clerkB = e.Person("職員B", e.DeptB)
	return e
}

// asset registers an asset of department A in system SYS1.
func (e *env) asset(kind string, class map[string]string, zone string) asset.Asset {
	e.T.Helper()
	e.Seq++
	segment := ""
	for _, sg := range e.P.Segments {
		if sg.ID == "lgwan" {
			segment = "lgwan"
		}
	}
	a, err := e.S.Assets.Create(context.Background(), e.Admin, asset.Input{Number: fmt.Sprintf("AS-%04d", e.Seq), Name: "資産 " + kind,
		Kind: kind, DepartmentID: e.DeptA, Class: class, Zone: zone, Segment: segment, SystemRef: "SYS1", Location: "本庁舎"})
	if err != nil {
		e.T.Fatalf("asset %s %v: %v", kind, class, err)
	}
	return a
}

// topClass is the highest level of every axis of the pack.
func (e *env) topClass() map[string]string {
	out := map[string]string{}
	for _, ax := range e.P.Classification.Axes {
		best := ax.Levels[0]
		for _, l := range ax.Levels {
			if l.Rank > best.Rank {
				best = l
			}
		}
		out[ax.ID] = best.ID
	}
	return out
}

func (e *env) inboxHas(who access.Actor, id int64) bool {
	e.T.Helper()
	list, err := e.S.Requests.Inbox(context.Background(), who)
	if err != nil {
		e.T.Fatal(err)
	}
	// The count beside the inbox link counts what the inbox lists.
	if n, err := e.S.Requests.InboxCount(context.Background(), who, 1000); err != nil || n != len(list) {
		e.T.Fatalf("inbox count %d (%v), the inbox lists %d", n, err, len(list))
	}
	for _, r := range list {
		if r.ID == id {
			return true
		}
	}
	return false
}
