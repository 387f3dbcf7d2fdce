package org_test

import (
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		dept := e.mkDept(t, 0, "120", "情報政策課", "section", 0)
		holder := e.mkStaff(t, dept.ID, "1001", "田中 太郎", "")
		deputy := e.mkStaff(t, dept.ID, "1002", "鈴木 花子", "")
		nobody := e.mkStaff(t, dept.ID, "1003", "山田 次郎", "")

		t.Run("invalid assignments name the field", func(t *testing.T) {
			base := org.RoleAssignment{RoleID: "ciso", Scope: "organization", HolderStaffID: holder.ID}
			for _, c := range []struct {
				name       string
				edit       func(*org.RoleAssignment)
				field, key string
			}{
				{"no role", func(r *org.RoleAssignment) { r.RoleID = " " }, "role_id", "error.required"},
				{"unknown scope", func(r *org.RoleAssignment) { r.Scope = "planet" }, "scope", "org.error.scope"},
				{"department scope without a department", func(r *org.RoleAssignment) { r.Scope = "department" }, "department_id", "error.required"},
				{"system scope without a system", func(r *org.RoleAssignment) { r.Scope = "system"; r.SystemRef = " " }, "system_ref", "error.required"},
				{"no holder", func(r *org.RoleAssignment) { r.HolderStaffID = 0 }, "holder_staff_id", "error.required"},
				{"malformed start", func(r *org.RoleAssignment) { r.ValidFrom = "2026/04/01" }, "valid_from", "error.date"},
				{"impossible end", func(r *org.RoleAssignment) { r.ValidTo = "2026-02-30" }, "valid_to", "error.date"},
				{"end before start", func(r *org.RoleAssignment) { r.ValidFrom, r.ValidTo = "2026-04-01", "2026-03-31" }, "valid_to", "org.error.period"},
				{"unknown holder", func(r *org.RoleAssignment) { r.HolderStaffID = 999999 }, "holder_staff_id", "org.error.staff_missing"},
				{"unknown acting holder", func(r *org.RoleAssignment) { r.ActingStaffID = 999999 }, "acting_staff_id", "org.error.staff_missing"},
				{"unknown department", func(r *org.RoleAssignment) { r.Scope, r.DepartmentID = "department", 999999 }, "department_id", "org.error.department_missing"},
			} {
				t.Run(c.name, func(t *testing.T) {
					in := base
					c.edit(&in)
					_, err := e.org.AssignRole(ctx, e.admin, in)
					wantField(t, err, c.field, c.key)
				})
			}
			_, err := e.org.AssignRole(ctx, e.clerk, base)
			wantCode(t, err, apperr.Forbidden)
			if n := e.count(t, `SELECT count(*) FROM role_assignments`); n != 0 {
				t.Fatalf("%d assignments", n)
			}
		})

		// The fiscal year 2026 appointment, with a deputy acting for the holder.
		ciso, err := e.org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: "ciso", Scope: "organization", HolderStaffID: holder.ID,
			ActingStaffID: deputy.ID, ValidFrom: "2026-04-01", ValidTo: "2027-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: "info_manager", Scope: "department", DepartmentID: dept.ID,
			HolderStaffID: holder.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: "system_admin", Scope: "system", SystemRef: "基幹系",
			HolderStaffID: deputy.ID, ValidTo: "2026-03-31"}); err != nil {
			t.Fatal(err)
		}

		t.Run("assignments are listed and audited", func(t *testing.T) {
			roles, err := e.org.Roles(ctx, e.clerk)
			if err != nil || len(roles) != 3 || roles[0].ID != ciso.ID || roles[0].ActingStaffID != deputy.ID || roles[0].ValidTo != "2027-03-31" {
				t.Fatalf("roles = %+v, %v", roles, err)
			}
			if n := len(e.entries(t, e.orgID, "role.assign")); n != 3 {
				t.Fatalf("%d assignments audited", n)
			}
		})

		grant := func(role, scope string, dept int64, system string, acting bool) access.Grant {
			return access.Grant{RoleID: role, Scope: scope, DepartmentID: dept, SystemRef: system, Acting: acting}
		}
		for _, c := range []struct {
			name  string
			staff int64
			day   string
			want  []access.Grant
		}{
			{"holder before the period", holder.ID, "2026-03-31", []access.Grant{grant("info_manager", "department", dept.ID, "", false)}},
			{"holder on the first day", holder.ID, "2026-04-01", []access.Grant{grant("ciso", "organization", 0, "", false), grant("info_manager", "department", dept.ID, "", false)}},
			{"holder on the last day", holder.ID, "2027-03-31", []access.Grant{grant("ciso", "organization", 0, "", false), grant("info_manager", "department", dept.ID, "", false)}},
			{"holder after the period", holder.ID, "2027-04-01", []access.Grant{grant("info_manager", "department", dept.ID, "", false)}},
			{"deputy on the last day of an open-start assignment", deputy.ID, "2026-03-31", []access.Grant{grant("system_admin", "system", 0, "基幹系", false)}},
			{"deputy acts during the period", deputy.ID, "2026-04-01", []access.Grant{grant("ciso", "organization", 0, "", true)}},
			{"someone else holds nothing", nobody.ID, "2026-06-01", nil},
			{"no staff member holds nothing", 0, "2026-06-01", nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := org.GrantsOf(ctx, db.SQL, e.orgID, c.staff, c.day)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(c.want) {
					t.Fatalf("grants = %+v, want %+v", got, c.want)
				}
				for i := range got {
					if got[i] != c.want[i] {
						t.Fatalf("grants = %+v, want %+v", got, c.want)
					}
				}
			})
		}

		t.Run("grants are per organisation", func(t *testing.T) {
			other := e.otherOrg(t, "izumisano")
			if got, _ := org.GrantsOf(ctx, db.SQL, other.OrgID, holder.ID, "2026-06-01"); len(got) != 0 {
				t.Fatalf("grants in another organisation: %+v", got)
			}
			_, err := e.org.AssignRole(ctx, other, org.RoleAssignment{RoleID: "ciso", Scope: "organization", HolderStaffID: holder.ID})
			wantField(t, err, "holder_staff_id", "org.error.staff_missing")
		})

		e.verifyChain(t, e.orgID)
	})
}
