package web

import (
	"net/http"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAuditPageShowsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)
		expect(t, b.get("/audit"), http.StatusOK, "改ざんなし", "最終の全件検証")
		expect(t, b.post("/audit/verify", nil), http.StatusSeeOther, "/audit")
		expect(t, b.get("/audit"), http.StatusOK, "全件の検証が完了しました")
		if _, err := db.SQL.Exec(`UPDATE audit_entries SET actor = 'someone' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		expect(t, b.post("/audit/verify", nil), http.StatusSeeOther, "/audit")
		expect(t, b.get("/audit"), http.StatusOK, "改ざんを検知", "第2項目以降")
	})
}
