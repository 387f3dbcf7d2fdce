package org_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMovesBetweenReadsTheDaysAsked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		var orgID, deptID, staffID int64
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(db.SQL.QueryRowContext(ctx, `INSERT INTO organizations (code, name, kind, pack_id, created_at) VALUES ('m', '町', 'municipality', 'koge', $1) RETURNING id`, now).Scan(&orgID))
		must(db.SQL.QueryRowContext(ctx, `INSERT INTO departments (org_id, code, name, kind, created_at) VALUES ($1, 'd', '総務課', 'section', $2) RETURNING id`, orgID, now).Scan(&deptID))
		must(db.SQL.QueryRowContext(ctx, `INSERT INTO staff (org_id, department_id, employee_no, name, employment, created_at) VALUES ($1, $2, '1', '山田', 'regular', $3) RETURNING id`, orgID, deptID, now).Scan(&staffID))
		for _, day := range []string{"2026-03-31", "2026-04-01", "2027-04-01"} {
			_, err := db.SQL.ExecContext(ctx, `INSERT INTO staff_moves (org_id, staff_id, kind, to_department_id, effective_on, created_at) VALUES ($1, $2, 'transfer', $3, $4, $5)`,
				orgID, staffID, deptID, day, now)
			must(err)
		}
		got, err := org.MovesBetween(ctx, db.SQL, orgID, "2026-04-01", "2027-03-31")
		must(err)
		if len(got) != 1 || got[0].EffectiveOn != "2026-04-01" || got[0].ToDepartmentID != deptID || got[0].Kind != org.MoveTransfer {
			t.Fatalf("moves of 令和8年度 = %+v, want the one of 2026-04-01", got)
		}
		all, err := org.MovesBetween(ctx, db.SQL, orgID, "", "")
		must(err)
		if len(all) != 3 || all[0].EffectiveOn != "2026-03-31" || all[2].EffectiveOn != "2027-04-01" {
			t.Fatalf("all moves = %+v, want three oldest first", all)
		}
	})
}
