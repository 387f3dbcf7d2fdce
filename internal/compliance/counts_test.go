package compliance_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// The open counts kept by department and severity equal a count of the open findings after
// every kind of write that opens, changes, closes, suppresses or reopens a finding.
func TestOpenCountsFollowEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		cells := func(query string) []string {
			t.Helper()
			rows, err := db.SQL.QueryContext(ctx, query, e.Org)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var dept, rank, n int64
				if err := rows.Scan(&dept, &rank, &n); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%d/%d:%d", dept, rank, n))
			}
			slices.Sort(out)
			return out
		}
		check := func(step string) []string {
			t.Helper()
			kept := cells(`SELECT department_id, severity_rank, open FROM compliance_open_counts WHERE org_id = $1 AND open <> 0`)
			counted := cells(`SELECT COALESCE(department_id, 0), severity_rank, count(*) FROM compliance_findings
				WHERE org_id = $1 AND closed_at IS NULL AND suppressed_by IS NULL GROUP BY COALESCE(department_id, 0), severity_rank`)
			if !slices.Equal(kept, counted) {
				t.Fatalf("after %s: kept %v, counted %v", step, kept, counted)
			}
			return kept
		}
		if got := check("nothing"); len(got) != 0 {
			t.Fatalf("counts of an empty register: %v", got)
		}
		sv, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-400", false))
		if err != nil {
			t.Fatal(err)
		}
		other, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-401", false))
		if err != nil {
			t.Fatal(err)
		}
		if got := check("a write opens findings"); len(got) == 0 {
			t.Fatal("no open finding counted after two failing servers")
		}
		// An exception approved suppresses SV-400's finding.
		r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: exceptionKind, Fields: exceptionFields(redundantRule, "SV-400", "2026-04-30")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Requests.Decide(ctx, e.holders["ciso"], r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		check("an exception suppresses")
		// Passing closes the suppressed finding; failing again opens one suppressed at once.
		if _, err := e.S.Assets.Update(ctx, e.Admin, sv.ID, e.server("SV-400", true)); err != nil {
			t.Fatal(err)
		}
		check("a suppressed finding closes")
		if _, err := e.S.Assets.Update(ctx, e.Admin, sv.ID, e.server("SV-400", false)); err != nil {
			t.Fatal(err)
		}
		check("a covered finding opens")
		// Another department: the open finding changes department.
		moved := e.server("SV-401", false)
		moved.DepartmentID = e.DeptB
		if _, err := e.S.Assets.Update(ctx, e.Admin, other.ID, moved); err != nil {
			t.Fatal(err)
		}
		check("a finding changes department")
		if _, err := e.S.Compliance.Run(ctx, e.Admin); err != nil {
			t.Fatal(err)
		}
		check("a sweep")
		// The exception ends: SV-400's finding counts again.
		e.Clock.T = e.Clock.T.AddDate(0, 1, 1)
		if ended, err := e.S.Compliance.Expire(ctx); err != nil || len(ended) != 1 || ended[0].Reopened != 1 {
			t.Fatalf("expire %+v %v", ended, err)
		}
		check("an exception ends")
		err = db.InTx(ctx, func(tx *sql.Tx) error {
			_, err := e.S.Assets.ChangeState(ctx, tx, e.Admin, e.Clock.T, sv.ID, "disposed", "2026-05-02")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		check("a disposal closes")
		if err := e.S.Assets.Delete(ctx, e.Admin, other.ID); err != nil {
			t.Fatal(err)
		}
		check("a deletion closes")
		if _, err := e.S.Compliance.Run(ctx, e.Admin); err != nil {
			t.Fatal(err)
		}
		if got := check("a last sweep"); len(got) != 0 {
			t.Fatalf("open counts left with no open finding: %v", got)
		}
	})
}
