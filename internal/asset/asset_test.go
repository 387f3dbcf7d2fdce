package asset_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is an organisation on 岸和田市's pack (重要度 A/B/C, zones L0–L4) with two sections.
type env struct {
	s                   *app.Services
	admin               access.Actor
	soumu, zeimu        int64 // department ids
	clerkSoumu          access.Actor
	managerSoumu        access.Actor // 情報セキュリティ責任者 of 総務課
	auditor, orgOfficer access.Actor
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "k", OrgName: "テスト市", PackID: "kishiwada"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{s: s, admin: access.System(first.Org.ID, "test")}
	for _, d := range []struct {
		code, name string
		id         *int64
	}{{"100", "総務課", &e.soumu}, {"200", "税務課", &e.zeimu}} {
		made, err := s.Org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		*d.id = made.ID
	}
	base := access.Actor{OrgID: first.Org.ID, UserID: 50, Login: "x"}
	e.clerkSoumu = base
	e.clerkSoumu.DepartmentID = e.soumu
	e.managerSoumu = e.clerkSoumu
	e.managerSoumu.Roles = []access.Grant{{RoleID: "security_manager", Scope: "department", DepartmentID: e.soumu, Security: true}}
	e.auditor = base
	e.auditor.Roles = []access.Grant{{RoleID: "audit_chief", Scope: "organization", Auditor: true}}
	e.orgOfficer = base
	e.orgOfficer.Roles = []access.Grant{{RoleID: "ciso", Scope: "organization", Security: true}}
	return e
}

func (e *env) input(number string, dept int64, level string) asset.Input {
	return asset.Input{Number: number, Name: "業務用端末 " + number, Kind: "terminal", DepartmentID: dept,
		Class: map[string]string{"importance": level}, Zone: "L2", Segment: "lgwan", Location: "本庁舎2階"}
}

func TestRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		t.Run("an asset is registered with its classification and audited", func(t *testing.T) {
			a, err := e.s.Assets.Create(ctx, e.managerSoumu, e.input("ＰＣ－００１", e.soumu, "Ａ"))
			if err != nil {
				t.Fatal(err)
			}
			if a.Number != "PC-001" || a.Class["importance"] != "A" || a.TopRank != 3 || a.DepartmentName != "総務課" || a.Quantity != 1 || a.State != "in_use" {
				t.Fatalf("asset = %+v", a)
			}
			list, _, _ := e.s.Audit.List(ctx, access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true}, auditlog.Filter{Action: "asset.create"})
			if len(list) != 1 || list[0].EntityID == "" {
				t.Fatalf("audit = %+v", list)
			}
		})
		t.Run("bad input names the field and changes nothing", func(t *testing.T) {
			bad := []struct {
				name, field string
				edit        func(*asset.Input)
			}{
				{"unknown level", "class.importance", func(in *asset.Input) { in.Class["importance"] = "Z" }},
				{"missing level", "class.importance", func(in *asset.Input) { in.Class = nil }},
				{"unknown axis", "class.secrecy", func(in *asset.Input) { in.Class["secrecy"] = "1" }},
				{"unknown zone", "zone", func(in *asset.Input) { in.Zone = "L9" }},
				{"unknown kind", "kind", func(in *asset.Input) { in.Kind = "spaceship" }},
				{"impossible date", "acquired_on", func(in *asset.Input) { in.AcquiredOn = "2026-02-30" }},
				{"disposed before acquired", "disposed_on", func(in *asset.Input) { in.AcquiredOn, in.DisposedOn = "2026-04-01", "2025-04-01" }},
				{"unknown attribute", "attrs.colour", func(in *asset.Input) { in.Attrs = map[string]any{"colour": "red"} }},
				{"duplicate number", "number", func(in *asset.Input) { in.Number = "PC-001" }},
				{"unknown department", "department_id", func(in *asset.Input) { in.DepartmentID = 999999 }},
			}
			for _, c := range bad {
				t.Run(c.name, func(t *testing.T) {
					in := e.input("PC-900", e.soumu, "B")
					c.edit(&in)
					_, err := e.s.Assets.Create(ctx, access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true, Login: "admin"}, in)
					ae := apperr.As(err)
					if ae.Code != apperr.Invalid || ae.Field() != c.field {
						t.Fatalf("err = %v, want invalid %s", err, c.field)
					}
				})
			}
			var n int
			db.SQL.QueryRow(`SELECT count(*) FROM assets`).Scan(&n)
			if n != 1 {
				t.Fatalf("%d assets after refused input", n)
			}
		})
		t.Run("who may see and change what", func(t *testing.T) {
			if _, err := e.s.Assets.Create(ctx, e.orgOfficer, e.input("TX-001", e.zeimu, "C")); err != nil {
				t.Fatalf("an organisation-wide role could not register for 税務課: %v", err)
			}
			if _, err := e.s.Assets.Create(ctx, e.managerSoumu, e.input("TX-002", e.zeimu, "C")); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("総務課's manager registered for 税務課: %v", err)
			}
			if _, err := e.s.Assets.Create(ctx, e.clerkSoumu, e.input("PC-002", e.soumu, "C")); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("a clerk registered an asset: %v", err)
			}
			if _, err := e.s.Assets.Create(ctx, e.auditor, e.input("PC-003", e.soumu, "C")); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("an auditor changed the register: %v", err)
			}
			list, total, _ := e.s.Assets.List(ctx, e.clerkSoumu, asset.Filter{})
			if total != 1 || list[0].Number != "PC-001" {
				t.Fatalf("a 総務課 clerk sees %d assets: %+v", total, list)
			}
			if _, total, _ := e.s.Assets.List(ctx, e.auditor, asset.Filter{}); total != 2 {
				t.Fatalf("the auditor sees %d of 2", total)
			}
			tx, _, _ := e.s.Assets.List(ctx, e.orgOfficer, asset.Filter{Query: "TX-001"})
			if _, err := e.s.Assets.Get(ctx, e.clerkSoumu, tx[0].ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("a clerk read another department's asset: %v", err)
			}
			in := e.input("TX-001", e.soumu, "C")
			if _, err := e.s.Assets.Update(ctx, e.managerSoumu, tx[0].ID, in); apperr.CodeOf(err) == "" {
				t.Fatal("a manager moved another department's asset into theirs")
			}
		})
		t.Run("filters and two-character search", func(t *testing.T) {
			boss := access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true, Login: "admin"}
			media := e.input("MD-001", e.soumu, "B")
			media.Kind, media.Name, media.Zone = "media", "バックアップ用媒体", "L3"
			if _, err := e.s.Assets.Create(ctx, boss, media); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name string
				f    asset.Filter
				want int
			}{
				{"by kind", asset.Filter{Kind: "media"}, 1},
				{"by level", asset.Filter{Levels: map[string]string{"importance": "A"}}, 1},
				{"by department", asset.Filter{DepartmentID: e.zeimu}, 1},
				{"by zone", asset.Filter{Zone: "L2"}, 2},
				{"two characters: 媒体", asset.Filter{Query: "媒体"}, 1},
				{"two characters: 端末", asset.Filter{Query: "端末"}, 2},
				{"case and width folded", asset.Filter{Query: "ｐｃ－００１"}, 1},
				{"two words narrow", asset.Filter{Query: "端末 TX"}, 1},
			} {
				t.Run(c.name, func(t *testing.T) {
					if _, total, err := e.s.Assets.List(ctx, boss, c.f); err != nil || total != c.want {
						t.Fatalf("total = %d, %v; want %d", total, err, c.want)
					}
				})
			}
		})
		t.Run("deleting is audited with the deleted record", func(t *testing.T) {
			boss := access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true, Login: "admin"}
			list, _, _ := e.s.Assets.List(ctx, boss, asset.Filter{Query: "MD-001"})
			if err := e.s.Assets.Delete(ctx, boss, list[0].ID); err != nil {
				t.Fatal(err)
			}
			got, _, _ := e.s.Audit.List(ctx, boss, auditlog.Filter{Action: "asset.delete"})
			if len(got) != 1 || got[0].Before == "" {
				t.Fatalf("audit = %+v", got)
			}
			if r, _ := auditlog.Verify(ctx, db.SQL, e.admin.OrgID); !r.OK() {
				t.Fatalf("chain: %+v", r.Problem)
			}
		})
	})
}
