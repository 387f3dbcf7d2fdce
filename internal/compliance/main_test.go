package compliance_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apptest"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/compliance"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is an organisation on one pack with two departments, a clerk in the first, and a holder
// of every organisation-wide role of the pack.
type env struct {
	*apptest.Env
	clerk   access.Actor
	holders map[string]access.Actor // by role id
}

func newEnv(t testing.TB, db *store.DB, packID string) *env {
	t.Helper()
	orgWide := func(r policy.Role) bool { return r.Scope == "organization" }
	e := &env{Env: apptest.New(t, db, packID, apptest.Options{Roles: orgWide}), holders: map[string]access.Actor{}}
	for _, r := range e.P.Roles {
		if orgWide(r) {
			e.holders[r.ID] = e.Holder(r.ID + "@org")
		}
	}
	e.clerk = e.Person("職員A", e.DeptA)
	return e
}

// server is 上毛町's critical server input; redundant says whether it is mirrored (rule
// critical-server-redundant, 第2章 4(1)②).
func (e *env) server(number string, redundant bool) asset.Input {
	return asset.Input{Number: number, Name: "基幹サーバ", Kind: "server", DepartmentID: e.DeptA, ManagerStaffID: e.clerk.StaffID,
		Class: map[string]string{"importance": "II"}, Location: "サーバ室",
		Attrs: map[string]any{"critical_server": true, "redundant": redundant}}
}

// open returns the asset's open findings by rule id.
func (e *env) open(assetID int64) map[string]compliance.Finding {
	e.T.Helper()
	list, err := e.S.Compliance.AssetFindings(context.Background(), e.Admin, assetID)
	if err != nil {
		e.T.Fatal(err)
	}
	out := map[string]compliance.Finding{}
	for _, f := range list {
		if f.Open() {
			out[f.RuleID] = f.Finding
		}
	}
	return out
}

func (e *env) count(query string, args ...any) int {
	e.T.Helper()
	var n int
	if err := e.S.DB.SQL.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		e.T.Fatal(err)
	}
	return n
}

// bare is an organisation on a pack with nothing else yet (for the demo).
func bare(t testing.TB, db *store.DB, packID string) (*app.Services, int64, *policy.Compiled) {
	t.Helper()
	ctx := context.Background()
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "demo", OrgName: "デモ町", PackID: packID})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := s.Policy.Active(ctx, first.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s, first.Org.ID, p
}
