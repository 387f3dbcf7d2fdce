package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAssetHighestClassDetails: an asset of the highest class (重要度A) of 総務課 shows its
// details to 総務課's staff, the security roles and auditors; the administrator's token and a
// role that is not about security get it restricted, with none of its details in the body.
func TestAssetHighestClassDetails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		secret := f.create(with(assetBody("SECRET-1", f.soumu, "A"), "name", "機密の住民情報サーバ", "location", "機密の部屋",
			"note", "機密の備考", "attrs", map[string]any{"mfa": true}))
		network := f.person("network", f.zeimu, &org.RoleAssignment{RoleID: "network_admin", Scope: "organization"})
		path := "/api/v1/assets/" + itoa64(secret.ID)

		for name, token := range map[string]string{"clerk of 総務課": f.clerk, "manager of 総務課": f.manager, "auditor": f.auditor, "CISO": f.ciso} {
			t.Run(name+" reads the details", func(t *testing.T) {
				if got := f.get(token, secret.ID); got.Restricted || got.Name != "機密の住民情報サーバ" || got.Attrs["mfa"] != true {
					t.Fatalf("got %+v", got)
				}
			})
		}
		for i, token := range []string{f.admin, network} {
			t.Run([]string{"administrator", "ネットワーク管理者"}[i]+" gets it restricted and cannot change it", func(t *testing.T) {
				for _, rec := range []string{f.do("GET", path, token, nil).Body.String(),
					f.do("GET", "/api/v1/assets", token, nil).Body.String(),
					f.do("POST", "/api/v1/assets", token, with(assetBody("SECRET-N"+itoa64(int64(i)), f.soumu, "A"), "name", "機密の新規")).Body.String()} {
					if strings.Contains(rec, "機密") || !strings.Contains(rec, `"restricted":true`) || !strings.Contains(rec, `"name":""`) {
						t.Fatalf("body: %s", rec)
					}
				}
				got := f.get(token, secret.ID)
				if got.Number != "SECRET-1" || got.Kind != "terminal" || got.Class["importance"] != "A" || got.DepartmentName != "総務課" || got.State != "in_use" {
					t.Fatalf("restricted asset lost what may be shown: %+v", got)
				}
				apiError(t, f.do("PUT", path, token, assetBody("SECRET-1", f.soumu, "A")), http.StatusForbidden, "forbidden")
				apiError(t, f.do("DELETE", path, token, nil), http.StatusForbidden, "forbidden")
				l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets?q="+url.QueryEscape("住民情報"), token, nil), http.StatusOK)
				if l.Total != 0 {
					t.Fatalf("a word of the hidden name finds %v", numbers(l))
				}
				l = decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets?attr.mfa=true", token, nil), http.StatusOK)
				if slices.Contains(numbers(l), "SECRET-1") {
					t.Fatal("a hidden attribute finds the asset")
				}
			})
		}
		t.Run("the auditor changes nothing", func(t *testing.T) {
			apiError(t, f.do("PUT", path, f.auditor, assetBody("SECRET-1", f.soumu, "A")), http.StatusForbidden, "forbidden")
			apiError(t, f.do("DELETE", path, f.auditor, nil), http.StatusForbidden, "forbidden")
		})
	})
}

func TestAssetAttributeFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		f.create(with(assetBody("SV-1", f.soumu, "B"), "attrs", map[string]any{"mfa": true, "disposal_date": "2026-03-31", "lockout_threshold": 3}))
		f.create(with(assetBody("SV-2", f.soumu, "B"), "attrs", map[string]any{"disposal_date": "2031-03-31", "disposal_method": "physical_destruction"}))
		for _, c := range []struct {
			query string
			want  []string
		}{
			{"attr.mfa=true", []string{"SV-1"}},
			{"attr.mfa=false", []string{"SV-2"}},
			{"attr.disposal_date=..2027-03-31", []string{"SV-1"}},
			{"attr.lockout_threshold=3", []string{"SV-1"}},
			{"attr.disposal_method=physical_destruction", []string{"SV-2"}},
			{"level.importance=%EF%BC%A2", []string{"SV-1", "SV-2"}}, // Ｂ, folded
		} {
			t.Run(c.query, func(t *testing.T) {
				l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets?"+c.query, f.ciso, nil), http.StatusOK)
				if !slices.Equal(numbers(l), c.want) {
					t.Fatalf("got %v, want %v", numbers(l), c.want)
				}
			})
		}
		for query, field := range map[string]string{"attr.colour=red": "attr.colour", "attr.mfa=maybe": "attr.mfa",
			"attr.disposal_date=..someday": "attr.disposal_date", "attr.lockout_threshold=three": "attr.lockout_threshold",
			"level.secrecy=A": "level.secrecy", "level.importance=Z": "level.importance", "zone=L9": "zone", "segment=moon": "segment"} {
			t.Run("refused: "+query, func(t *testing.T) {
				if e := apiError(t, f.do("GET", "/api/v1/assets?"+query, f.ciso, nil), http.StatusUnprocessableEntity, "invalid"); e.Field != field {
					t.Fatalf("field %q, want %q", e.Field, field)
				}
			})
		}
	})
}
