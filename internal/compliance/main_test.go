package compliance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/compliance"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is the test's time: JST 2026-04-01 10:00, moved by the tests, never by sleeping.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// env is an organisation on one pack with two departments, a clerk in the first, and a holder
// of every organisation-wide role of the pack.
type env struct {
	t       testing.TB
	s       *app.Services
	p       *policy.Compiled
	clock   *clock
	admin   access.Actor
	deptA   int64
	deptB   int64
	clerk   access.Actor
	holders map[string]access.Actor // by role id
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
		if r.Scope != "organization" {
			continue
		}
		a := e.person(r.ID+"の保有者", e.deptA)
		if _, err := s.Org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: r.ID, Scope: "organization", HolderStaffID: a.StaffID}); err != nil {
			t.Fatal(err)
		}
		e.holders[r.ID] = e.actor(a)
	}
	e.clerk = e.person("職員A", e.deptA)
	return e
}

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

func (e *env) actor(a access.Actor) access.Actor {
	e.t.Helper()
	g, err := org.GrantsOf(context.Background(), e.s.DB.SQL, a.OrgID, a.StaffID, e.clock.t.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly))
	if err != nil {
		e.t.Fatal(err)
	}
	a.Roles = g
	return a
}

// server is 上毛町's critical server input; redundant says whether it is mirrored (rule
// critical-server-redundant, 第2章 4(1)②).
func (e *env) server(number string, redundant bool) asset.Input {
	return asset.Input{Number: number, Name: "基幹サーバ", Kind: "server", DepartmentID: e.deptA, ManagerStaffID: e.clerk.StaffID,
		Class: map[string]string{"importance": "II"}, Location: "サーバ室",
		Attrs: map[string]any{"critical_server": true, "redundant": redundant}}
}

// open returns the asset's open findings by rule id.
func (e *env) open(assetID int64) map[string]compliance.Finding {
	e.t.Helper()
	list, err := e.s.Compliance.AssetFindings(context.Background(), e.admin, assetID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]compliance.Finding{}
	for _, f := range list {
		if f.Open() {
			out[f.RuleID] = f.Finding
		}
	}
	return out
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.s.DB.SQL.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// bare is an organisation on a pack with nothing else yet (for the demo).
func bare(t testing.TB, db *store.DB, packID string) (*app.Services, int64, *policy.Compiled) {
	t.Helper()
	ctx := context.Background()
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "demo", OrgName: "デモ町", PackID: packID})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := s.Policy.Active(ctx, first.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s, first.Org.ID, p
}
