package main

import (
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAuditEngagementCommands: `audit list` shows the year's audits, `audit report ID --issue`
// issues the report as the chief auditor (and is refused without --as or by someone else) and
// prints it with its hash, `audit suggest` lists the departments.
func TestAuditEngagementCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, s, orgID, flags := kogeStarted(t, db)
		ctx := t.Context()
		sys := access.System(orgID, "test")
		dept := func(code, name string) int64 {
			d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: code, Name: name, Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		audited, office := dept("10", "住民課"), dept("20", "町長室")
		person := func(no string, d int64, role, login string) int64 {
			st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: d, EmployeeNo: no, Name: "職員" + no, Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			if role != "" {
				if _, err := s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: st.ID}); err != nil {
					t.Fatal(err)
				}
			}
			if login != "" {
				if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: login, StaffID: st.ID, Lang: "ja"}); err != nil {
					t.Fatal(err)
				}
			}
			return st.ID
		}
		person("1", office, "chief_auditor", "chief")
		auditor := person("2", office, "", "")
		person("3", audited, "", "clerk")
		p, _, err := s.Policy.Active(ctx, orgID)
		if err != nil {
			t.Fatal(err)
		}
		crit := audit.Articles(p)[0]
		year := audit.FiscalYear(s.Now())
		d, err := s.Audits.Create(ctx, sys, audit.NewAudit{Title: "住民課の監査", Criteria: []string{crit}, StartsOn: strconv.Itoa(year) + "-05-01",
			EndsOn: strconv.Itoa(year) + "-06-30", Departments: []int64{audited}, Auditors: []int64{auditor}})
		if err != nil {
			t.Fatal(err)
		}
		it, err := s.Audits.AddItem(ctx, sys, d.ID, audit.NewItem{Title: "台帳", Article: crit, Method: "document"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Audits.RecordResult(ctx, sys, d.ID, it.ID, audit.ResultInput{Result: "conforming"}); err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(d.ID, 10)
		if out := mustCLI(t, append([]string{"audit", "list", "--year", strconv.Itoa(year)}, flags...)...); !strings.Contains(out, "住民課の監査") {
			t.Fatalf("list: %s", out)
		}
		if _, _, err := cli(t, append([]string{"audit", "report", id, "--issue", "--intro", "x"}, flags...)...); err == nil {
			t.Fatal("a report issued without --as")
		}
		if _, _, err := cli(t, append([]string{"audit", "report", id, "--issue", "--as", "clerk", "--intro", "は", "--summary", "概", "--opinion", "意"}, flags...)...); err == nil {
			t.Fatal("a clerk issued the report")
		}
		out := mustCLI(t, append([]string{"audit", "report", id, "--issue", "--as", "chief", "--intro", "はじめに本文", "--summary", "概要本文",
			"--opinion", "意見本文"}, flags...)...)
		got, err := s.Audits.Get(ctx, sys, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Report.SHA256 == "" || !strings.Contains(out, got.Report.SHA256) || !strings.Contains(out, "意見本文") {
			t.Fatalf("report: %s", out)
		}
		if out := mustCLI(t, append([]string{"audit", "suggest"}, flags...)...); !strings.Contains(out, "住民課") {
			t.Fatalf("suggest: %s", out)
		}
	})
}
