package compliance_test

import (
	"context"
	"database/sql"
	"errors"
	"iter"
	"testing"
	"time"

	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

const redundantRule = "critical-server-redundant"

func TestWriteOpensAndClosesFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")

		a, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-001", false))
		if err != nil {
			t.Fatal(err)
		}
		f, ok := e.open(a.ID)[redundantRule]
		if !ok {
			t.Fatalf("a critical server without redundancy has no finding: %v", e.open(a.ID))
		}
		if f.Severity != "high" || f.Article != "第2章 4(1)②" || f.Quote == "" || f.AssetNumber != "SV-001" ||
			f.DepartmentID != e.DeptA || f.DepartmentName != "総務課" || f.Values["attrs.redundant"] != false ||
			f.Values["attrs.critical_server"] != true || f.Values["kind"] != "server" || !f.FirstSeen.Equal(e.Clock.T) {
			t.Fatalf("finding %+v", f)
		}

		// Moving it to another department moves the finding with it; it stays one finding.
		in := e.server("SV-001", false)
		in.DepartmentID = e.DeptB
		if _, err := e.S.Assets.Update(ctx, e.Admin, a.ID, in); err != nil {
			t.Fatal(err)
		}
		if g := e.open(a.ID)[redundantRule]; g.ID != f.ID || g.DepartmentID != e.DeptB {
			t.Fatalf("after the move %+v", g)
		}

		e.Clock.T = e.Clock.T.Add(time.Hour)
		if _, err := e.S.Assets.Update(ctx, e.Admin, a.ID, e.server("SV-001", true)); err != nil {
			t.Fatal(err)
		}
		if _, still := e.open(a.ID)[redundantRule]; still {
			t.Fatal("the finding stays open after the server was made redundant")
		}
		all, err := e.S.Compliance.AssetFindings(ctx, e.Admin, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var closed bool
		for _, g := range all {
			if g.ID == f.ID {
				closed = g.ClosedAt != nil && g.ClosedAt.Equal(e.Clock.T) && g.CloseReason == "passed" && len(g.Events) >= 2 &&
					g.Events[0].Action == "opened" && g.Events[len(g.Events)-1].Action == "closed"
			}
		}
		if !closed {
			t.Fatalf("closed finding and its history not kept: %+v", all)
		}

		// Breaking it again opens a new finding; the old one stays closed.
		if _, err := e.S.Assets.Update(ctx, e.Admin, a.ID, e.server("SV-001", false)); err != nil {
			t.Fatal(err)
		}
		if g := e.open(a.ID)[redundantRule]; g.ID == 0 || g.ID == f.ID {
			t.Fatalf("reopened finding %+v (first %d)", g, f.ID)
		}

		// Deleting the asset closes its findings.
		if err := e.S.Assets.Delete(ctx, e.Admin, a.ID); err != nil {
			t.Fatal(err)
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings WHERE asset_id = $1 AND closed_at IS NULL`, a.ID); n != 0 {
			t.Fatalf("%d findings of a deleted asset open", n)
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings WHERE asset_id = $1 AND close_reason = 'deleted'`, a.ID); n == 0 {
			t.Fatal("no finding closed as deleted")
		}
	})
}

// A write that rolls back leaves no finding: the check runs in the write's own transaction.
func TestRolledBackWriteLeavesNoFinding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		// The second row of an import is refused: the first, which breaks a rule, is not kept,
		// nor its finding.
		rows := iter.Seq2[asset.Input, error](func(yield func(asset.Input, error) bool) {
			if !yield(e.server("SV-010", false), nil) {
				return
			}
			yield(asset.Input{}, errors.New("the sheet ends badly"))
		})
		if _, err := e.S.Assets.CreateMany(ctx, e.Admin, rows); err == nil {
			t.Fatal("the import went through")
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings`); n != 0 {
			t.Fatalf("%d findings left by a rolled-back import", n)
		}
		// A duplicate number is refused after the asset row was tried: nothing either.
		if _, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-011", false)); err != nil {
			t.Fatal(err)
		}
		before := e.count(`SELECT count(*) FROM compliance_findings`)
		if _, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-011", false)); err == nil {
			t.Fatal("a duplicate number was taken")
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings`); n != before {
			t.Fatalf("findings %d → %d after a refused write", before, n)
		}
		// An import that goes through is checked asset by asset.
		good := iter.Seq2[asset.Input, error](func(yield func(asset.Input, error) bool) {
			for _, in := range []asset.Input{e.server("SV-020", false), e.server("SV-021", true)} {
				if !yield(in, nil) {
					return
				}
			}
		})
		if _, err := e.S.Assets.CreateMany(ctx, e.Admin, good); err != nil {
			t.Fatal(err)
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings WHERE asset_number = 'SV-020' AND rule_id = $1 AND closed_at IS NULL`, redundantRule); n != 1 {
			t.Fatalf("imported SV-020 has %d findings of %s", n, redundantRule)
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings WHERE asset_number = 'SV-021' AND rule_id = $1`, redundantRule); n != 0 {
			t.Fatalf("imported SV-021 (redundant) has %d findings of %s", n, redundantRule)
		}
	})
}

// Disposing of an asset through a request (the register's ChangeState) closes its findings.
func TestDisposalClosesFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		a, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-030", false))
		if err != nil {
			t.Fatal(err)
		}
		err = e.S.DB.InTx(ctx, func(tx *sql.Tx) error {
			_, err := e.S.Assets.ChangeState(ctx, tx, e.Admin, e.Clock.T, a.ID, "disposed", "2026-04-01")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings WHERE asset_id = $1 AND closed_at IS NULL`, a.ID); n != 0 {
			t.Fatalf("%d findings of a disposed asset open", n)
		}
		if n := e.count(`SELECT count(*) FROM compliance_findings WHERE asset_id = $1 AND close_reason = 'disposed'`, a.ID); n == 0 {
			t.Fatal("no finding closed as disposed")
		}
	})
}
