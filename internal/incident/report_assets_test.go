package incident_test

import (
	"context"
	"slices"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/incident"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestReportAssets: a report names the assets it concerns, each once, and only those the
// reporter may see; an asset of another section or of no one is refused by its field.
func TestReportAssets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		made := map[int64]int64{}
		for _, d := range []int64{e.DeptA, e.DeptB} {
			a, err := e.S.Assets.Create(ctx, e.Admin, asset.Input{Number: "SV-" + map[int64]string{e.DeptA: "A", e.DeptB: "B"}[d], Name: "サーバ",
				Kind: "server", DepartmentID: d, Class: map[string]string{"importance": "II"}})
			if err != nil {
				t.Fatal(err)
			}
			made[d] = a.ID
		}
		in, err := e.reportAssets(e.clerk, "サーバの不審な通信", made[e.DeptA], made[e.DeptA])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(in.AssetIDs, []int64{made[e.DeptA]}) {
			t.Fatalf("assets of the report = %v, want [%d]", in.AssetIDs, made[e.DeptA])
		}
		for _, id := range []int64{made[e.DeptB], 999_999} {
			_, err := e.reportAssets(e.clerk, "サーバの不審な通信", id)
			mustCode(t, err, apperr.Invalid, "asset_ids")
		}
	})
}

// TestListByDepartment: the list's department filter is the database's, and it narrows what the
// actor sees without widening it.
func TestListByDepartment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		a := e.report(e.clerk, "総務課の事案")
		b := e.report(e.clerkB, "税務課の事案")
		na := e.Holder("network_admin@org")
		for _, c := range []struct {
			dept int64
			want []int64
		}{{0, []int64{b.ID, a.ID}}, {e.DeptA, []int64{a.ID}}, {e.DeptB, []int64{b.ID}}} {
			list, total, err := e.S.Incidents.List(ctx, na, incident.Filter{DepartmentID: c.dept})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(list); !slices.Equal(got, c.want) || total != len(c.want) {
				t.Fatalf("department %d: %v (%d), want %v", c.dept, got, total, c.want)
			}
		}
		if list, _, err := e.S.Incidents.List(ctx, e.clerk, incident.Filter{DepartmentID: e.DeptB}); err != nil || len(list) != 0 {
			t.Fatalf("the clerk of A filtering on B sees %v, %v", ids(list), err)
		}
	})
}

func ids(list []incident.Incident) []int64 {
	var out []int64
	for _, in := range list {
		out = append(out, in.ID)
	}
	return out
}
