package org_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

var now = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

// env is one organisation on a fresh database, with an administrator and an ordinary clerk.
type env struct {
	db    *store.DB
	org   *org.Service
	orgID int64
	admin access.Actor
	clerk access.Actor
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	s := &org.Service{DB: db, Now: func() time.Time { return now }}
	o, err := s.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: "kishiwada", Name: "岸和田市"})
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	return &env{db: db, org: s, orgID: o.ID,
		admin: access.Actor{OrgID: o.ID, UserID: 1, Login: "admin", PlatformAdmin: true},
		clerk: access.Actor{OrgID: o.ID, UserID: 2, Login: "clerk"}}
}

// otherOrg creates a second organisation and returns its administrator.
func (e *env) otherOrg(t *testing.T, code string) access.Actor {
	t.Helper()
	o, err := e.org.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: code, Name: "隣の町 " + code})
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{OrgID: o.ID, UserID: 1, Login: "admin", PlatformAdmin: true}
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.SQL.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// entries returns the organisation's audit entries with action, newest first.
func (e *env) entries(t *testing.T, orgID int64, action string) []auditlog.Entry {
	t.Helper()
	out, _, err := (&auditlog.Service{DB: e.db}).List(ctx, access.System(orgID, "system"), auditlog.Filter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) verifyChain(t *testing.T, orgID int64) {
	t.Helper()
	r, err := auditlog.Verify(ctx, e.db.SQL, orgID)
	if err != nil || !r.OK() {
		t.Fatalf("audit chain: %+v, %v", r.Problem, err)
	}
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error = %v (code %q), want %q", err, got, code)
	}
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	wantCode(t, err, apperr.Invalid)
	for _, f := range apperr.As(err).Fields {
		if f.Field == field && (key == "" || f.Key == key) {
			return
		}
	}
	t.Fatalf("error %v does not name field %s with %s", err, field, key)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
