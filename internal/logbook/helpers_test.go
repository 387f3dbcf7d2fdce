package logbook_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// fixture is an organisation on one pack with two sections, staff in each, a contractor's
// worker, and an asset.
type fixture struct {
	s                     *app.Services
	pack                  *policy.Compiled
	org                   int64
	admin                 access.Actor
	soumu, zeimu          int64 // departments
	clerk, colleague      access.Actor
	outsider              access.Actor // staff of 税務課
	auditor               access.Actor
	clerkStaff, colStaff  int64
	zeimuStaff, contractr int64
	asset                 int64
}

var now = time.Date(2026, 3, 31, 1, 0, 0, 0, time.UTC) // 令和8年3月31日 10:00 JST

func newFixture(t testing.TB, db *store.DB, packID string) *fixture {
	t.Helper()
	return newFixtureOf(t, app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, func() time.Time { return now }), packID)
}

// newFixtureOf is a fixture on services over a library of packs of the test's own.
func newFixtureOf(t testing.TB, s *app.Services, packID string) *fixture {
	t.Helper()
	ctx := context.Background()
	db := s.DB
	o, err := s.Org.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: "t-" + packID, Name: "テスト町 " + packID})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: s, org: o.ID, admin: access.System(o.ID, "test")}
	if _, err := s.Policy.Use(ctx, f.admin, packID); err != nil {
		t.Fatal(err)
	}
	if f.pack, _, err = s.Policy.Active(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		code, name string
		id         *int64
	}{{"100", "総務課", &f.soumu}, {"200", "税務課", &f.zeimu}} {
		made, err := s.Org.CreateDepartment(ctx, f.admin, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		*d.id = made.ID
	}
	for i, st := range []struct {
		name, employment string
		dept             int64
		id               *int64
	}{{"山田 太郎", "regular", f.soumu, &f.clerkStaff}, {"佐藤 花子", "regular", f.soumu, &f.colStaff},
		{"鈴木 一郎", "regular", f.zeimu, &f.zeimuStaff}, {"保守 業者", "contractor", f.soumu, &f.contractr}} {
		made, err := s.Org.CreateStaff(ctx, f.admin, org.StaffInput{DepartmentID: st.dept, EmployeeNo: "E" + strconv.Itoa(i), Name: st.name, Employment: st.employment})
		if err != nil {
			t.Fatal(err)
		}
		*st.id = made.ID
	}
	actor := func(user, staff, dept int64, name string) access.Actor {
		return access.Actor{OrgID: o.ID, UserID: user, StaffID: staff, DepartmentID: dept, Login: "u" + strconv.FormatInt(user, 10), Name: name}
	}
	f.clerk = actor(101, f.clerkStaff, f.soumu, "山田 太郎")
	f.colleague = actor(102, f.colStaff, f.soumu, "佐藤 花子")
	f.outsider = actor(103, f.zeimuStaff, f.zeimu, "鈴木 一郎")
	f.auditor = actor(104, 0, f.soumu, "監査 人")
	f.auditor.Roles = []access.Grant{{RoleID: "audit_lead", Scope: "organization", Auditor: true}}
	err = db.SQL.QueryRowContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, created_at, updated_at)
		VALUES ($1, 'SV-001', '基幹系サーバ', 'server', $2, $3, $3) RETURNING id`, o.ID, f.soumu, now).Scan(&f.asset)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// valid is a valid value for each type of field.
func (f *fixture) valid(fd policy.Field) any {
	switch fd.Type {
	case "text":
		return "テスト"
	case "textarea":
		return "=SUM(A1)\n二行目"
	case "date":
		return "2026-03-30"
	case "datetime":
		return "2026-03-30T09:15"
	case "number":
		return 3
	case "bool":
		return true
	case "enum":
		return fd.Values[len(fd.Values)-1]
	case "staff":
		return f.colStaff
	case "asset":
		return f.asset
	case "department":
		return f.soumu
	}
	return nil
}

// entry is a valid input for every field of the logbook, in 総務課.
func (f *fixture) entry(lb policy.Logbook) logbook.Input {
	in := logbook.Input{Logbook: lb.ID, DepartmentID: f.soumu, Fields: map[string]any{}}
	for _, fd := range lb.Fields {
		in.Fields[fd.ID] = f.valid(fd)
	}
	return in
}

// secondPerson returns a pack logbook that needs a second person.
func secondPerson(p *policy.Compiled) (policy.Logbook, bool) {
	for _, lb := range p.Logbooks {
		if lb.SecondPerson {
			return lb, true
		}
	}
	return policy.Logbook{}, false
}
