package auditlog_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestSignInSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var orgID int64
		at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, `INSERT INTO organizations (code, name, created_at) VALUES ('o', 'o', $1) RETURNING id`, at).Scan(&orgID); err != nil {
				return err
			}
			return auditlog.Start(ctx, tx, orgID)
		})
		if err != nil {
			t.Fatal(err)
		}
		who := access.Actor{OrgID: orgID, UserID: 7, Login: "tanaka", RemoteAddr: "192.0.2.1"}
		other := access.Actor{OrgID: orgID, UserID: 8, Login: "suzuki"}
		record := func(a access.Actor, action string) {
			at = at.Add(time.Minute)
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				_, err := auditlog.Append(ctx, tx, a, at, auditlog.Event{Entity: "user", EntityID: a.UserID, Action: action})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		s := &auditlog.Service{DB: db}

		record(who, "auth.login")
		sum, err := s.SignIns(ctx, who)
		if err != nil || sum.Previous != nil || sum.FailuresSince != 0 {
			t.Fatalf("first sign-in: %+v %v", sum, err)
		}
		record(who, "auth.logout")
		record(who, "auth.login_failed")
		record(other, "auth.login_failed")
		record(who, "auth.login_failed")
		record(who, "auth.login")
		sum, err = s.SignIns(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Previous == nil || sum.Previous.Seq != 1 || sum.Previous.RemoteAddr != "192.0.2.1" {
			t.Fatalf("previous sign-in = %+v", sum.Previous)
		}
		if sum.FailuresSince != 2 || sum.LastFailure == nil || sum.LastFailure.Seq != 5 {
			t.Fatalf("failures = %d, last %+v; want 2, the 5th entry (another user's do not count)", sum.FailuresSince, sum.LastFailure)
		}
	})
}
