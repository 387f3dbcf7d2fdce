package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAssetExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)
		o, _ := f.s.Org.First(context.Background())
		if _, err := f.s.Policy.Use(context.Background(), access.System(o.ID, "t"), "kishiwada"); err != nil {
			t.Fatal(err)
		}
		expect(t, b.post("/departments", url.Values{"code": {"100"}, "name": {"総務課"}, "kind": {"section"}}), http.StatusSeeOther)
		dept := lastID(t, b.get("/departments").body, "/departments/")
		expect(t, b.post("/assets", url.Values{"number": {"PC-001"}, "name": {"=HYPERLINK(\"x\")"}, "kind": {"terminal"},
			"department_id": {dept}, "class.importance": {"B"}, "state": {"in_use"}, "quantity": {"1"}}), http.StatusSeeOther)
		r := b.get("/assets/export?format=csv")
		expect(t, r, http.StatusOK, "PC-001")
		if !strings.HasPrefix(r.body, "\ufeff") {
			t.Error("the UTF-8 CSV has no BOM, so Excel would misread it")
		}
		if strings.Contains(r.body, ",=HYPERLINK") || strings.Contains(r.body, "\"=HYPERLINK") {
			t.Errorf("a formula cell was exported as a formula:\n%s", r.body)
		}
		expect(t, b.get("/assets/export?format=pdf"), http.StatusUnprocessableEntity)
		if x := b.get("/assets/export?format=xlsx"); x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
			t.Fatalf("xlsx export: %d", x.status)
		}
	})
}
