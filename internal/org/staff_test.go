package org_test

import (
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func (e *env) mkStaff(t *testing.T, dept int64, no, name, kana string) org.Staff {
	t.Helper()
	st, err := e.org.CreateStaff(ctx, e.admin, org.StaffInput{DepartmentID: dept, EmployeeNo: no, Name: name, Kana: kana, Employment: "regular"})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return st
}

func names(list []org.Staff) string {
	var out []string
	for _, st := range list {
		out = append(out, st.Name)
	}
	return strings.Join(out, ",")
}

func TestStaff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		soumu := e.mkDept(t, 0, "110", "総務課", "section", 0)
		joho := e.mkDept(t, 0, "120", "情報政策課", "section", 0)
		tanaka := e.mkStaff(t, soumu.ID, "1003", "田中 太郎", "タナカ タロウ")
		e.mkStaff(t, joho.ID, "1001", "田中 花子", "タナカ ハナコ")
		e.mkStaff(t, joho.ID, "2001", "中田 一郎", "ナカタ イチロウ")
		e.mkStaff(t, 0, "1002", "山田 次郎", "ヤマダ ジロウ")

		t.Run("creation is audited", func(t *testing.T) {
			if tanaka.ID == 0 || !tanaka.Active || tanaka.OrgID != e.orgID {
				t.Fatalf("staff = %+v", tanaka)
			}
			created := e.entries(t, e.orgID, "staff.create")
			if len(created) != 4 || !strings.Contains(created[3].After, `"name":"田中 太郎"`) {
				t.Fatalf("audit = %+v", created)
			}
		})

		for _, c := range []struct {
			name  string
			f     org.StaffFilter
			want  string
			total int
		}{
			{"everyone by employee number", org.StaffFilter{}, "田中 花子,山田 次郎,田中 太郎,中田 一郎", 4},
			{"by department", org.StaffFilter{DepartmentID: joho.ID}, "田中 花子,中田 一郎", 2},
			{"two-character Japanese name", org.StaffFilter{Query: "田中"}, "田中 花子,田中 太郎", 2},
			{"by kana", org.StaffFilter{Query: "ヤマダ"}, "山田 次郎", 1},
			{"by employee number", org.StaffFilter{Query: "100"}, "田中 花子,山田 次郎,田中 太郎", 3},
			{"query and department", org.StaffFilter{Query: "田中", DepartmentID: soumu.ID}, "田中 太郎", 1},
			{"query around spaces", org.StaffFilter{Query: "  一郎 "}, "中田 一郎", 1},
			{"percent is literal", org.StaffFilter{Query: "%"}, "", 0},
			{"underscore is literal", org.StaffFilter{Query: "_"}, "", 0},
			{"limit keeps the total", org.StaffFilter{Limit: 2}, "田中 花子,山田 次郎", 4},
			{"offset pages on", org.StaffFilter{Limit: 2, Offset: 2}, "田中 太郎,中田 一郎", 4},
		} {
			t.Run(c.name, func(t *testing.T) {
				list, total, err := e.org.ListStaff(ctx, e.clerk, c.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(list); got != c.want || total != c.total {
					t.Fatalf("got %s (total %d), want %s (total %d)", got, total, c.want, c.total)
				}
			})
		}

		t.Run("listings carry the department name", func(t *testing.T) {
			list, _, _ := e.org.ListStaff(ctx, e.clerk, org.StaffFilter{Query: "1003"})
			if len(list) != 1 || list[0].DepartmentName != "総務課" || list[0].DepartmentID != soumu.ID {
				t.Fatalf("list = %+v", list)
			}
		})

		t.Run("invalid input names the field", func(t *testing.T) {
			base := org.StaffInput{EmployeeNo: "3001", Name: "鈴木 三郎", Employment: "regular"}
			for _, c := range []struct {
				name       string
				edit       func(*org.StaffInput)
				field, key string
			}{
				{"no employee number", func(in *org.StaffInput) { in.EmployeeNo = " " }, "employee_no", "error.required"},
				{"no name", func(in *org.StaffInput) { in.Name = "" }, "name", "error.required"},
				{"unknown employment", func(in *org.StaffInput) { in.Employment = "temp" }, "employment", "org.error.employment"},
				{"no employment", func(in *org.StaffInput) { in.Employment = "" }, "employment", "org.error.employment"},
				{"email without a domain", func(in *org.StaffInput) { in.Email = "suzuki@" }, "email", "org.error.email"},
				{"email with a display name", func(in *org.StaffInput) { in.Email = "鈴木 <suzuki@city.example.jp>" }, "email", "org.error.email"},
				{"not an email", func(in *org.StaffInput) { in.Email = "suzuki" }, "email", "org.error.email"},
				{"taken employee number", func(in *org.StaffInput) { in.EmployeeNo = "1003" }, "employee_no", "org.error.employee_no_taken"},
				{"unknown department", func(in *org.StaffInput) { in.DepartmentID = 999999 }, "department_id", "org.error.department_missing"},
			} {
				t.Run(c.name, func(t *testing.T) {
					in := base
					c.edit(&in)
					_, err := e.org.CreateStaff(ctx, e.admin, in)
					wantField(t, err, c.field, c.key)
				})
			}
			if n := e.count(t, `SELECT count(*) FROM staff`); n != 4 {
				t.Fatalf("%d staff", n)
			}
		})

		t.Run("every employment type and a plain email are accepted", func(t *testing.T) {
			for i, kind := range org.EmploymentTypes {
				in := org.StaffInput{EmployeeNo: "500" + itoa(int64(i)), Name: "職員 " + kind, Employment: kind, Email: "staff" + itoa(int64(i)) + "@city.example.jp"}
				if _, err := e.org.CreateStaff(ctx, e.admin, in); err != nil {
					t.Errorf("%s: %v", kind, err)
				}
			}
		})

		t.Run("update moves and renames, audited with before and after", func(t *testing.T) {
			st, err := e.org.UpdateStaff(ctx, e.admin, tanaka.ID, org.StaffInput{DepartmentID: joho.ID, EmployeeNo: "1003", Name: "田中 太郎",
				Kana: "タナカ タロウ", Title: "主査", Employment: "regular", Email: "tanaka@city.example.jp", Active: true})
			if err != nil || st.DepartmentID != joho.ID || st.Title != "主査" {
				t.Fatalf("updated = %+v, %v", st, err)
			}
			got, err := e.org.StaffMember(ctx, e.clerk, tanaka.ID)
			if err != nil || got.DepartmentName != "情報政策課" || got.Email != "tanaka@city.example.jp" || !got.CreatedAt.Equal(now) {
				t.Fatalf("stored = %+v, %v", got, err)
			}
			if list, _, _ := e.org.ListStaff(ctx, e.clerk, org.StaffFilter{DepartmentID: soumu.ID}); len(list) != 0 {
				t.Fatalf("still listed in the old department: %s", names(list))
			}
			upd := e.entries(t, e.orgID, "staff.update")
			if len(upd) != 1 || !strings.Contains(upd[0].Before, `"title":""`) || !strings.Contains(upd[0].After, `"title":"主査"`) {
				t.Fatalf("audit = %+v", upd)
			}
			_, err = e.org.UpdateStaff(ctx, e.admin, tanaka.ID, org.StaffInput{EmployeeNo: "1001", Name: "田中 太郎", Employment: "regular"})
			wantField(t, err, "employee_no", "org.error.employee_no_taken")
			_, err = e.org.UpdateStaff(ctx, e.admin, tanaka.ID, org.StaffInput{EmployeeNo: "1003", Name: "田中 太郎", Employment: "regular", Email: "x@"})
			wantField(t, err, "email", "org.error.email")
			_, err = e.org.UpdateStaff(ctx, e.admin, 999999, org.StaffInput{EmployeeNo: "9", Name: "x", Employment: "regular"})
			wantCode(t, err, apperr.NotFound)
		})

		t.Run("a non-administrator cannot change staff", func(t *testing.T) {
			_, err := e.org.CreateStaff(ctx, e.clerk, org.StaffInput{EmployeeNo: "9001", Name: "x", Employment: "regular"})
			wantCode(t, err, apperr.Forbidden)
			_, err = e.org.UpdateStaff(ctx, e.clerk, tanaka.ID, org.StaffInput{EmployeeNo: "1003", Name: "改名", Employment: "regular"})
			wantCode(t, err, apperr.Forbidden)
		})

		t.Run("another organisation's staff are invisible", func(t *testing.T) {
			other := e.otherOrg(t, "izumisano")
			theirs, err := e.org.CreateStaff(ctx, other, org.StaffInput{EmployeeNo: "1003", Name: "田中 三郎", Employment: "regular"})
			if err != nil {
				t.Fatalf("the same employee number elsewhere: %v", err)
			}
			_, err = e.org.StaffMember(ctx, e.clerk, theirs.ID)
			wantCode(t, err, apperr.NotFound)
			if list, _, _ := e.org.ListStaff(ctx, e.clerk, org.StaffFilter{Query: "三郎"}); len(list) != 0 {
				t.Fatalf("listed: %s", names(list))
			}
			_, err = e.org.CreateStaff(ctx, e.admin, org.StaffInput{DepartmentID: mustDept(t, e, other).ID, EmployeeNo: "9002", Name: "x", Employment: "regular"})
			wantField(t, err, "department_id", "org.error.department_missing")
		})

		e.verifyChain(t, e.orgID)
	})
}

func mustDept(t *testing.T, e *env, admin access.Actor) org.Department {
	t.Helper()
	d, err := e.org.CreateDepartment(ctx, admin, org.DepartmentInput{Code: "800", Name: "よその課", Kind: "section"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
