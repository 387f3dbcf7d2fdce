package sysaccount_test

import (
	"context"
	"strconv"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

// newEnv is an organisation on 岸和田市's pack with its ネットワーク管理者, the 情報システム管理者
// of SYS1 and the 所属長 of both departments, and the register's systems SYS1 and SYS2.
func newEnv(t *testing.T, db *store.DB) *apptest.Env {
	t.Helper()
	e := apptest.New(t, db, "kishiwada", apptest.Options{Marks: true, Roles: func(r policy.Role) bool {
		return r.ID == "network_admin" || r.ID == "system_admin" || r.ID == "security_manager" || r.ID == "ciso" || r.ID == "audit_chief"
	}})
	for i, ref := range []string{"SYS1", "SYS2"} {
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, system_ref, created_at, updated_at)
			VALUES ($1, $2, $3, 'system', $4, $5, $6, $6)`, e.Org, "SYS-"+ref, "システム"+ref, e.DeptA, ref, e.Clock.T); err != nil {
			t.Fatal(err)
		}
		_ = i
	}
	return e
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("error %v, want invalid %s", err, field)
	}
	for _, f := range apperr.As(err).Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name %s", err, field)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
