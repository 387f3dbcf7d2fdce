package asset_test

import (
	"context"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// secretInput is an asset of the highest class (重要度A) of 総務課 whose details are worth
// hiding: every detail carries the word 機密.
func (e *env) secretInput() asset.Input {
	return asset.Input{Number: "SECRET-1", Name: "機密 住民情報サーバ", Kind: "server", DepartmentID: e.soumu,
		Class: map[string]string{"importance": "A"}, Segment: "mynumber", Zone: "L4", Location: "機密の部屋",
		SystemRef: "機密システム", Copies: "機密の金庫", Note: "機密の備考", Attrs: map[string]any{"mfa": true, "lockout_threshold": 3}}
}

func TestHighestClassDetails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		secret, err := e.s.Assets.Create(ctx, e.admin, e.secretInput())
		if err != nil {
			t.Fatal(err)
		}
		plain := e.input("PC-100", e.soumu, "B")
		plain.Attrs = map[string]any{"mfa": true}
		if _, err := e.s.Assets.Create(ctx, e.admin, plain); err != nil {
			t.Fatal(err)
		}
		base := e.clerkSoumu
		platformAdmin := access.Actor{OrgID: e.admin.OrgID, UserID: 70, Login: "admin", PlatformAdmin: true}
		networkAdmin := base
		networkAdmin.DepartmentID = e.zeimu
		networkAdmin.Roles = []access.Grant{{RoleID: "network_admin", Scope: "organization"}}
		securityAdmin := base // 情報セキュリティ管理者 of 総務課, seated in 税務課
		securityAdmin.DepartmentID = e.zeimu
		securityAdmin.Roles = []access.Grant{{RoleID: "security_admin", Scope: "department", DepartmentID: e.soumu, Security: true}}
		clerkZeimu := base
		clerkZeimu.DepartmentID = e.zeimu

		full := map[string]access.Actor{"the owning department's clerk": e.clerkSoumu, "its 情報セキュリティ責任者": e.managerSoumu,
			"its 情報セキュリティ管理者 seated elsewhere": securityAdmin, "the CISO": e.orgOfficer, "an auditor": e.auditor, "the system": e.admin}
		for name, who := range full {
			t.Run(name+" sees every detail", func(t *testing.T) {
				a, err := e.s.Assets.Get(ctx, who, secret.ID)
				if err != nil || a.Restricted || a.Name != "機密 住民情報サーバ" || a.Location != "機密の部屋" || a.Attrs["mfa"] != true {
					t.Fatalf("got %+v, %v", a, err)
				}
				list, _, err := e.s.Assets.List(ctx, who, asset.Filter{Query: "機密"})
				if err != nil || len(list) != 1 || list[0].Name != "機密 住民情報サーバ" {
					t.Fatalf("search for a word of the name: %+v, %v", list, err)
				}
			})
		}

		restricted := map[string]access.Actor{"a platform administrator": platformAdmin, "ネットワーク管理者 (not a security role)": networkAdmin}
		for name, who := range restricted {
			t.Run(name+" sees only number, kind, class, department and state", func(t *testing.T) {
				a, err := e.s.Assets.Get(ctx, who, secret.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !a.Restricted || a.Number != "SECRET-1" || a.Kind != "server" || a.Class["importance"] != "A" || a.DepartmentName != "総務課" || a.State != "in_use" {
					t.Fatalf("restricted asset lost what may be shown: %+v", a)
				}
				if leaked := leaks(a); leaked != "" {
					t.Fatalf("restricted asset shows %s: %+v", leaked, a)
				}
				list, total, err := e.s.Assets.List(ctx, who, asset.Filter{})
				if err != nil || total != 2 {
					t.Fatalf("list: %d, %v", total, err)
				}
				for _, l := range list {
					if l.Number == "SECRET-1" && (!l.Restricted || leaks(l) != "") {
						t.Fatalf("listed restricted asset: %+v", l)
					}
					if l.Number == "PC-100" && (l.Restricted || l.Name == "") {
						t.Fatalf("an asset below the highest class was restricted: %+v", l)
					}
				}
				marked, _, _ := e.s.Assets.List(ctx, who, asset.Filter{Query: "SECRET", MarkRestricted: true})
				if len(marked) != 1 || marked[0].Name != asset.RestrictedMark {
					t.Fatalf("a search by number finds the asset, marked: %+v", marked)
				}
				// Nothing that is hidden finds it, or finding it would tell.
				for _, f := range []asset.Filter{{Query: "機密"}, {Query: "住民情報"}, {Segment: "mynumber"}, {Zone: "L4"},
					{Attrs: map[string]string{"mfa": "true"}}, {Attrs: map[string]string{"lockout_threshold": "3"}}} {
					list, _, err := e.s.Assets.List(ctx, who, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, l := range list {
						if l.Number == "SECRET-1" {
							t.Fatalf("filter %+v found the restricted asset", f)
						}
					}
				}
				in := e.secretInput()
				if _, err := e.s.Assets.Update(ctx, who, secret.ID, in); apperr.CodeOf(err) != apperr.Forbidden {
					t.Fatalf("changed a restricted asset: %v", err)
				}
				if err := e.s.Assets.Delete(ctx, who, secret.ID); apperr.CodeOf(err) != apperr.Forbidden {
					t.Fatalf("deleted a restricted asset: %v", err)
				}
			})
		}
		t.Run("names the actor may not see do not order a listing", func(t *testing.T) {
			// "機密 …" sorts after "業務用端末 …"; hidden, it sorts as an empty name, first.
			list, _, err := e.s.Assets.List(ctx, platformAdmin, asset.Filter{Sort: "name"})
			if err != nil || len(list) != 2 || list[0].Number != "SECRET-1" {
				t.Fatalf("sorted by name: %+v, %v", list, err)
			}
			list, _, _ = e.s.Assets.List(ctx, e.orgOfficer, asset.Filter{Sort: "name"})
			if list[0].Number != "PC-100" {
				t.Fatalf("sorted by name for the CISO: %+v", list)
			}
		})
		t.Run("a platform administrator registers a highest-class asset and gets it back restricted", func(t *testing.T) {
			in := e.secretInput()
			in.Number = "SECRET-2"
			a, err := e.s.Assets.Create(ctx, platformAdmin, in)
			if err != nil || !a.Restricted || leaks(a) != "" {
				t.Fatalf("created: %+v, %v", a, err)
			}
		})
		t.Run("staff of another department do not see that it exists", func(t *testing.T) {
			if _, err := e.s.Assets.Get(ctx, clerkZeimu, secret.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("got %v", err)
			}
			if _, total, _ := e.s.Assets.List(ctx, clerkZeimu, asset.Filter{}); total != 0 {
				t.Fatalf("a 税務課 clerk sees %d of 総務課's assets", total)
			}
		})
		t.Run("the owning department's 情報セキュリティ管理者 may change it; an auditor may not", func(t *testing.T) {
			in := e.secretInput()
			in.Note = "更新"
			if _, err := e.s.Assets.Update(ctx, securityAdmin, secret.ID, in); err != nil {
				t.Fatal(err)
			}
			if _, err := e.s.Assets.Update(ctx, e.auditor, secret.ID, in); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("an auditor changed it: %v", err)
			}
			if err := e.s.Assets.Delete(ctx, e.auditor, secret.ID); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("an auditor deleted it: %v", err)
			}
		})
	})
}

// leaks names a detail a restricted asset should not carry, or returns "".
func leaks(a asset.Asset) string {
	for name, v := range map[string]string{"name": a.Name, "location": a.Location, "system": a.SystemRef, "copies": a.Copies,
		"note": a.Note, "segment": a.Segment, "zone": a.Zone, "manager": a.ManagerName, "acquired": a.AcquiredOn} {
		if v != "" && v != asset.RestrictedMark {
			return name
		}
	}
	if len(a.Attrs) > 0 {
		return "attributes"
	}
	if !a.UpdatedAt.IsZero() {
		return "update time"
	}
	if strings.Contains(a.Name, "機密") {
		return "name"
	}
	return ""
}
