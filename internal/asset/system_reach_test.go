package asset_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/assetio"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// A role held for an information system reaches the assets of that system, whichever department
// owns them (上毛町 第2章 3(2)①ア: 情報システム管理者は、その所管する情報資産について管理責任を
// 有する), and no other asset of that department; the highest class stays hidden from a role
// the pack does not mark a security role.
func TestSystemRoleReachesItsSystemsAssets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		add := func(number, system string, level string) asset.Asset {
			t.Helper()
			in := e.input(number, e.zeimu, level)
			in.SystemRef = system
			a, err := e.s.Assets.Create(ctx, e.admin, in)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		ofS := add("S-1", "住民基本台帳システム", "B")
		secretOfS := add("S-2", "住民基本台帳システム", "A")
		ofT := add("T-1", "税務システム", "B")
		none := add("N-1", "", "B")
		systemS, err := e.s.Assets.Create(ctx, e.admin, asset.Input{Number: "住民基本台帳システム", Name: "住基", Kind: "system",
			DepartmentID: e.zeimu, Class: map[string]string{"importance": "B"}, Zone: "L2", Segment: "lgwan"})
		if err != nil {
			t.Fatal(err)
		}
		// 情報システム管理者 of 住民基本台帳システム, seated in 総務課.
		holder := e.clerkSoumu
		holder.UserID = 60
		holder.Roles = []access.Grant{{RoleID: "system_admin", Scope: "system", SystemRef: "住民基本台帳システム"}}

		for _, a := range []asset.Asset{ofS, systemS} {
			got, err := e.s.Assets.Get(ctx, holder, a.ID)
			if err != nil || got.Restricted || got.Name != a.Name {
				t.Errorf("%s of the holder's system in another department: %+v, %v", a.Number, got, err)
			}
		}
		if got, err := e.s.Assets.Get(ctx, holder, secretOfS.ID); err != nil || !got.Restricted || got.Location != "" {
			t.Errorf("an asset of the highest class of the system is not shown restricted: %+v, %v", got, err)
		}
		for _, a := range []asset.Asset{ofT, none} {
			if _, err := e.s.Assets.Get(ctx, holder, a.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("%s of another system or none: %v, want not found", a.Number, err)
			}
		}
		if !asset.CanReadAsset(holder, ofS) || asset.CanReadAsset(holder, ofT) || asset.CanRead(holder, e.zeimu) {
			t.Error("CanReadAsset / CanRead disagree with Get")
		}

		want := map[string]bool{"S-1": true, "S-2": true, "住民基本台帳システム": true}
		list, total, err := e.s.Assets.List(ctx, holder, asset.Filter{})
		if err != nil || total != len(want) || len(list) != total {
			t.Fatalf("list: %d of %d, %v", len(list), total, err)
		}
		for _, a := range list {
			if !want[a.Number] {
				t.Errorf("list shows %s", a.Number)
			}
		}
		// The holder's own department's assets stay theirs to read, beside the system's.
		if _, err := e.s.Assets.Create(ctx, e.admin, e.input("OWN-1", e.soumu, "B")); err != nil {
			t.Fatal(err)
		}
		if _, total, err = e.s.Assets.List(ctx, holder, asset.Filter{}); err != nil || total != 4 {
			t.Errorf("list with the own department: %d, %v", total, err)
		}
		if _, n, err := e.s.Assets.List(ctx, holder, asset.Filter{Query: "業務用端末"}); err != nil || n != 2 {
			t.Errorf("search: %d, %v", n, err)
		}
		var b bytes.Buffer
		if err := assetio.Export(ctx, e.s.Assets, holder, asset.Filter{}, assetio.CSV, &b); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll()
		if err != nil || len(recs)-1 != total {
			t.Errorf("export: %d rows, the list counts %d (%v)", len(recs)-1, total, err)
		}

		// The system's assets are the holder's to change; another system's are not.
		in := e.input("S-1", e.zeimu, "B")
		in.SystemRef, in.Name = "住民基本台帳システム", "更新した端末"
		if _, err := e.s.Assets.Update(ctx, holder, ofS.ID, in); err != nil {
			t.Errorf("the holder changes an asset of the system: %v", err)
		}
		in.SystemRef = "税務システム"
		if _, err := e.s.Assets.Update(ctx, holder, ofS.ID, in); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("the holder moves an asset out of the system: %v", err)
		}
		other := e.input("T-1", e.zeimu, "B")
		other.SystemRef = "税務システム"
		if _, err := e.s.Assets.Update(ctx, holder, ofT.ID, other); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the holder changes an asset of another system: %v", err)
		}

		// The audit log shows the holder's entries of the system's assets in full, as the
		// register does, and withholds those of the highest class.
		v, err := e.s.Assets.Sight(ctx, holder)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Reads(ofS) || v.Reads(ofT) || v.Hides(ofS) || !v.Hides(secretOfS) {
			t.Error("the sight of the holder disagrees with the register")
		}
		ok, err := e.s.Assets.AuditReadable(ctx, holder, []auditlog.Entry{{EntityID: strconv.FormatInt(ofS.ID, 10)}, {EntityID: strconv.FormatInt(secretOfS.ID, 10)}})
		if err != nil || !ok[0] || ok[1] {
			t.Errorf("audit entries readable: %v, %v", ok, err)
		}
	})
}
