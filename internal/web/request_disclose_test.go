package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestRequestPagesWithholdTheHighestClass: a request about an asset of the highest class of
// 市民課, seen by 上毛町's ネットワーク管理者 of 総務課 and by the platform administrator, shows
// them the asset's number but none of its details, on the page and on the printed form, and
// none of the words of the request about it (a note stands in their place); the edit form is
// not theirs. The applicant of 市民課 reads them.
func TestRequestPagesWithholdTheHighestClass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "koge")
		ctx := context.Background()
		secret, err := f.s.Assets.Create(ctx, f.sys, asset.Input{Number: "SEC-9", Name: "極秘端末", Kind: "terminal", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "I"}, Location: "地下金庫", Note: "秘密のメモ", SystemRef: "SYS-SECRET"})
		if err != nil {
			t.Fatal(err)
		}
		applicant := access.Actor{OrgID: f.sys.OrgID, UserID: 9001, StaffID: f.clerk.ID, DepartmentID: f.civic.ID, Login: "shinsei"}
		rq, err := f.s.Requests.Submit(ctx, applicant, request.Input{Kind: "take_out", AssetIDs: []int64{secret.ID},
			Fields: map[string]any{"destination": "県庁別館B棟", "out_date": "2026-04-02", "return_date": "2026-04-03"}})
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.s.Org.CreateStaff(ctx, f.sys, org.StaffInput{DepartmentID: f.general.ID, EmployeeNo: "N-1", Name: "ネット 管理", Employment: "regular", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Org.AssignRole(ctx, f.sys, org.RoleAssignment{RoleID: "network_admin", Scope: "organization", HolderStaffID: st.ID}); err != nil {
			t.Fatal(err)
		}
		network := f.signInStaff(t, "netadmin", st.ID)
		href := "/requests/" + strconv.FormatInt(rq.ID, 10)
		for name, b := range map[string]*browser{"the ネットワーク管理者": network, "the platform administrator": f.admin} {
			for _, path := range []string{href, href + "/print"} {
				r := b.get(path)
				t.Logf("%s reads %s", name, path)
				expect(t, r, http.StatusOK, "SEC-9", "資産の詳細を閲覧できる方にのみ表示されます")
				lacks(t, r, "極秘端末", "地下金庫", "秘密のメモ", "SYS-SECRET", "県庁別館B棟")
			}
			r := b.get(href + "/edit")
			if r.status != http.StatusForbidden {
				t.Errorf("%s opens the edit form: %d", name, r.status)
			}
			lacks(t, r, "県庁別館B棟")
		}
		expect(t, f.applicant.get(href), http.StatusOK, "SEC-9", "極秘端末", "県庁別館B棟")
	})
}
