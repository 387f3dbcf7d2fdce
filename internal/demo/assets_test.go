package demo_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// loadDemo starts an organisation on the pack and loads its demo.
func loadDemo(t *testing.T, db *store.DB, packID string, now func() time.Time) (*app.Services, *policy.Compiled, int64) {
	t.Helper()
	ctx := context.Background()
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, now)
	p, ok := s.Policy.Library.Get(packID)
	if !ok {
		t.Fatalf("pack %s is not shipped", packID)
	}
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "demo", OrgName: "デモ町", PackID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, first.Org.ID, p); err != nil {
		t.Fatal(err)
	}
	return s, p, first.Org.ID
}

// register lists the whole register as a platform administrator sees it.
func register(t *testing.T, s *app.Services, orgID int64) []asset.Asset {
	t.Helper()
	var out []asset.Asset
	for {
		page, total, err := s.Assets.List(context.Background(), access.System(orgID, "test"), asset.Filter{Limit: 500, Offset: len(out)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(out) >= total || len(page) == 0 {
			return out
		}
	}
}

// TestDemoRegister checks that every pack's demo has a register that looks like a real one: a
// few hundred assets in every department, of every kind, on every level of every axis, in every
// segment and zone of the pack, with the pack's attributes and some assets out of the office,
// in repair or disposed of — each entered through the asset service and audited.
func TestDemoRegister(t *testing.T) {
	for _, packID := range []string{"koge", "kishiwada", "yamagata", "toki", "abira-kyoiku"} {
		t.Run(packID, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				s, p, orgID := loadDemo(t, db, packID, nil)
				list := register(t, s, orgID)
				if len(list) < 200 || len(list) > 500 {
					t.Fatalf("%d assets; a demo register has a few hundred", len(list))
				}

				tree, err := s.Org.Tree(ctx, access.System(orgID, "test"))
				if err != nil {
					t.Fatal(err)
				}
				perDept := map[int64]int{}
				kinds, states := map[string]int{}, map[string]int{}
				levels, segments, zones, attrs := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
				code := map[int64]string{}
				for _, d := range tree {
					code[d.ID] = d.Code
				}
				byRequest := outByRequest(t, db, orgID)
				for _, a := range list {
					perDept[a.DepartmentID]++
					kinds[a.Kind]++
					states[a.State]++
					segments[a.Segment], zones[a.Zone] = true, true
					for axis, l := range a.Class {
						levels[axis+":"+l] = true
					}
					for k := range a.Attrs {
						attrs[k] = true
					}
					if !strings.HasPrefix(a.Number, code[a.DepartmentID]+"-") {
						t.Errorf("%s is not numbered after its department %s", a.Number, code[a.DepartmentID])
					}
					if a.Name == "" || a.Location == "" || a.AcquiredOn == "" || a.ManagerStaffID == 0 {
						t.Errorf("%s lacks its name, location, acquisition date or manager: %+v", a.Number, a)
					}
					if a.State == "disposed" && (a.DisposedOn == "" || a.DisposedOn < a.AcquiredOn) {
						t.Errorf("%s disposed of on %q, acquired %s", a.Number, a.DisposedOn, a.AcquiredOn)
					}
					if (a.State == "lent" || a.State == "taken_out" || a.State == "in_repair") && !strings.Contains(a.Note, "令和") && !byRequest[a.ID] {
						t.Errorf("%s is %s without the dates in its note: %q", a.Number, a.State, a.Note)
					}
				}
				for _, d := range tree {
					if perDept[d.ID] == 0 {
						t.Errorf("department %s has no assets", d.Name)
					}
				}
				for _, k := range policy.AssetKinds {
					if kinds[k] == 0 {
						t.Errorf("no asset of kind %s", k)
					}
				}
				for _, st := range []string{"in_use", "lent", "taken_out", "in_repair", "disposed"} {
					if states[st] == 0 {
						t.Errorf("no asset %s (states: %v)", st, states)
					}
				}
				for _, axis := range p.Classification.Axes {
					for _, l := range axis.Levels {
						if !levels[axis.ID+":"+l.ID] {
							t.Errorf("no asset at %s %s", axis.Name, l.Name)
						}
					}
				}
				for _, sg := range p.Segments {
					if !segments[sg.ID] {
						t.Errorf("no asset in segment %s", sg.Name)
					}
				}
				for _, z := range p.Zones {
					if !zones[z.ID] {
						t.Errorf("no asset in zone %s", z.Name)
					}
				}
				for _, id := range []string{"mfa", "mirrored", "support_end"} {
					for _, a := range p.Attributes {
						if a.ID == id && !attrs[id] {
							t.Errorf("the pack declares %s but no asset has it", id)
						}
					}
				}

				boss := access.Actor{OrgID: orgID, PlatformAdmin: true}
				_, created, err := s.Audit.List(ctx, boss, auditlog.Filter{Action: "asset.create", Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				if created != len(list) {
					t.Errorf("%d audit entries for %d assets", created, len(list))
				}
				if r, err := auditlog.Verify(ctx, db.SQL, orgID); err != nil || !r.OK() {
					t.Errorf("audit chain after the demo: %+v %v", r.Problem, err)
				}
				for _, q := range []string{"端末", "媒体"} {
					if _, n, err := s.Assets.List(ctx, boss, asset.Filter{Query: q}); err != nil || n == 0 {
						t.Errorf("search %q finds %d in the demo register: %v", q, n, err)
					}
				}
			})
		})
	}
}

// TestDemoRegisterIsSeeded checks that a pack's demo register is the same on every load: the
// same assets, numbers, names, classes, states and dates, given the day of loading (whose
// clock the dates follow).
func TestDemoRegisterIsSeeded(t *testing.T) {
	day := func() time.Time { return time.Date(2026, time.March, 31, 3, 0, 0, 0, time.UTC) }
	load := func() []asset.Asset {
		db := storetest.SQLite(t)
		s, _, orgID := loadDemo(t, db, "yamagata", day)
		return register(t, s, orgID)
	}
	strip := func(list []asset.Asset) []asset.Asset {
		out := slices.Clone(list)
		for i := range out {
			a := &out[i]
			a.ID, a.OrgID, a.DepartmentID, a.ManagerStaffID = 0, 0, 0, 0
			a.CreatedAt, a.UpdatedAt = time.Time{}, time.Time{}
		}
		return out
	}
	first, second := strip(load()), strip(load())
	if !reflect.DeepEqual(first, second) {
		for i := range min(len(first), len(second)) {
			if !reflect.DeepEqual(first[i], second[i]) {
				t.Fatalf("two loads differ at %d:\n%+v\n%+v", i, first[i], second[i])
			}
		}
		t.Fatalf("two loads differ: %d and %d assets", len(first), len(second))
	}
}
