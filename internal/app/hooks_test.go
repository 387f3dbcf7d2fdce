package app_test

import (
	"context"
	"database/sql"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// Two sets of services in one process, over two databases, keep their hooks apart: a hook set
// on one register runs for its writes and changes of state only, never for the other's.
func TestHooksStayWithTheirServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		other := storetest.SQLite(t)
		if db.Engine == store.Postgres {
			other = storetest.Postgres(t)
		}
		a, adminA, deptA := hooked(t, db)
		b, adminB, deptB := hooked(t, other)

		var writes, states int
		a.Assets.AfterWrite(func(context.Context, *sql.Tx, access.Actor, *policy.Compiled, []asset.Asset, []int64) error {
			writes++
			return nil
		})
		a.Assets.OnStateChange(func(context.Context, *sql.Tx, access.Actor, asset.Asset) error {
			states++
			return nil
		})

		dispose := func(s *app.Services, who access.Actor, dept int64) {
			t.Helper()
			made, err := s.Assets.Create(ctx, who, asset.Input{Number: "SV-001", Name: "基幹サーバ", Kind: "server", DepartmentID: dept,
				Class: map[string]string{"importance": "II"}, Location: "サーバ室",
				Attrs: map[string]any{"critical_server": true, "redundant": false}})
			if err != nil {
				t.Fatal(err)
			}
			err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
				_, err := s.Assets.ChangeState(ctx, tx, who, now, made.ID, "disposed", "2026-04-01")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		dispose(b, adminB, deptB)
		if writes != 0 || states != 0 {
			t.Fatalf("the other services' register ran this one's hooks: %d writes, %d changes of state", writes, states)
		}
		dispose(a, adminA, deptA)
		if writes != 1 || states != 1 {
			t.Fatalf("own register ran its hooks %d and %d times, want 1 and 1", writes, states)
		}
		// The compliance hooks set by app.New still run on each register: the disposed asset's
		// findings are closed in both databases.
		for _, d := range []*store.DB{db, other} {
			if n := count(t, d, `SELECT count(*) FROM compliance_findings WHERE closed_at IS NULL`); n != 0 {
				t.Fatalf("%d findings of a disposed asset open", n)
			}
			if n := count(t, d, `SELECT count(*) FROM compliance_findings WHERE close_reason = 'disposed'`); n == 0 {
				t.Fatal("no finding closed as disposed")
			}
		}
	})
}

// hooked builds the services over db with an organisation bound to a pack and one department.
func hooked(t *testing.T, db *store.DB) (*app.Services, access.Actor, int64) {
	t.Helper()
	s := app.New(db, cheap, clock)
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "t", OrgName: "テスト町", PackID: "koge"})
	if err != nil {
		t.Fatal(err)
	}
	admin := access.System(first.Org.ID, "test")
	d, err := s.Org.CreateDepartment(ctx, admin, org.DepartmentInput{Code: "A", Name: "総務課", Kind: "section"})
	if err != nil {
		t.Fatal(err)
	}
	return s, admin, d.ID
}
