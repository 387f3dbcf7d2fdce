package incident_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is the test's time, moved by the tests, never by sleeping.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// env is an organisation on one pack with departments A and B, a clerk in each, and one holder
// of every pack role (of both departments for department roles, of system SYS1 for system
// roles), each signed in with the marks the pack gives their roles.
type env struct {
	t       testing.TB
	s       *app.Services
	p       *policy.Compiled
	clock   *clock
	org     int64
	admin   access.Actor
	deptA   int64
	deptB   int64
	clerk   access.Actor // in A
	clerkB  access.Actor // in B
	holders map[string]access.Actor
	seq     int
}

func newEnv(t testing.TB, db *store.DB, packID string) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)}
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, c.now)
	first, err := s.Bootstrap(context.Background(), app.Setup{OrgCode: "t", OrgName: "テスト町", PackID: packID})
	if err != nil {
		t.Fatal(err)
	}
	return orgEnv(t, s, c, first.Org.ID)
}

// orgEnv fills an organisation that has its pack.
func orgEnv(t testing.TB, s *app.Services, c *clock, orgID int64) *env {
	t.Helper()
	ctx := context.Background()
	p, _, err := s.Policy.Active(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, s: s, p: p, clock: c, org: orgID, admin: access.System(orgID, "test"), holders: map[string]access.Actor{}}
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
		if r.AllStaff {
			continue
		}
		switch r.Scope {
		case "department":
			for _, d := range []int64{e.deptA, e.deptB} {
				e.assign(org.RoleAssignment{RoleID: r.ID, Scope: "department", DepartmentID: d}, d)
			}
		case "system":
			e.assign(org.RoleAssignment{RoleID: r.ID, Scope: "system", SystemRef: "SYS1"}, e.deptA)
		default:
			e.assign(org.RoleAssignment{RoleID: r.ID, Scope: "organization"}, e.deptA)
		}
	}
	e.clerk = e.person("職員A", e.deptA)
	e.clerkB = e.person("職員B", e.deptB)
	return e
}

func (e *env) person(name string, dept int64) access.Actor {
	e.t.Helper()
	e.seq++
	st, err := e.s.Org.CreateStaff(context.Background(), e.admin, org.StaffInput{DepartmentID: dept,
		EmployeeNo: fmt.Sprintf("E%04d", e.seq), Name: name, Employment: "regular", Email: fmt.Sprintf("p%d.%d@example.jp", e.org, e.seq)})
	if err != nil {
		e.t.Fatal(err)
	}
	return access.Actor{OrgID: e.org, UserID: 1000*e.org + int64(e.seq), StaffID: st.ID, DepartmentID: dept,
		Login: fmt.Sprintf("u%d-%d", e.org, e.seq), Name: name}
}

// actor signs a staff member in again, with the grants they hold today and their marks.
func (e *env) actor(a access.Actor) access.Actor {
	e.t.Helper()
	ctx := context.Background()
	g, err := org.GrantsOf(ctx, e.s.DB.SQL, a.OrgID, a.StaffID, e.clock.t.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly))
	if err != nil {
		e.t.Fatal(err)
	}
	marks, err := e.s.Policy.RoleMarks(ctx, a.OrgID)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range g {
		g[i] = g[i].Marked(marks[g[i].RoleID])
	}
	a.Roles = g
	return a
}

func (e *env) assign(ra org.RoleAssignment, dept int64) access.Actor {
	e.t.Helper()
	a := e.person(ra.RoleID+"の保有者", dept)
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

func (e *env) holder(k string) access.Actor {
	e.t.Helper()
	a, ok := e.holders[k]
	if !ok {
		e.t.Fatalf("nobody holds %s", k)
	}
	return a
}

// report files a report of the pack's required items by who, detected an hour ago.
func (e *env) report(who access.Actor, title string) incident.Incident {
	e.t.Helper()
	in, err := e.reportAssets(who, title)
	if err != nil {
		e.t.Fatalf("report: %v", err)
	}
	return in
}

// reportAssets reports with every item of the pack answered, naming the assets given.
func (e *env) reportAssets(who access.Actor, title string, assets ...int64) (incident.Incident, error) {
	items := map[string]any{}
	var files []incident.NewEvidence
	for _, f := range e.p.Incident.ReportItems {
		switch f.Type {
		case "file":
			files = append(files, incident.NewEvidence{Field: f.ID, Name: "log.txt", ContentType: "text/plain", Body: []byte("2026-04-01 09:55 alert\n")})
		case "datetime":
			items[f.ID] = e.clock.t.Add(-time.Hour).Format(time.RFC3339)
		case "staff", "asset":
		default:
			items[f.ID] = title + "の" + f.Name
		}
	}
	return e.s.Incidents.Report(context.Background(), who, incident.ReportInput{Title: title, Items: items,
		DetectedAt: e.clock.t.Add(-time.Hour), Evidence: files, AssetIDs: assets})
}

func (e *env) verifyAudit() {
	e.t.Helper()
	res, err := e.s.Audit.Verify(context.Background(), access.Actor{OrgID: e.org, PlatformAdmin: true})
	if err != nil {
		e.t.Fatal(err)
	}
	if !res.OK() {
		e.t.Fatalf("audit chain broken: %+v", res)
	}
}

func (e *env) auditCount(action string) int {
	e.t.Helper()
	list, _, err := e.s.Audit.List(context.Background(), access.Actor{OrgID: e.org, PlatformAdmin: true}, auditlog.Filter{Action: action, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(list)
}

// notices counts the notices of a kind about an incident.
func (e *env) notices(kind string, id int64) int {
	e.t.Helper()
	var n int
	if err := e.s.DB.SQL.QueryRow(`SELECT count(*) FROM notices WHERE kind = $1 AND ref_type = 'incident' AND ref_id = $2`, kind, id).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func mustCode(t testing.TB, err error, code apperr.Code, field string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if field != "" && apperr.As(err).Field() != field {
		t.Fatalf("err = %v names field %q, want %q", err, apperr.As(err).Field(), field)
	}
}

// tos lists the checklist's receivers in order.
func tos(list []incident.Notification) []string {
	var out []string
	for _, n := range list {
		out = append(out, n.From+">"+n.To)
	}
	return out
}

func find(t testing.TB, list []incident.Notification, from, to string) incident.Notification {
	t.Helper()
	for _, n := range list {
		if n.From == from && n.To == to {
			return n
		}
	}
	t.Fatalf("no %s>%s in %v", from, to, tos(list))
	return incident.Notification{}
}

func itoa(n int64) string { return fmt.Sprint(n) }
