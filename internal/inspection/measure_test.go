//go:build measure

// The measurement of docs/PERFORMANCE.md §13: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package inspection_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// measureSize is the campaign's size: MAMORI_MEASURE_DEPTS departments × MAMORI_MEASURE_ITEMS
// items, 300 × 200 by default.
func measureSize(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// measurePack is an organisation's own pack of two roles — the CISO and a department's
// 情報セキュリティ管理者 — and items of the manager's role, their articles spread over twelve
// chapters.
func measurePack(items int) string {
	var b strings.Builder
	b.WriteString("id: measure\nname: 計測用\norganization: 計測市\nkind: municipality\nversion: \"1\"\nbasis: 計測\n")
	b.WriteString("roles:\n  - {id: ciso, name: CISO, held_by: 副市長, scope: organization, security: true, cite: {article: \"1\", origin: added, reason: 計測}}\n")
	b.WriteString("  - {id: security_manager, name: 情報セキュリティ管理者, held_by: 課長, scope: department, security: true, cite: {article: \"1\", origin: added, reason: 計測}}\n")
	b.WriteString("incident:\n  plan_approved_by: ciso\ninspections:\n")
	for i := 1; i <= items; i++ {
		fmt.Fprintf(&b, "  - {id: q%d, role: security_manager, question: 点検項目%d, cite: {article: \"第2章 %d(%d)\", origin: added, reason: 計測}}\n", i, i, 1+i%12, i)
	}
	return b.String()
}

func TestMeasureInspection(t *testing.T) {
	depts, items := measureSize("MAMORI_MEASURE_DEPTS", 300), measureSize("MAMORI_MEASURE_ITEMS", 200)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, func() time.Time { return time.Date(2026, 5, 1, 1, 0, 0, 0, time.UTC) })
		first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "m", OrgName: "計測市"})
		must(t, err)
		sys := access.System(first.Org.ID, "measure")
		_, err = s.Policy.Load(ctx, sys, "measure.yaml", []byte(measurePack(items)))
		must(t, err)
		setup := time.Now()
		for i := range depts {
			d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: fmt.Sprint(1000 + i), Name: fmt.Sprintf("第%d課", i+1), Kind: "section", Active: true})
			must(t, err)
			st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: d.ID, EmployeeNo: fmt.Sprint(5000 + i), Name: fmt.Sprintf("課長%d", i+1), Employment: "regular", Active: true})
			must(t, err)
			_, err = s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: "security_manager", Scope: "department", DepartmentID: d.ID, HolderStaffID: st.ID})
			must(t, err)
		}
		t.Logf("setup of %d departments: %v", depts, time.Since(setup))

		t0 := time.Now()
		c, err := s.Inspections.Start(ctx, sys, inspection.NewCampaign{FiscalYear: 2026, Title: "計測", Deadline: "2026-06-30"})
		must(t, err)
		open := time.Since(t0)
		if c.Sheets != depts || c.Items != items {
			t.Fatalf("campaign %+v", c)
		}
		pr, err := s.Inspections.Campaign(ctx, sys, c.ID)
		must(t, err)
		var perSheet []time.Duration
		t0 = time.Now()
		for i, sh := range pr.Sheets {
			given := make([]inspection.Given, items)
			for j := range given {
				given[j] = inspection.Given{Seq: j + 1, Answer: inspection.Answers[(i+j)%4]}
				if given[j].Answer == inspection.NotDone || given[j].Answer == inspection.Partial {
					given[j].Comment = "対応中"
				}
			}
			t1 := time.Now()
			_, err := s.Inspections.Save(ctx, sys, c.ID, sh.ID, given)
			must(t, err)
			perSheet = append(perSheet, time.Since(t1))
		}
		answering := time.Since(t0)
		var n int
		must(t, db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM inspection_answers`).Scan(&n))
		if n != depts*items {
			t.Fatalf("%d answers", n)
		}

		var progress, results, export, read []time.Duration
		for range 5 {
			t1 := time.Now()
			_, err := s.Inspections.Campaign(ctx, sys, c.ID)
			must(t, err)
			progress = append(progress, time.Since(t1))
			t1 = time.Now()
			r, err := s.Inspections.Results(ctx, sys, c.ID)
			must(t, err)
			results = append(results, time.Since(t1))
			if len(r.Rows) != depts || len(r.Chapters) != 12 {
				t.Fatalf("results: %d rows, %d chapters", len(r.Rows), len(r.Chapters))
			}
			t1 = time.Now()
			tab, err := s.Inspections.AnswersTable(ctx, sys, c.ID, i18n.Ja)
			must(t, err)
			must(t, tab.Rows(func([]any) error { return nil }))
			read = append(read, time.Since(t1))
			t1 = time.Now()
			cw := &countWriter{}
			must(t, inspection.WriteXLSX(cw, tab))
			export = append(export, time.Since(t1))
			if cw.n < n*30 {
				t.Fatalf("xlsx of %d bytes", cw.n)
			}
		}
		t.Logf("MEASURE engine=%s depts=%d items=%d answers=%d", db.Engine, depts, items, n)
		t.Logf("MEASURE start (open) the campaign: %v", open)
		t.Logf("MEASURE save one full sheet (%d answers): median %v, p90 %v; all %d sheets %v", items, median(perSheet), p90(perSheet), depts, answering)
		t.Logf("MEASURE progress by department: median %v", median(progress))
		t.Logf("MEASURE aggregate by department × chapter: median %v (min %v)", median(results), slices.Min(results))
		t.Logf("MEASURE export %d answers as xlsx: median %v (min %v); reading the rows alone: median %v", n, median(export), slices.Min(export), median(read))
	})
}

type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func p90(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)*9/10]
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
