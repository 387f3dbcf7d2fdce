package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/accessreview"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAccessReviewAPI: on 山形県's pack the 統括 opens a review; a 所属長 may not keep a leaver's
// account (the pack's rule, named in the refusal), another 所属長 does not find it, the review
// does not close with undecided accounts, and a removal proof dated before the review opened is
// refused naming the field — each leaving the review as it was.
func TestAccessReviewAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sys := access.System(f.orgID, "test")
		if _, err := f.svcs.Policy.Use(ctx, sys, "yamagata"); err != nil {
			t.Fatal(err)
		}
		var depts []int64
		for _, code := range []string{"A", "B"} {
			d, err := f.svcs.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: code, Name: "課" + code, Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			depts = append(depts, d.ID)
		}
		person := func(login string, dept int64, role, scope string) string {
			st, err := f.svcs.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: login, Name: login, Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			ra := org.RoleAssignment{RoleID: role, Scope: scope, HolderStaffID: st.ID}
			if scope == "department" {
				ra.DepartmentID = dept
			} else if scope == "system" {
				ra.SystemRef = "SYS"
			}
			if _, err := f.svcs.Org.AssignRole(ctx, sys, ra); err != nil {
				t.Fatal(err)
			}
			u, _, err := f.svcs.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: login, StaffID: st.ID})
			if err != nil {
				t.Fatal(err)
			}
			token, err := ownToken(ctx, f.svcs, u)
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		chief := person("chief", depts[0], "chief", "organization")
		managerA := person("kacho-a", depts[0], "security_manager", "department")
		managerB := person("kacho-b", depts[1], "security_manager", "department")
		admin := person("sysadmin", depts[0], "system_manager", "system")
		left, err := f.svcs.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: depts[0], EmployeeNo: "left", Name: "退職者", Employment: "regular", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `UPDATE staff SET active = FALSE WHERE id = $1`, left.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO system_accounts (org_id, system_ref, login, kind, owner_staff_id, department_id,
			created_at, updated_at) VALUES ($1, 'SYS', 'taishoku', 'personal', $2, $3, $4, $4)`, f.orgID, left.ID, depts[0], time.Now()); err != nil {
			t.Fatal(err)
		}

		open := map[string]any{"title": "棚卸し", "scope": "system", "system_ref": "SYS"}
		decodeAs[errorBody](t, f.do("POST", "/api/v1/access-reviews", managerA, open), http.StatusForbidden)
		e := decodeAs[errorBody](t, f.do("POST", "/api/v1/access-reviews", chief, map[string]any{"title": "", "scope": "system"}), http.StatusUnprocessableEntity)
		if len(e.Error.Fields) != 2 {
			t.Fatalf("an empty title and system: %+v", e.Error)
		}
		r := decodeAs[accessreview.Review](t, f.do("POST", "/api/v1/access-reviews", chief, open), http.StatusCreated)
		items := decodeAs[list[accessreview.Item]](t, f.do("GET", fmt.Sprintf("/api/v1/access-reviews/%d/items?mine=true", r.ID), managerA, nil), http.StatusOK)
		if len(items.Items) != 1 || items.Items[0].Flags[0] != "leaver" {
			t.Fatalf("items %+v", items.Items)
		}
		it := items.Items[0]
		decide := fmt.Sprintf("/api/v1/access-reviews/%d/items/%d/decide", r.ID, it.ID)
		e = decodeAs[errorBody](t, f.do("POST", decide, managerA, map[string]any{"outcome": "keep", "reason": "念のため"}), http.StatusUnprocessableEntity)
		if !strings.Contains(e.Error.Message, "taishoku") || !strings.Contains(e.Error.Message, "7.7(1)③") {
			t.Fatalf("keeping a leaver: %+v", e.Error)
		}
		decodeAs[errorBody](t, f.do("POST", decide, managerB, map[string]any{"outcome": "remove", "reason": "退職"}), http.StatusNotFound)
		e = decodeAs[errorBody](t, f.do("POST", fmt.Sprintf("/api/v1/access-reviews/%d/close", r.ID), chief, nil), http.StatusConflict)
		if !strings.Contains(e.Error.Message, "未判定") {
			t.Fatalf("closing with undecided accounts: %+v", e.Error)
		}
		decodeAs[accessreview.Item](t, f.do("POST", decide, managerA, map[string]any{"outcome": "remove", "reason": "退職"}), http.StatusOK)
		prove := fmt.Sprintf("/api/v1/access-reviews/%d/items/%d/prove", r.ID, it.ID)
		e = decodeAs[errorBody](t, f.do("POST", prove, admin, map[string]any{"done_on": "2000-01-01", "done_by": "管理者"}), http.StatusUnprocessableEntity)
		if e.Error.Field != "done_on" {
			t.Fatalf("a proof before the review: %+v", e.Error)
		}
		if v := decodeAs[accessreview.View](t, f.do("GET", fmt.Sprintf("/api/v1/access-reviews/%d", r.ID), chief, nil), http.StatusOK); v.Review.Counts.Awaiting != 1 {
			t.Fatalf("a refused proof changed the review: %+v", v.Review.Counts)
		}
		res := decodeAs[accessReviewResults](t, f.do("GET", fmt.Sprintf("/api/v1/access-reviews/%d/results", r.ID), chief, nil), http.StatusOK)
		if len(res.Systems) != 1 || res.Systems[0].Counts.Removed != 1 {
			t.Fatalf("results %+v", res)
		}
	})
}
