package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/inspection"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestSelfInspectionAPI: on 山形県's pack, a department's 情報セキュリティ管理者 may not start a
// campaign; the 統括情報セキュリティ責任者 does; the manager answers through the API, an evidence
// file of the wrong type is refused naming its item and nothing is kept; a sheet he does not
// answer is not found to him.
func TestSelfInspectionAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sys := access.System(f.orgID, "test")
		if _, err := f.svcs.Policy.Use(ctx, sys, "yamagata"); err != nil {
			t.Fatal(err)
		}
		person := func(login string, dept int64, role, scope string) string {
			st, err := f.svcs.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: login, Name: login, Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			ra := org.RoleAssignment{RoleID: role, Scope: scope, HolderStaffID: st.ID}
			if scope == "department" {
				ra.DepartmentID = dept
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
		var depts []int64
		for _, code := range []string{"A", "B"} {
			d, err := f.svcs.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: code, Name: "課" + code, Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			depts = append(depts, d.ID)
		}
		chief := person("chief", depts[0], "chief", "organization")
		managerA := person("kacho-a", depts[0], "security_manager", "department")
		person("kacho-b", depts[1], "security_manager", "department")

		start := map[string]any{"fiscal_year": 2099, "title": "自己点検", "deadline": "2099-06-30"}
		decodeAs[errorBody](t, f.do("POST", "/api/v1/self-inspections", managerA, start), http.StatusForbidden)
		c := decodeAs[inspection.Campaign](t, f.do("POST", "/api/v1/self-inspections", chief, start), http.StatusCreated)
		pr := decodeAs[inspection.Progress](t, f.do("GET", fmt.Sprint("/api/v1/self-inspections/", c.ID), managerA, nil), http.StatusOK)
		if len(pr.Sheets) != 1 || pr.Sheets[0].DepartmentID != depts[0] {
			t.Fatalf("the manager of A sees %+v", pr.Sheets)
		}
		all := decodeAs[inspection.Progress](t, f.do("GET", fmt.Sprint("/api/v1/self-inspections/", c.ID), chief, nil), http.StatusOK)
		var sheetB int64
		for _, sh := range all.Sheets {
			if sh.DepartmentID == depts[1] {
				sheetB = sh.ID
			}
		}
		decodeAs[errorBody](t, f.do("GET", fmt.Sprintf("/api/v1/self-inspections/%d/sheets/%d", c.ID, sheetB), managerA, nil), http.StatusNotFound)

		path := fmt.Sprintf("/api/v1/self-inspections/%d/sheets/%d", c.ID, pr.Sheets[0].ID)
		v := decodeAs[inspection.SheetView](t, f.do("GET", path, managerA, nil), http.StatusOK)
		seq := v.Answers[0].Item.Seq
		bad := map[string]any{"answers": []map[string]any{{"seq": seq, "answer": "done", "evidence": map[string]any{"name": "tool.exe", "content": []byte("MZ")}}}}
		e := decodeAs[errorBody](t, f.do("POST", path+"/answers", managerA, bad), http.StatusUnprocessableEntity)
		if e.Error.Field != fmt.Sprintf("answers.%d.evidence", seq) || !strings.Contains(e.Error.Fields[0].Message, "根拠資料") {
			t.Fatalf("refusal %+v", e.Error)
		}
		if v := decodeAs[inspection.SheetView](t, f.do("GET", path, managerA, nil), http.StatusOK); v.Sheet.Answered != 0 {
			t.Fatalf("a refused save kept %d answers", v.Sheet.Answered)
		}
		good := map[string]any{"answers": []map[string]any{{"seq": seq, "answer": "not_done", "comment": "未整備"}}}
		if v := decodeAs[inspection.SheetView](t, f.do("POST", path+"/answers", managerA, good), http.StatusOK); v.Sheet.Answered != 1 {
			t.Fatalf("answered %d", v.Sheet.Answered)
		}
		e = decodeAs[errorBody](t, f.do("POST", path+"/submit", managerA, nil), http.StatusUnprocessableEntity)
		if !strings.Contains(e.Error.Message, "未回答") {
			t.Fatalf("submit of a partly answered sheet: %+v", e.Error)
		}
	})
}
