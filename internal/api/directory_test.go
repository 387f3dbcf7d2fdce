package api

import (
	"context"
	"net/http"
	"testing"

	"mamori/internal/access"
	"mamori/internal/directory"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestDirectorySettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.svcs.Policy.Use(ctx, access.System(f.orgID, "t"), "kishiwada"); err != nil {
			t.Fatal(err)
		}
		d := decodeAs[org.Department](t, f.do("POST", "/api/v1/departments", f.admin, map[string]any{"code": "100", "name": "総務課", "kind": "section"}), http.StatusCreated)

		st := decodeAs[directory.Settings](t, f.do("GET", "/api/v1/directory-settings", f.admin, nil), http.StatusOK)
		if st.Enabled || st.Version != 0 {
			t.Fatalf("before any save: %+v", st)
		}
		e := apiError(t, f.do("PUT", "/api/v1/directory-settings", f.admin, map[string]any{"version": 0, "enabled": true,
			"department_from": "ou", "departments": []map[string]any{{"value": "総務課", "department_id": d.ID}},
			"groups": []map[string]any{{"group": "admins", "role_id": "no_such_role", "scope": "organization"}}}), http.StatusUnprocessableEntity, "invalid")
		if e.Field != "groups[0].role_id" {
			t.Fatalf("error names %q", e.Field)
		}
		st = decodeAs[directory.Settings](t, f.do("PUT", "/api/v1/directory-settings", f.admin, map[string]any{"version": 0, "enabled": true,
			"department_from": "ou", "departments": []map[string]any{{"value": "総務課", "department_id": d.ID}},
			"groups": []map[string]any{{"group": "csirt", "role_id": "csirt_member", "scope": "organization"}}, "break_glass": []string{"admin"}}), http.StatusOK)
		if !st.Enabled || st.Version != 1 || len(st.Groups) != 1 {
			t.Fatalf("saved %+v", st)
		}
		apiError(t, f.do("PUT", "/api/v1/directory-settings", f.admin, map[string]any{"version": 0, "department_from": "ou"}), http.StatusConflict, "conflict")
		clerk := f.tokenFor("clerk", "ja", false)
		apiError(t, f.do("GET", "/api/v1/directory-settings", clerk, nil), http.StatusForbidden, "forbidden")
	})
}
