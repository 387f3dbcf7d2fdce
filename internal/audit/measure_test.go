//go:build measure

// The measurement of docs/PERFORMANCE.md §14: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package audit_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/audit"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestMeasureAudits: a fiscal year in which 300 departments are audited, one audit each, with
// 10 items and results, 2 findings and a corrective action per audit, on both engines: the time
// to record it, to list the year, to export it as xlsx, to open one audit and to issue its
// report, and to issue all 300 reports.
func TestMeasureAudits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := apptest.New(t, db, "kishiwada", apptest.Options{Marks: true, Roles: func(r policy.Role) bool { return r.ID == "audit_chief" }})
		chief := e.Holder("audit_chief@org")
		auditor := e.Actor(e.Person("監査人", e.DeptA))
		s := e.S.Audits
		crit := audit.Articles(e.P)[:3]
		const n = 300
		start := time.Now()
		var ids []int64
		for i := 0; i < n; i++ {
			d, err := e.S.Org.CreateDepartment(ctx, e.Admin, org.DepartmentInput{Code: fmt.Sprintf("M%03d", i), Name: fmt.Sprintf("課%03d", i), Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			owner := e.Person(fmt.Sprintf("担当%03d", i), d.ID)
			a, err := s.Create(ctx, chief, audit.NewAudit{Title: fmt.Sprintf("課%03dの監査", i), Criteria: crit, StartsOn: "2026-05-01", EndsOn: "2027-03-31",
				Departments: []int64{d.ID}, Auditors: []int64{auditor.StaffID}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
			for j := 0; j < 10; j++ {
				it, err := s.AddItem(ctx, auditor, a.ID, audit.NewItem{Title: fmt.Sprintf("項目%d", j), Article: crit[j%3], Method: audit.Methods[j%3]})
				if err != nil {
					t.Fatal(err)
				}
				res := "conforming"
				if j < 2 {
					res = "minor"
				}
				if _, err := s.RecordResult(ctx, auditor, a.ID, it.ID, audit.ResultInput{Result: res, Note: "所見"}); err != nil {
					t.Fatal(err)
				}
				if j < 2 {
					f, err := s.AddFinding(ctx, auditor, a.ID, audit.NewFinding{ItemID: it.ID, Title: "指摘", RootCause: "原因"})
					if err != nil {
						t.Fatal(err)
					}
					if j == 0 {
						if _, err := s.PlanAction(ctx, access.System(e.Org, "test"), a.ID, f.ID, audit.NewAction{Plan: "是正", OwnerStaffID: owner.StaffID,
							DueOn: "2026-09-30"}); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		}
		record := time.Since(start)
		timeIt := func(what string, fn func() error) time.Duration {
			t.Helper()
			best := time.Duration(1 << 62)
			for k := 0; k < 5; k++ {
				s := time.Now()
				if err := fn(); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				best = min(best, time.Since(s))
			}
			return best
		}
		list := timeIt("list", func() error {
			l, err := s.List(ctx, chief, 2026)
			if err == nil && len(l) != n {
				err = fmt.Errorf("%d audits", len(l))
			}
			return err
		})
		export := timeIt("export", func() error { return s.Export(ctx, chief, 2026, "ja", io.Discard) })
		open := timeIt("open", func() error { _, err := s.Get(ctx, chief, ids[n/2]); return err })
		in := audit.ReportInput{Intro: "はじめに", Summary: "概要", Opinion: "意見"}
		s1 := time.Now()
		if _, err := s.IssueReport(ctx, chief, ids[0], in); err != nil {
			t.Fatal(err)
		}
		one := time.Since(s1)
		s2 := time.Now()
		for _, id := range ids[1:] {
			if _, err := s.IssueReport(ctx, chief, id, in); err != nil {
				t.Fatal(err)
			}
		}
		all := time.Since(s2)
		t.Logf("%s: record %d audits (3,000 items, 600 findings, 300 actions) %v; list the year %v; export xlsx %v; open one audit %v; issue one report %v; issue the other %d %v (%v each)",
			db.Engine, n, record.Round(time.Millisecond), list.Round(time.Microsecond), export.Round(time.Millisecond), open.Round(time.Microsecond),
			one.Round(time.Microsecond), n-1, all.Round(time.Millisecond), (all / time.Duration(n-1)).Round(time.Microsecond))
		e.VerifyAudit()
	})
}
