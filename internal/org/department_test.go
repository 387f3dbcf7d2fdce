package org_test

import (
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// mkDept creates a department or fails the test.
func (e *env) mkDept(t *testing.T, parent int64, code, name, kind string, sort int) org.Department {
	t.Helper()
	d, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{ParentID: parent, Code: code, Name: name, Kind: kind, SortOrder: sort})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return d
}

func treeLines(tree []org.Department) string {
	var b strings.Builder
	for _, d := range tree {
		b.WriteString(strings.Repeat("  ", d.Depth) + strings.Join(d.Path, "/") + "\n")
	}
	return b.String()
}

func TestDepartments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		soumu := e.mkDept(t, 0, "100", "総務部", "division", 1)
		soumuka := e.mkDept(t, soumu.ID, "110", "総務課", "section", 1)
		bunsho := e.mkDept(t, soumuka.ID, "111", "文書係", "unit", 0)
		joho := e.mkDept(t, soumu.ID, "120", "情報政策課", "section", 0)
		kyoiku := e.mkDept(t, 0, "900", "教育委員会", "board", 2)
		e.mkDept(t, kyoiku.ID, "910", "第一小学校", "school", 0)
		e.mkDept(t, 0, "200", "市民部", "division", 1)

		t.Run("tree lists parents before children, siblings by order then code", func(t *testing.T) {
			tree, err := e.org.Tree(ctx, e.clerk)
			if err != nil {
				t.Fatal(err)
			}
			want := `総務部
  総務部/情報政策課
  総務部/総務課
    総務部/総務課/文書係
市民部
教育委員会
  教育委員会/第一小学校
`
			if got := treeLines(tree); got != want {
				t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
			}
		})

		t.Run("each creation is audited", func(t *testing.T) {
			created := e.entries(t, e.orgID, "department.create")
			if len(created) != 7 || created[0].Actor != "admin" || !strings.Contains(created[len(created)-1].After, `"name":"総務部"`) {
				t.Fatalf("audit = %+v", created)
			}
			e.verifyChain(t, e.orgID)
		})

		t.Run("moving a department under its own descendant is refused", func(t *testing.T) {
			for _, parent := range []int64{bunsho.ID, soumuka.ID, soumu.ID} {
				_, err := e.org.UpdateDepartment(ctx, e.admin, soumu.ID, org.DepartmentInput{ParentID: parent, Code: "100", Name: "総務部", Kind: "division", Active: true})
				wantField(t, err, "parent_id", "org.error.department_cycle")
			}
			if d, _ := e.org.Department(ctx, e.clerk, soumu.ID); d.ParentID != 0 {
				t.Fatalf("moved anyway: %+v", d)
			}
		})

		t.Run("an unknown parent is refused", func(t *testing.T) {
			_, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{ParentID: 999999, Code: "300", Name: "x", Kind: "section"})
			wantField(t, err, "parent_id", "org.error.parent_missing")
			_, err = e.org.UpdateDepartment(ctx, e.admin, joho.ID, org.DepartmentInput{ParentID: 999999, Code: "120", Name: "情報政策課", Kind: "section"})
			wantField(t, err, "parent_id", "org.error.parent_missing")
		})

		t.Run("another organisation's department is not a parent", func(t *testing.T) {
			other := e.otherOrg(t, "izumisano")
			theirs, err := e.org.CreateDepartment(ctx, other, org.DepartmentInput{Code: "100", Name: "総務部", Kind: "division"})
			if err != nil {
				t.Fatalf("the same code in another organisation: %v", err)
			}
			_, err = e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{ParentID: theirs.ID, Code: "301", Name: "x", Kind: "section"})
			wantField(t, err, "parent_id", "org.error.parent_missing")
			_, err = e.org.Department(ctx, e.clerk, theirs.ID)
			wantCode(t, err, apperr.NotFound)
			_, err = e.org.UpdateDepartment(ctx, e.admin, theirs.ID, org.DepartmentInput{Code: "100", Name: "乗っ取り", Kind: "division"})
			wantCode(t, err, apperr.NotFound)
		})

		t.Run("a duplicate code is refused", func(t *testing.T) {
			_, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: "110", Name: "二つ目", Kind: "section"})
			wantField(t, err, "code", "org.error.code_taken")
			_, err = e.org.UpdateDepartment(ctx, e.admin, joho.ID, org.DepartmentInput{ParentID: soumu.ID, Code: "110", Name: "情報政策課", Kind: "section"})
			wantField(t, err, "code", "org.error.code_taken")
		})

		t.Run("invalid input names the field", func(t *testing.T) {
			for _, c := range []struct {
				in         org.DepartmentInput
				field, key string
			}{
				{org.DepartmentInput{Code: " ", Name: "x", Kind: "section"}, "code", "error.required"},
				{org.DepartmentInput{Code: "1/2", Name: "x", Kind: "section"}, "code", "org.error.code_chars"},
				{org.DepartmentInput{Code: "400", Name: "", Kind: "section"}, "name", "error.required"},
				{org.DepartmentInput{Code: "400", Name: strings.Repeat("課", 201), Kind: "section"}, "name", "error.too_long"},
				{org.DepartmentInput{Code: "400", Name: "x", Kind: "bureau"}, "kind", "org.error.department_kind"},
			} {
				_, err := e.org.CreateDepartment(ctx, e.admin, c.in)
				wantField(t, err, c.field, c.key)
			}
		})

		t.Run("a move updates the tree and is audited with before and after", func(t *testing.T) {
			d, err := e.org.UpdateDepartment(ctx, e.admin, bunsho.ID, org.DepartmentInput{ParentID: joho.ID, Code: "121", Name: "文書法制係", Kind: "unit", Active: false})
			if err != nil || d.ParentID != joho.ID || d.Code != "121" || d.Active {
				t.Fatalf("updated = %+v, %v", d, err)
			}
			tree, _ := e.org.Tree(ctx, e.clerk)
			if got := treeLines(tree); !strings.Contains(got, "    総務部/情報政策課/文書法制係\n") || strings.Contains(got, "文書係") {
				t.Fatalf("tree:\n%s", got)
			}
			upd := e.entries(t, e.orgID, "department.update")
			if len(upd) != 1 || !strings.Contains(upd[0].Before, `"name":"文書係"`) || !strings.Contains(upd[0].After, `"name":"文書法制係"`) ||
				upd[0].EntityID != itoa(bunsho.ID) {
				t.Fatalf("audit = %+v", upd)
			}
		})

		t.Run("a non-administrator may read but not change", func(t *testing.T) {
			_, err := e.org.CreateDepartment(ctx, e.clerk, org.DepartmentInput{Code: "500", Name: "x", Kind: "section"})
			wantCode(t, err, apperr.Forbidden)
			_, err = e.org.UpdateDepartment(ctx, e.clerk, joho.ID, org.DepartmentInput{Code: "120", Name: "改名", Kind: "section"})
			wantCode(t, err, apperr.Forbidden)
			if d, err := e.org.Department(ctx, e.clerk, joho.ID); err != nil || d.Name != "情報政策課" {
				t.Fatalf("department = %+v, %v", d, err)
			}
		})

		e.verifyChain(t, e.orgID)
	})
}

// TestDepartmentCreateIsAtomic checks that a department and its audit entry are written in one
// transaction: when either fails, neither is left.
func TestDepartmentCreateIsAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.mkDept(t, 0, "100", "総務部", "division", 0)
		counts := func() (int, int) {
			return e.count(t, `SELECT count(*) FROM departments`), e.count(t, `SELECT count(*) FROM audit_entries`)
		}

		t.Run("a refused insert writes no audit entry", func(t *testing.T) {
			d0, a0 := counts()
			_, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: "100", Name: "重複", Kind: "division"})
			wantField(t, err, "code", "org.error.code_taken")
			if d, a := counts(); d != d0 || a != a0 {
				t.Fatalf("departments %d→%d, audit entries %d→%d", d0, d, a0, a)
			}
		})

		t.Run("a failed audit entry leaves no department", func(t *testing.T) {
			// Without its chain head the organisation's log cannot be appended to.
			if _, err := db.SQL.ExecContext(ctx, `DELETE FROM audit_heads WHERE org_id = $1`, e.orgID); err != nil {
				t.Fatal(err)
			}
			d0, a0 := counts()
			_, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: "200", Name: "市民部", Kind: "division"})
			if err == nil {
				t.Fatal("created without an audit entry")
			}
			if d, a := counts(); d != d0 || a != a0 {
				t.Fatalf("departments %d→%d, audit entries %d→%d", d0, d, a0, a)
			}
		})
	})
}
