// Package apptest starts a test organisation on the real services: an injected clock, one pack,
// departments A (総務課) and B (税務課), staff members signed in as actors, role holders and the
// audit chain checks. Only tests import it.
package apptest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Clock is the test's time, moved by the tests, never by sleeping.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Start is the clock's first time: JST 2026-04-01 10:00.
var Start = time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)

// Options are where the packages' fixtures differ.
type Options struct {
	// Roles chooses the pack roles that get a holder at start-up (nil: none). A department
	// role gets one holder in each of A and B, a system role one of system SYS1, any other
	// role one of the organisation; holders work in the department they hold, else in A.
	Roles func(policy.Role) bool
	// Marks gives actors the marks the pack gives their roles.
	Marks bool
	// OrgNamed gives staff an e-mail address and actors user ids and logins that include the
	// organisation, so that several organisations' people stay apart.
	OrgNamed bool
}

// Env is an organisation on one pack with departments A and B.
type Env struct {
	T       testing.TB
	S       *app.Services
	P       *policy.Compiled
	Clock   *Clock
	Org     int64
	Admin   access.Actor            // the system actor of the organisation
	DeptA   int64                   // 総務課
	DeptB   int64                   // 税務課
	Holders map[string]access.Actor // by wait key (see Key), of every role assigned by Assign
	Seq     int                     // numbers staff members and whatever else the tests number
	opt     Options
}

// New starts the services on db with cheap password hashing and the clock at Start, sets up
// organisation "t" (テスト町) on the pack and fills it (see ForOrg).
func New(t testing.TB, db *store.DB, packID string, opt Options) *Env {
	t.Helper()
	c := &Clock{T: Start}
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, c.Now)
	first, err := s.Bootstrap(context.Background(), app.Setup{OrgCode: "t", OrgName: "テスト町", PackID: packID})
	if err != nil {
		t.Fatal(err)
	}
	return ForOrg(t, s, c, first.Org.ID, opt)
}

// ForOrg fills an organisation that has its pack: departments A and B, then the holders of
// the roles opt.Roles chooses, in the pack's order of roles.
func ForOrg(t testing.TB, s *app.Services, c *Clock, orgID int64, opt Options) *Env {
	t.Helper()
	ctx := context.Background()
	p, _, err := s.Policy.Active(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{T: t, S: s, P: p, Clock: c, Org: orgID, Admin: access.System(orgID, "test"), Holders: map[string]access.Actor{}, opt: opt}
	for _, d := range []struct {
		code, name string
		id         *int64
	}{{"A", "総務課", &e.DeptA}, {"B", "税務課", &e.DeptB}} {
		made, err := s.Org.CreateDepartment(ctx, e.Admin, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		*d.id = made.ID
	}
	if opt.Roles == nil {
		return e
	}
	for _, r := range p.Roles {
		if !opt.Roles(r) {
			continue
		}
		switch r.Scope {
		case "department":
			for _, d := range []int64{e.DeptA, e.DeptB} {
				e.Assign(org.RoleAssignment{RoleID: r.ID, Scope: "department", DepartmentID: d}, d)
			}
		case "system":
			e.Assign(org.RoleAssignment{RoleID: r.ID, Scope: "system", SystemRef: "SYS1"}, e.DeptA)
		default:
			e.Assign(org.RoleAssignment{RoleID: r.ID, Scope: "organization"}, e.DeptA)
		}
	}
	return e
}

// Person registers a regular staff member of dept, numbered E0001, E0002, … and returns them
// as an actor without grants (see Actor).
func (e *Env) Person(name string, dept int64) access.Actor {
	e.T.Helper()
	e.Seq++
	in := org.StaffInput{DepartmentID: dept, EmployeeNo: fmt.Sprintf("E%04d", e.Seq), Name: name, Employment: "regular"}
	userID, login := 1000+int64(e.Seq), fmt.Sprintf("u%d", e.Seq)
	if e.opt.OrgNamed {
		in.Email = fmt.Sprintf("p%d.%d@example.jp", e.Org, e.Seq)
		userID, login = 1000*e.Org+int64(e.Seq), fmt.Sprintf("u%d-%d", e.Org, e.Seq)
	}
	st, err := e.S.Org.CreateStaff(context.Background(), e.Admin, in)
	if err != nil {
		e.T.Fatal(err)
	}
	return access.Actor{OrgID: e.Org, UserID: userID, StaffID: st.ID, DepartmentID: dept, Login: login, Name: name}
}

// Actor signs a staff member in again, with the grants they hold on the clock's JST day (and
// their marks, with Options.Marks).
func (e *Env) Actor(a access.Actor) access.Actor {
	e.T.Helper()
	ctx := context.Background()
	g, err := org.GrantsOf(ctx, e.S.DB.SQL, a.OrgID, a.StaffID, e.Clock.T.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly))
	if err != nil {
		e.T.Fatal(err)
	}
	if e.opt.Marks {
		marks, err := e.S.Policy.RoleMarks(ctx, a.OrgID)
		if err != nil {
			e.T.Fatal(err)
		}
		for i := range g {
			g[i] = g[i].Marked(marks[g[i].RoleID])
		}
	}
	a.Roles = g
	return a
}

// Assign registers a new staff member of dept named for the role ("<role>の保有者"), gives
// them the assignment and returns them signed in; Holders then has them under the wait key of
// each grant they hold.
func (e *Env) Assign(ra org.RoleAssignment, dept int64) access.Actor {
	e.T.Helper()
	a := e.Person(ra.RoleID+"の保有者", dept)
	ra.HolderStaffID = a.StaffID
	if _, err := e.S.Org.AssignRole(context.Background(), e.Admin, ra); err != nil {
		e.T.Fatal(err)
	}
	a = e.Actor(a)
	for _, g := range a.Roles {
		e.Holders[Key(g)] = a
	}
	return a
}

// Key is a grant's wait key: "ciso@org", "security_manager@d:<department id>",
// "system_admin@s:SYS1".
func Key(g access.Grant) string {
	switch g.Scope {
	case "department":
		return fmt.Sprintf("%s@d:%d", g.RoleID, g.DepartmentID)
	case "system":
		return g.RoleID + "@s:" + g.SystemRef
	}
	return g.RoleID + "@org"
}

// Holder returns the holder of a wait key.
func (e *Env) Holder(k string) access.Actor {
	e.T.Helper()
	a, ok := e.Holders[k]
	if !ok {
		e.T.Fatalf("nobody holds %s", k)
	}
	return a
}

// auditor may read and verify the organisation's audit log.
func (e *Env) auditor() access.Actor { return access.Actor{OrgID: e.Org, PlatformAdmin: true} }

// VerifyAudit checks that the organisation's audit chain is intact.
func (e *Env) VerifyAudit() {
	e.T.Helper()
	res, err := e.S.Audit.Verify(context.Background(), e.auditor())
	if err != nil {
		e.T.Fatal(err)
	}
	if !res.OK() {
		e.T.Fatalf("audit chain broken: %+v", res)
	}
}

// AuditCount counts the organisation's audit entries of an action (up to 1000).
func (e *Env) AuditCount(action string) int {
	e.T.Helper()
	list, _, err := e.S.Audit.List(context.Background(), e.auditor(), auditlog.Filter{Action: action, Limit: 1000})
	if err != nil {
		e.T.Fatal(err)
	}
	return len(list)
}
