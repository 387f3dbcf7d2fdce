package api

import (
	"net/http"
	"strings"
	"testing"

	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// Deleting an asset that a request names failed on the foreign key and answered 500.
func TestDeletingAnAssetARequestNamesIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestAPI(t, db)
		r := decodeAs[request.Request](t, f.do("POST", "/api/v1/requests", f.tokens["ichiro"], f.sendBody()), http.StatusCreated)
		path := "/api/v1/assets/" + itoa64(f.pc)

		e := apiError(t, f.do("DELETE", path, f.tokens["kacho"], nil), http.StatusConflict, "conflict")
		if !strings.Contains(e.Message, "申請 #"+itoa64(r.ID)) {
			t.Fatalf("message %q does not name request #%d", e.Message, r.ID)
		}
		if rec := f.do("GET", path, f.tokens["kacho"], nil); rec.Code != http.StatusOK {
			t.Fatalf("the asset is gone: %d", rec.Code)
		}
		var deletes int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM audit_entries WHERE action = 'asset.delete'`).Scan(&deletes); err != nil || deletes != 0 {
			t.Fatalf("%d delete entries in the audit log (%v)", deletes, err)
		}
	})
}
