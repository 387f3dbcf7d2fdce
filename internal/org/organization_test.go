package org_test

import (
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		system := access.System(0, "system")

		t.Run("creation starts the audit chain with its own entry", func(t *testing.T) {
			o, err := e.org.Organization(ctx, e.orgID)
			if err != nil || o.Code != "kishiwada" || o.Kind != "municipality" || o.LockoutAfterFailures != org.DefaultLockoutAfterFailures ||
				!o.CreatedAt.Equal(now) {
				t.Fatalf("organisation = %+v, %v", o, err)
			}
			created := e.entries(t, e.orgID, "organization.create")
			if len(created) != 1 || created[0].Seq != 1 || created[0].Actor != "system" || created[0].EntityID != itoa(e.orgID) {
				t.Fatalf("audit = %+v", created)
			}
			e.verifyChain(t, e.orgID)
			first, err := e.org.First(ctx)
			if err != nil || first.ID != e.orgID {
				t.Fatalf("first = %+v, %v", first, err)
			}
		})

		t.Run("only the system creates organisations", func(t *testing.T) {
			_, err := e.org.CreateOrganization(ctx, e.admin, org.NewOrganization{Code: "x", Name: "x"})
			wantCode(t, err, apperr.Forbidden)
		})

		t.Run("invalid input names the field", func(t *testing.T) {
			for _, c := range []struct {
				in         org.NewOrganization
				field, key string
			}{
				{org.NewOrganization{Code: "", Name: "x"}, "code", "error.required"},
				{org.NewOrganization{Code: "a b", Name: "x"}, "code", "org.error.code_chars"},
				{org.NewOrganization{Code: strings.Repeat("c", 65), Name: "x"}, "code", "error.too_long"},
				{org.NewOrganization{Code: "x", Name: " "}, "name", "error.required"},
				{org.NewOrganization{Code: "x", Name: "x", Kind: "village"}, "kind", "org.error.kind"},
				{org.NewOrganization{Code: "kishiwada", Name: "二つ目"}, "code", "org.error.code_taken"},
			} {
				_, err := e.org.CreateOrganization(ctx, system, c.in)
				wantField(t, err, c.field, c.key)
			}
			if n := e.count(t, `SELECT count(*) FROM organizations`); n != 1 {
				t.Fatalf("%d organisations", n)
			}
			if n := e.count(t, `SELECT count(*) FROM audit_heads`); n != 1 {
				t.Fatalf("%d audit chains", n)
			}
		})

		t.Run("an unknown organisation is not found", func(t *testing.T) {
			_, err := e.org.Organization(ctx, 999999)
			wantCode(t, err, apperr.NotFound)
		})

		t.Run("a board of education has its own chain", func(t *testing.T) {
			o, err := e.org.CreateOrganization(ctx, system, org.NewOrganization{Code: "kishiwada-boe", Name: "岸和田市教育委員会", Kind: "board_of_education"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := auditlog.Verify(ctx, db.SQL, o.ID)
			if err != nil || !r.OK() || r.Entries != 1 {
				t.Fatalf("report = %+v, %v", r, err)
			}
		})
	})
}
