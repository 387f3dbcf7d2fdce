package request_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAnotherDepartmentsAssetIsWithheldFromTheApplicantsOfficer: a member of department A who
// holds the ネットワーク管理者 role reads every department's register and takes B's server of the
// highest class out. A's 情報セキュリティ管理者 reads the request — she is the officer of the
// applicant's department — but the register does not show her B's assets, so the request shows
// her the server as the register would: by number, kind, class, department and state. B's
// officer, who decides it, reads it whole.
func TestAnotherDepartmentsAssetIsWithheldFromTheApplicantsOfficer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "base")
		secret, err := e.S.Assets.Create(ctx, e.Admin, asset.Input{Number: "SEC-B", Name: "極秘端末", Kind: "server",
			DepartmentID: e.DeptB, Class: map[string]string{"importance": "A"}, Segment: "lgwan", SystemRef: "SYS-SECRET",
			Location: "地下金庫", Note: "秘密のメモ", Quantity: 1, State: "in_use"})
		if err != nil {
			t.Fatal(err)
		}
		netAdmin := e.marked(e.Holder("network_admin@org"))
		r, err := e.S.Requests.Submit(ctx, netAdmin, request.Input{Kind: "take_out", AssetIDs: []int64{secret.ID}, Fields: map[string]any{
			"asset": float64(secret.ID), "purpose": "保守", "destination": "データセンター", "taken_out_on": "2026-04-02", "return_due": "2026-04-10"}})
		if err != nil {
			t.Fatal(err)
		}
		officerA := e.marked(e.Holder("security_officer@d:" + strconv.FormatInt(e.DeptA, 10)))
		if _, err := e.S.Assets.Get(ctx, officerA, secret.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the register shows A's officer B's asset: %v", err)
		}
		got, err := e.S.Requests.Get(ctx, officerA, r.ID)
		if err != nil {
			t.Fatalf("A's officer does not read the request of A's member: %v", err)
		}
		if c := leaks(t, got); c != "" {
			t.Errorf("A's officer reads %q in the request", c)
		}
		for _, ev := range got.Events {
			var list []asset.Asset
			if err := json.Unmarshal([]byte(ev.Snapshot), &list); err != nil || len(list) != 1 || !list[0].Restricted || list[0].Number != "SEC-B" {
				t.Errorf("A's officer reads the frozen asset of %s as %s (%v)", ev.Action, ev.Snapshot, err)
			}
		}
		list, _, err := e.S.Requests.List(ctx, officerA, request.Filter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("A's officer lists %d requests (%v)", len(list), err)
		}
		if c := leaks(t, list); c != "" {
			t.Errorf("A's officer reads %q in the list", c)
		}
		officerB := e.marked(e.Holder("security_officer@d:" + strconv.FormatInt(e.DeptB, 10)))
		whole, err := e.S.Requests.Get(ctx, officerB, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if leaks(t, whole) == "" || whole.SystemRef != "SYS-SECRET" {
			t.Errorf("B's officer does not read the asset whole: %s, system %q", whole.Events[0].Snapshot, whole.SystemRef)
		}
	})
}
