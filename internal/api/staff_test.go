package api

import (
	"context"
	"net/http"
	"testing"

	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestStaffAndRoleAssignments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		dept := decodeAs[org.Department](t, f.do("POST", "/api/v1/departments", f.admin,
			map[string]any{"code": "1110", "name": "情報政策係", "kind": "unit"}), http.StatusCreated)

		rec := f.do("POST", "/api/v1/staff", f.admin, map[string]any{"department_id": dept.ID, "employee_no": "A001",
			"name": "山田 花子", "kana": "やまだ はなこ", "title": "係長", "employment": "regular", "email": "hanako@example.jp"})
		st := decodeAs[org.Staff](t, rec, http.StatusCreated)
		if st.DepartmentID != dept.ID || !st.Active {
			t.Fatalf("staff %+v", st)
		}
		if rec.Header().Get("Location") != "/api/v1/staff/"+itoa64(st.ID) {
			t.Errorf("Location %q", rec.Header().Get("Location"))
		}
		decodeAs[org.Staff](t, f.do("POST", "/api/v1/staff", f.admin,
			map[string]any{"employee_no": "B002", "name": "佐藤 次郎", "employment": "contractor"}), http.StatusCreated)

		t.Run("filter by department and by a two-character word", func(t *testing.T) {
			l := decodeAs[list[org.Staff]](t, f.do("GET", "/api/v1/staff?department_id="+itoa64(dept.ID), f.admin, nil), http.StatusOK)
			if l.Total != 1 || l.Items[0].ID != st.ID || l.Items[0].DepartmentName != "情報政策係" {
				t.Errorf("by department %+v", l)
			}
			l = decodeAs[list[org.Staff]](t, f.do("GET", "/api/v1/staff?q=%E4%BD%90%E8%97%A4", f.admin, nil), http.StatusOK) // 佐藤
			if l.Total != 1 || l.Items[0].EmployeeNo != "B002" {
				t.Errorf("by name %+v", l)
			}
			e := apiError(t, f.do("GET", "/api/v1/staff?department_id=x", f.admin, nil), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "department_id" {
				t.Errorf("field %q", e.Field)
			}
		})

		t.Run("get and update", func(t *testing.T) {
			got := decodeAs[org.Staff](t, f.do("GET", "/api/v1/staff/"+itoa64(st.ID), f.admin, nil), http.StatusOK)
			if got.Name != "山田 花子" {
				t.Errorf("got %+v", got)
			}
			up := decodeAs[org.Staff](t, f.do("PUT", "/api/v1/staff/"+itoa64(st.ID), f.admin, map[string]any{
				"department_id": dept.ID, "employee_no": "A001", "name": "山田 花子", "title": "課長補佐",
				"employment": "regular", "active": true}), http.StatusOK)
			if up.Title != "課長補佐" || up.Email != "" || !up.Active {
				t.Errorf("updated %+v", up)
			}
			e := apiError(t, f.do("PUT", "/api/v1/staff/"+itoa64(st.ID), f.admin, map[string]any{
				"employee_no": "A001", "name": "山田 花子", "employment": "regular", "email": "not an address", "active": true}),
				http.StatusUnprocessableEntity, "invalid")
			if e.Field != "email" {
				t.Errorf("field %q", e.Field)
			}
			apiError(t, f.do("PUT", "/api/v1/staff/777777", f.admin, map[string]any{
				"employee_no": "Z", "name": "Z", "employment": "regular", "active": true}), http.StatusNotFound, "not_found")
		})

		t.Run("assign a role and see it in the list and in the holder's grants", func(t *testing.T) {
			ra := decodeAs[org.RoleAssignment](t, f.do("POST", "/api/v1/role-assignments", f.admin, map[string]any{
				"role_id": "security_officer", "scope": "department", "department_id": dept.ID, "holder_staff_id": st.ID}),
				http.StatusCreated)
			if ra.ID == 0 || ra.RoleID != "security_officer" {
				t.Fatalf("assignment %+v", ra)
			}
			l := decodeAs[list[org.RoleAssignment]](t, f.do("GET", "/api/v1/role-assignments", f.admin, nil), http.StatusOK)
			if l.Total != 1 || l.Items[0].HolderStaffID != st.ID {
				t.Errorf("list %+v", l)
			}

			u := decodeAs[createdUser](t, f.do("POST", "/api/v1/users", f.admin,
				map[string]any{"login": "yamada", "display_name": "山田 花子", "staff_id": st.ID}), http.StatusCreated)
			secret, err := ownToken(context.Background(), f.svcs, u.User)
			if err != nil {
				t.Fatal(err)
			}
			me := decodeAs[meResponse](t, f.do("GET", "/api/v1/me", secret, nil), http.StatusOK)
			if me.StaffID != st.ID || me.DepartmentID != dept.ID || len(me.Roles) != 1 || me.Roles[0].RoleID != "security_officer" ||
				me.Roles[0].DepartmentID != dept.ID {
				t.Errorf("me %+v", me)
			}
		})

		t.Run("an assignment without a holder names the field", func(t *testing.T) {
			e := apiError(t, f.do("POST", "/api/v1/role-assignments", f.admin, map[string]any{"role_id": "ciso", "scope": "organization"}),
				http.StatusUnprocessableEntity, "invalid")
			if e.Field != "holder_staff_id" {
				t.Errorf("field %q", e.Field)
			}
		})
	})
}
