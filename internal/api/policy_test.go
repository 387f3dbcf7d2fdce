package api

import (
	"context"
	"net/http"
	"testing"

	"mamori/internal/access"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestPolicyEndpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		apiError(t, f.do("GET", "/api/v1/policy", f.admin, nil), http.StatusNotFound, "not_found")
		if _, err := f.svcs.Policy.Use(context.Background(), access.System(f.orgID, "t"), "kishiwada"); err != nil {
			t.Fatal(err)
		}
		p := decodeAs[policyResponse](t, f.do("GET", "/api/v1/policy", f.admin, nil), http.StatusOK)
		if p.PackID != "kishiwada" || p.Lockout != 3 || len(p.Roles) == 0 || p.Roles[0].Cite.Article == "" || p.Roles[0].HeldBy != "総務部を担任する副市長" {
			t.Fatalf("policy = %+v", p)
		}
		// The role catalogue of the pack now governs assignments made through the API.
		rec := f.do("POST", "/api/v1/role-assignments", f.admin, map[string]any{"role_id": "mayor", "scope": "organization", "holder_staff_id": 1})
		if d := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); d.Field != "role_id" && d.Field != "holder_staff_id" {
			t.Fatalf("field = %q", d.Field)
		}
	})
}
