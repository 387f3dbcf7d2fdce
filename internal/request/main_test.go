package request_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is the test's time: JST 2026-04-01 10:00, moved by the tests, never by sleeping.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// env is an organisation on one pack with two departments (A, B), a clerk in each, and one
// holder of every pack role — of both departments for department roles, of system SYS1 for
// system roles — each a staff member signed in as an actor.
type env struct {
	t       testing.TB
	s       *app.Services
	p       *policy.Compiled
	clock   *clock
	admin   access.Actor
	deptA   int64
	deptB   int64
	clerk   access.Actor            // in A
	clerkB  access.Actor            // in B
	holders map[string]access.Actor // by wait key: "ciso@org", "security_manager@d:<A>", "system_admin@s:SYS1"
	seq     int
}

func newEnv(t testing.TB, db *store.DB, packID string) *env {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)}
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, c.now)
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "t", OrgName: "テスト町", PackID: packID})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := s.Policy.Active(ctx, first.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, s: s, p: p, clock: c, admin: access.System(first.Org.ID, "test"), holders: map[string]access.Actor{}}
	for _, d := range []struct {
		code, name string
		id         *int64
	}{{"A", "総務課", &e.deptA}, {"B", "税務課", &e.deptB}} {
		made, err := s.Org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		*d.id = made.ID
	}
	for _, r := range p.Roles {
		switch r.Scope {
		case "department":
			for _, d := range []int64{e.deptA, e.deptB} {
				e.assign(r.ID, org.RoleAssignment{RoleID: r.ID, Scope: "department", DepartmentID: d}, d)
			}
		case "system":
			e.assign(r.ID, org.RoleAssignment{RoleID: r.ID, Scope: "system", SystemRef: "SYS1"}, e.deptA)
		default:
			e.assign(r.ID, org.RoleAssignment{RoleID: r.ID, Scope: "organization"}, e.deptA)
		}
	}
	e.clerk = e.person("職員A", e.deptA)
	e.clerkB = e.person("職員B", e.deptB)
	return e
}

// person registers a staff member and returns them as an actor with their grants.
func (e *env) person(name string, dept int64) access.Actor {
	e.t.Helper()
	e.seq++
	st, err := e.s.Org.CreateStaff(context.Background(), e.admin, org.StaffInput{DepartmentID: dept,
		EmployeeNo: fmt.Sprintf("E%04d", e.seq), Name: name, Employment: "regular"})
	if err != nil {
		e.t.Fatal(err)
	}
	return access.Actor{OrgID: e.admin.OrgID, UserID: 1000 + int64(e.seq), StaffID: st.ID, DepartmentID: dept,
		Login: fmt.Sprintf("u%d", e.seq), Name: name}
}

// actor signs a staff member in again, with the grants they hold today.
func (e *env) actor(a access.Actor) access.Actor {
	e.t.Helper()
	g, err := org.GrantsOf(context.Background(), e.s.DB.SQL, a.OrgID, a.StaffID, e.clock.t.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly))
	if err != nil {
		e.t.Fatal(err)
	}
	a.Roles = g
	return a
}

func (e *env) assign(role string, ra org.RoleAssignment, dept int64) access.Actor {
	e.t.Helper()
	a := e.person(role+"の保有者", dept)
	ra.HolderStaffID = a.StaffID
	if _, err := e.s.Org.AssignRole(context.Background(), e.admin, ra); err != nil {
		e.t.Fatal(err)
	}
	a = e.actor(a)
	for _, g := range a.Roles {
		e.holders[key(g)] = a
	}
	return a
}

func key(g access.Grant) string {
	switch g.Scope {
	case "department":
		return fmt.Sprintf("%s@d:%d", g.RoleID, g.DepartmentID)
	case "system":
		return g.RoleID + "@s:" + g.SystemRef
	}
	return g.RoleID + "@org"
}

// holder returns the holder of a wait key.
func (e *env) holder(k string) access.Actor {
	e.t.Helper()
	a, ok := e.holders[k]
	if !ok {
		e.t.Fatalf("nobody holds %s", k)
	}
	return a
}

// asset registers an asset of department A in system SYS1.
func (e *env) asset(kind string, class map[string]string, zone string) asset.Asset {
	e.t.Helper()
	e.seq++
	segment := ""
	for _, sg := range e.p.Segments {
		if sg.ID == "lgwan" {
			segment = "lgwan"
		}
	}
	a, err := e.s.Assets.Create(context.Background(), e.admin, asset.Input{Number: fmt.Sprintf("AS-%04d", e.seq), Name: "資産 " + kind,
		Kind: kind, DepartmentID: e.deptA, Class: class, Zone: zone, Segment: segment, SystemRef: "SYS1", Location: "本庁舎"})
	if err != nil {
		e.t.Fatalf("asset %s %v: %v", kind, class, err)
	}
	return a
}

// topClass is the highest level of every axis of the pack.
func (e *env) topClass() map[string]string {
	out := map[string]string{}
	for _, ax := range e.p.Classification.Axes {
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
	e.t.Helper()
	list, err := e.s.Requests.Inbox(context.Background(), who)
	if err != nil {
		e.t.Fatal(err)
	}
	// The count beside the inbox link counts what the inbox lists.
	if n, err := e.s.Requests.InboxCount(context.Background(), who, 1000); err != nil || n != len(list) {
		e.t.Fatalf("inbox count %d (%v), the inbox lists %d", n, err, len(list))
	}
	for _, r := range list {
		if r.ID == id {
			return true
		}
	}
	return false
}

// verifyAudit checks that the organisation's audit chain is intact.
func (e *env) verifyAudit() {
	e.t.Helper()
	res, err := e.s.Audit.Verify(context.Background(), access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true})
	if err != nil {
		e.t.Fatal(err)
	}
	if !res.OK() {
		e.t.Fatalf("audit chain broken: %+v", res)
	}
}

func (e *env) auditCount(action string) int {
	e.t.Helper()
	list, _, err := e.s.Audit.List(context.Background(), access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true}, auditlog.Filter{Action: action, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(list)
}
