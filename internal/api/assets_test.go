package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// assetFixture is the API in front of an organisation on 岸和田市's pack (重要度 A/B/C, zones
// L0–L4) with two sections, 総務課 and 税務課, and tokens for people of different reach in the
// register.
type assetFixture struct {
	*fixture
	soumu, zeimu int64  // department ids
	clerk        string // a 総務課 clerk: staff of 総務課, no role
	manager      string // 情報セキュリティ責任者 (security_manager) of 総務課
	auditor      string // 情報セキュリティ監査統括責任者 (audit_chief), seated in 税務課
	ciso         string // ＣＩＳＯ (ciso), seated in 税務課: reads and changes every asset, details included
}

func newAssetFixture(t *testing.T, db *store.DB) *assetFixture {
	t.Helper()
	ctx := context.Background()
	svcs := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := svcs.Bootstrap(ctx, app.Setup{OrgCode: "kishiwada", OrgName: "テスト市", PackID: "kishiwada"})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	sys := access.System(first.Org.ID, "test")
	admin, err := svcs.Auth.UserByLogin(ctx, app.AdminLogin)
	if err != nil {
		t.Fatalf("admin: %v", err)
	}
	token, err := ownToken(ctx, svcs, admin)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	logs := &syncBuffer{}
	h := New(svcs, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	f := &assetFixture{fixture: &fixture{t: t, db: db, svcs: svcs, h: h, orgID: first.Org.ID, admin: token, logs: logs}}

	for _, d := range []struct {
		code, name string
		id         *int64
	}{{"100", "総務課", &f.soumu}, {"200", "税務課", &f.zeimu}} {
		made, err := svcs.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatalf("department %s: %v", d.name, err)
		}
		*d.id = made.ID
	}
	f.clerk = f.person("clerk", f.soumu, nil)
	f.manager = f.person("manager", f.soumu, &org.RoleAssignment{RoleID: "security_manager", Scope: "department", DepartmentID: f.soumu})
	f.auditor = f.person("auditor", f.zeimu, &org.RoleAssignment{RoleID: "audit_chief", Scope: "organization"})
	f.ciso = f.person("ciso", f.zeimu, &org.RoleAssignment{RoleID: "ciso", Scope: "organization"})
	return f
}

// person registers a staff member of dept, assigns them role when given, and returns a bearer
// token for their account.
func (f *assetFixture) person(login string, dept int64, role *org.RoleAssignment) string {
	f.t.Helper()
	ctx := context.Background()
	sys := access.System(f.orgID, "test")
	st, err := f.svcs.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: "E-" + login, Name: login,
		Employment: "regular", Active: true})
	if err != nil {
		f.t.Fatalf("staff %s: %v", login, err)
	}
	if role != nil {
		role.HolderStaffID = st.ID
		if _, err := f.svcs.Org.AssignRole(ctx, sys, *role); err != nil {
			f.t.Fatalf("role %s for %s: %v", role.RoleID, login, err)
		}
	}
	u, _, err := f.svcs.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: login, StaffID: st.ID})
	if err != nil {
		f.t.Fatalf("user %s: %v", login, err)
	}
	token, err := ownToken(ctx, f.svcs, u)
	if err != nil {
		f.t.Fatalf("token for %s: %v", login, err)
	}
	return token
}

// assetBody is a valid request body for a terminal of dept with 重要度 level.
func assetBody(number string, dept int64, level string) map[string]any {
	return map[string]any{"number": number, "name": "業務用端末 " + number, "kind": "terminal", "department_id": dept,
		"class": map[string]string{"importance": level}, "segment": "lgwan", "zone": "L2", "location": "本庁舎2階"}
}

// with returns a copy of body with the given fields changed ("name", value pairs).
func with(body map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// create registers an asset as the CISO.
func (f *assetFixture) create(body map[string]any) asset.Asset {
	f.t.Helper()
	return decodeAs[asset.Asset](f.t, f.do("POST", "/api/v1/assets", f.ciso, body), http.StatusCreated)
}

func (f *assetFixture) get(token string, id int64) asset.Asset {
	f.t.Helper()
	return decodeAs[asset.Asset](f.t, f.do("GET", "/api/v1/assets/"+itoa64(id), token, nil), http.StatusOK)
}

// numbers lists the management numbers of a page in order.
func numbers(l list[asset.Asset]) []string {
	out := []string{}
	for _, a := range l.Items {
		out = append(out, a.Number)
	}
	return out
}

func TestAssetRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)

		body := assetBody("ＰＣ－００１", f.soumu, "Ａ")
		body["attrs"] = map[string]any{"anti_theft_wire": "有"}
		body["acquired_on"] = "2024-04-01"
		rec := f.do("POST", "/api/v1/assets", f.ciso, body)
		made := decodeAs[asset.Asset](t, rec, http.StatusCreated)
		if rec.Header().Get("Location") != "/api/v1/assets/"+itoa64(made.ID) {
			t.Errorf("Location %q", rec.Header().Get("Location"))
		}
		if made.Number != "PC-001" || made.Class["importance"] != "A" || made.TopRank != 3 || made.DepartmentName != "総務課" ||
			made.Attrs["anti_theft_wire"] != true || made.Quantity != 1 || made.State != "in_use" || made.AcquiredOn != "2024-04-01" {
			t.Fatalf("created %+v", made)
		}

		got := f.get(f.ciso, made.ID)
		if got.Number != "PC-001" || got.Name != made.Name || got.Location != "本庁舎2階" || got.Class["importance"] != "A" {
			t.Errorf("read back %+v", got)
		}

		// PUT replaces every field: the location and the attribute are left out, so they are cleared.
		up := decodeAs[asset.Asset](t, f.do("PUT", "/api/v1/assets/"+itoa64(made.ID), f.ciso, map[string]any{
			"number": "PC-001", "name": "窓口用端末", "kind": "terminal", "department_id": f.zeimu,
			"class": map[string]string{"importance": "B"}, "zone": "L3", "state": "in_repair", "quantity": 2}), http.StatusOK)
		if up.ID != made.ID || up.Name != "窓口用端末" || up.DepartmentID != f.zeimu || up.DepartmentName != "税務課" ||
			up.Class["importance"] != "B" || up.TopRank != 2 || up.Zone != "L3" || up.Segment != "" || up.Location != "" ||
			len(up.Attrs) != 0 || up.State != "in_repair" || up.Quantity != 2 || up.AcquiredOn != "" {
			t.Fatalf("updated %+v", up)
		}
		if got := f.get(f.ciso, made.ID); got.Name != "窓口用端末" || got.Class["importance"] != "B" {
			t.Errorf("read after update %+v", got)
		}

		rec = f.do("DELETE", "/api/v1/assets/"+itoa64(made.ID), f.ciso, nil)
		if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}
		apiError(t, f.do("GET", "/api/v1/assets/"+itoa64(made.ID), f.ciso, nil), http.StatusNotFound, "not_found")
		apiError(t, f.do("DELETE", "/api/v1/assets/"+itoa64(made.ID), f.ciso, nil), http.StatusNotFound, "not_found")
		apiError(t, f.do("PUT", "/api/v1/assets/"+itoa64(made.ID), f.ciso, assetBody("PC-001", f.soumu, "A")),
			http.StatusNotFound, "not_found")
		if l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets", f.ciso, nil), http.StatusOK); l.Total != 0 {
			t.Errorf("the register after delete %+v", l)
		}

		// The asset was registered of the highest class (A): the administrator's token sees
		// that it was registered and changed, but not what was recorded; the auditor sees it all.
		withheld := decodeAs[list[auditlog.Entry]](t, f.do("GET", "/api/v1/audit?entity=asset&entity_id="+itoa64(made.ID), f.admin, nil),
			http.StatusOK)
		if len(withheld.Items) != 3 || !withheld.Items[1].Withheld || !withheld.Items[2].Withheld ||
			withheld.Items[1].Before != "" || withheld.Items[2].After != "" {
			t.Errorf("the administrator reads the highest class's records: %+v", withheld.Items)
		}
		audit := decodeAs[list[auditlog.Entry]](t, f.do("GET", "/api/v1/audit?entity=asset&entity_id="+itoa64(made.ID), f.auditor, nil),
			http.StatusOK)
		var actions []string
		for _, e := range audit.Items {
			actions = append(actions, e.Action)
			if e.Actor != "ciso" {
				t.Errorf("%s by %q", e.Action, e.Actor)
			}
		}
		if !slices.Equal(actions, []string{"asset.delete", "asset.update", "asset.create"}) {
			t.Fatalf("audit actions %v", actions)
		}
		del, upd, cre := audit.Items[0], audit.Items[1], audit.Items[2]
		if !strings.Contains(cre.After, `"PC-001"`) || !strings.Contains(upd.Before, "本庁舎2階") ||
			!strings.Contains(upd.After, "窓口用端末") || !strings.Contains(del.Before, "窓口用端末") || del.After != "" {
			t.Errorf("audit records: create %s / update %s → %s / delete %s", cre.After, upd.Before, upd.After, del.Before)
		}
		if v := decodeAs[verifyResponse](t, f.do("GET", "/api/v1/audit/verify", f.admin, nil), http.StatusOK); !v.OK {
			t.Errorf("audit chain %+v", v)
		}
	})
}

func TestAssetValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		first := f.create(assetBody("PC-001", f.soumu, "A"))

		for _, c := range []struct {
			name  string
			body  any
			field string
		}{
			{"unknown level", with(assetBody("PC-900", f.soumu, "Z")), "class.importance"},
			{"no classification", with(assetBody("PC-900", f.soumu, "A"), "class", nil), "class.importance"},
			{"unknown axis", with(assetBody("PC-900", f.soumu, "A"), "class", map[string]string{"importance": "A", "secrecy": "1"}), "class.secrecy"},
			{"unknown kind", with(assetBody("PC-900", f.soumu, "A"), "kind", "spaceship"), "kind"},
			{"unknown segment", with(assetBody("PC-900", f.soumu, "A"), "segment", "moon"), "segment"},
			{"unknown zone", with(assetBody("PC-900", f.soumu, "A"), "zone", "L9"), "zone"},
			{"impossible date", with(assetBody("PC-900", f.soumu, "A"), "acquired_on", "2026-02-30"), "acquired_on"},
			{"unknown attribute", with(assetBody("PC-900", f.soumu, "A"), "attrs", map[string]any{"colour": "red"}), "attrs.colour"},
			{"bad attribute value", with(assetBody("PC-900", f.soumu, "A"), "attrs", map[string]any{"disposal_date": "someday"}), "attrs.disposal_date"},
			{"unknown state", with(assetBody("PC-900", f.soumu, "A"), "state", "lost"), "state"},
			{"no number", with(assetBody("", f.soumu, "A")), "number"},
			{"duplicate number", with(assetBody("ＰＣ－００１", f.soumu, "B")), "number"},
			{"no department", with(assetBody("PC-900", 0, "A")), "department_id"},
			{"unknown department", with(assetBody("PC-900", 999999, "A")), "department_id"},
			{"unknown manager", with(assetBody("PC-900", f.soumu, "A"), "manager_staff_id", 999999), "manager_staff_id"},
			{"unknown field", with(assetBody("PC-900", f.soumu, "A"), "colour", "red"), "colour"},
			{"top_rank is not input", with(assetBody("PC-900", f.soumu, "A"), "top_rank", 1), "top_rank"},
			{"quantity of the wrong type", with(assetBody("PC-900", f.soumu, "A"), "quantity", "two"), "quantity"},
			{"a level that is not text", with(assetBody("PC-900", f.soumu, "A"), "class", map[string]any{"importance": 1}), "class"},
		} {
			t.Run(c.name, func(t *testing.T) {
				e := apiError(t, f.do("POST", "/api/v1/assets", f.ciso, c.body), http.StatusUnprocessableEntity, "invalid")
				if e.Field != c.field {
					t.Errorf("field %q, want %q; %+v", e.Field, c.field, e)
				}
				if c.name == "duplicate number" { // PC-001 is the asset's own number
					return
				}
				e = apiError(t, f.do("PUT", "/api/v1/assets/"+itoa64(first.ID), f.ciso, c.body), http.StatusUnprocessableEntity, "invalid")
				if e.Field != c.field {
					t.Errorf("PUT: field %q, want %q", e.Field, c.field)
				}
			})
		}

		t.Run("the message names the axis and the level in Japanese", func(t *testing.T) {
			e := apiError(t, f.do("POST", "/api/v1/assets", f.ciso, assetBody("PC-900", f.soumu, "Z")), http.StatusUnprocessableEntity, "invalid")
			if len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "重要度") || !strings.Contains(e.Fields[0].Message, "Z") {
				t.Errorf("%+v", e)
			}
		})

		t.Run("every field at fault is listed", func(t *testing.T) {
			e := apiError(t, f.do("POST", "/api/v1/assets", f.ciso, map[string]any{"kind": "terminal"}), http.StatusUnprocessableEntity, "invalid")
			var fields []string
			for _, fe := range e.Fields {
				fields = append(fields, fe.Field)
			}
			for _, want := range []string{"number", "name", "department_id", "class.importance"} {
				if !slices.Contains(fields, want) {
					t.Errorf("fields %v lack %s", fields, want)
				}
			}
		})

		t.Run("refused input changes nothing", func(t *testing.T) {
			l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets", f.ciso, nil), http.StatusOK)
			if l.Total != 1 || !slices.Equal(numbers(l), []string{"PC-001"}) {
				t.Fatalf("register %v", numbers(l))
			}
			got := f.get(f.ciso, first.ID)
			if !got.UpdatedAt.Equal(first.UpdatedAt) || got.Class["importance"] != "A" || got.Name != first.Name {
				t.Errorf("the asset changed: %+v", got)
			}
			audit := decodeAs[list[auditlog.Entry]](t, f.do("GET", "/api/v1/audit?entity=asset", f.admin, nil), http.StatusOK)
			if audit.Total != 1 {
				t.Errorf("%d audit entries for assets", audit.Total)
			}
		})
	})
}

func TestAssetVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		pc := f.create(assetBody("PC-001", f.soumu, "A"))
		tx := f.create(assetBody("TX-001", f.zeimu, "C"))
		path := func(a asset.Asset) string { return "/api/v1/assets/" + itoa64(a.ID) }

		t.Run("a clerk sees only the own department and changes nothing", func(t *testing.T) {
			l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets", f.clerk, nil), http.StatusOK)
			if l.Total != 1 || !slices.Equal(numbers(l), []string{"PC-001"}) {
				t.Errorf("the clerk lists %v of %d", numbers(l), l.Total)
			}
			l = decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets?department_id="+itoa64(f.zeimu), f.clerk, nil), http.StatusOK)
			if l.Total != 0 {
				t.Errorf("the clerk lists 税務課's %v", numbers(l))
			}
			if got := f.get(f.clerk, pc.ID); got.Number != "PC-001" {
				t.Errorf("got %+v", got)
			}
			apiError(t, f.do("GET", path(tx), f.clerk, nil), http.StatusNotFound, "not_found")
			apiError(t, f.do("PUT", path(tx), f.clerk, assetBody("TX-001", f.zeimu, "B")), http.StatusNotFound, "not_found")
			apiError(t, f.do("DELETE", path(tx), f.clerk, nil), http.StatusNotFound, "not_found")
			apiError(t, f.do("POST", "/api/v1/assets", f.clerk, assetBody("PC-002", f.soumu, "C")), http.StatusForbidden, "forbidden")
			apiError(t, f.do("PUT", path(pc), f.clerk, assetBody("PC-001", f.soumu, "C")), http.StatusForbidden, "forbidden")
			apiError(t, f.do("DELETE", path(pc), f.clerk, nil), http.StatusForbidden, "forbidden")
		})

		t.Run("a department's security manager changes that department's assets only", func(t *testing.T) {
			rec := f.do("POST", "/api/v1/assets", f.manager, assetBody("PC-002", f.soumu, "B"))
			mine := decodeAs[asset.Asset](t, rec, http.StatusCreated)
			apiError(t, f.do("POST", "/api/v1/assets", f.manager, assetBody("TX-002", f.zeimu, "B")), http.StatusForbidden, "forbidden")
			up := decodeAs[asset.Asset](t, f.do("PUT", path(pc), f.manager, with(assetBody("PC-001", f.soumu, "A"), "name", "課長用端末")),
				http.StatusOK)
			if up.Name != "課長用端末" {
				t.Errorf("updated %+v", up)
			}
			apiError(t, f.do("PUT", path(pc), f.manager, assetBody("PC-001", f.zeimu, "A")), http.StatusForbidden, "forbidden")
			apiError(t, f.do("PUT", path(tx), f.manager, assetBody("TX-001", f.soumu, "C")), http.StatusNotFound, "not_found")
			apiError(t, f.do("DELETE", path(tx), f.manager, nil), http.StatusNotFound, "not_found")
			if rec := f.do("DELETE", path(mine), f.manager, nil); rec.Code != http.StatusNoContent {
				t.Errorf("delete: %d %s", rec.Code, rec.Body)
			}
			l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets", f.manager, nil), http.StatusOK)
			if !slices.Equal(numbers(l), []string{"PC-001"}) {
				t.Errorf("the manager lists %v", numbers(l))
			}
			audit := decodeAs[list[auditlog.Entry]](t, f.do("GET", "/api/v1/audit?entity=asset&actor=manager", f.admin, nil), http.StatusOK)
			if audit.Total != 3 {
				t.Errorf("%d audit entries by the manager, want create, update, delete", audit.Total)
			}
		})

		t.Run("an auditor reads everything and changes nothing", func(t *testing.T) {
			l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets", f.auditor, nil), http.StatusOK)
			if l.Total != 2 || !slices.Equal(numbers(l), []string{"PC-001", "TX-001"}) {
				t.Errorf("the auditor lists %v of %d", numbers(l), l.Total)
			}
			for _, a := range []asset.Asset{pc, tx} {
				f.get(f.auditor, a.ID)
				apiError(t, f.do("PUT", path(a), f.auditor, with(assetBody(a.Number, a.DepartmentID, "C"), "name", "監査")),
					http.StatusForbidden, "forbidden")
				apiError(t, f.do("DELETE", path(a), f.auditor, nil), http.StatusForbidden, "forbidden")
			}
			for _, dept := range []int64{f.soumu, f.zeimu} {
				apiError(t, f.do("POST", "/api/v1/assets", f.auditor, assetBody("AU-001", dept, "C")), http.StatusForbidden, "forbidden")
			}
			if got := f.get(f.ciso, tx.ID); got.Name != tx.Name || got.Class["importance"] != "C" {
				t.Errorf("the auditor changed %+v", got)
			}
			if l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets", f.ciso, nil), http.StatusOK); l.Total != 2 {
				t.Errorf("the register has %v", numbers(l))
			}
		})

		t.Run("without a token nothing is shown", func(t *testing.T) {
			apiError(t, f.do("GET", "/api/v1/assets", "", nil), http.StatusUnauthorized, "unauthenticated")
			apiError(t, f.do("GET", path(pc), "", nil), http.StatusUnauthorized, "unauthenticated")
		})
	})
}

func TestAssetListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		f.create(assetBody("PC-001", f.soumu, "A")) // 業務用端末 PC-001
		f.create(with(assetBody("MD-001", f.soumu, "B"), "kind", "media", "name", "バックアップ用媒体", "zone", "L3"))
		f.create(with(assetBody("TX-001", f.zeimu, "C"), "name", "税務端末", "state", "in_repair", "location", "別館"))
		f.create(with(assetBody("SV-001", f.zeimu, "A"), "kind", "server", "name", "住民情報システムサーバ",
			"segment", "mynumber", "zone", "L4", "location", "サーバ室"))

		for _, c := range []struct {
			name  string
			query url.Values
			want  []string // numbers in order
		}{
			{"all, by number", nil, []string{"MD-001", "PC-001", "SV-001", "TX-001"}},
			{"kind", url.Values{"kind": {"terminal"}}, []string{"PC-001", "TX-001"}},
			{"level", url.Values{"level.importance": {"A"}}, []string{"PC-001", "SV-001"}},
			{"level and department", url.Values{"level.importance": {"A"}, "department_id": {itoa64(f.zeimu)}}, []string{"SV-001"}},
			{"segment", url.Values{"segment": {"mynumber"}}, []string{"SV-001"}},
			{"zone", url.Values{"zone": {"L3"}}, []string{"MD-001"}},
			{"department", url.Values{"department_id": {itoa64(f.soumu)}}, []string{"MD-001", "PC-001"}},
			{"state", url.Values{"state": {"in_repair"}}, []string{"TX-001"}},
			{"two characters: 端末", url.Values{"q": {"端末"}}, []string{"PC-001", "TX-001"}},
			{"two characters: 媒体", url.Values{"q": {"媒体"}}, []string{"MD-001"}},
			{"two words narrow", url.Values{"q": {"端末 tx"}}, []string{"TX-001"}},
			{"full-width number", url.Values{"q": {"ＳＶ－００１"}}, []string{"SV-001"}},
			{"search and level", url.Values{"q": {"端末"}, "level.importance": {"A"}}, []string{"PC-001"}},
			{"highest class first", url.Values{"sort": {"rank"}}, []string{"PC-001", "SV-001", "MD-001", "TX-001"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets?"+c.query.Encode(), f.ciso, nil), http.StatusOK)
				if got := numbers(l); !slices.Equal(got, c.want) || l.Total != len(c.want) {
					t.Errorf("got %v of %d, want %v", got, l.Total, c.want)
				}
			})
		}

		t.Run("items carry their classification", func(t *testing.T) {
			l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets?q=SV", f.ciso, nil), http.StatusOK)
			if len(l.Items) != 1 || l.Items[0].Class["importance"] != "A" || l.Items[0].DepartmentName != "税務課" {
				t.Errorf("%+v", l.Items)
			}
		})

		t.Run("pages keep the filters in next", func(t *testing.T) {
			q := url.Values{"level.importance": {"A"}, "limit": {"1"}}
			l := decodeAs[list[asset.Asset]](t, f.do("GET", "/api/v1/assets?"+q.Encode(), f.ciso, nil), http.StatusOK)
			if l.Total != 2 || !slices.Equal(numbers(l), []string{"PC-001"}) || l.Next == nil ||
				!strings.Contains(*l.Next, "level.importance=A") {
				t.Fatalf("first page %v of %d, next %v", numbers(l), l.Total, l.Next)
			}
			rec := f.do("GET", *l.Next, f.ciso, nil)
			l = decodeAs[list[asset.Asset]](t, rec, http.StatusOK)
			if !slices.Equal(numbers(l), []string{"SV-001"}) || l.Next != nil || !strings.Contains(rec.Body.String(), `"next":null`) {
				t.Errorf("second page %v, next %v", numbers(l), l.Next)
			}
		})

		for _, c := range []struct{ query, field string }{
			{"department_id=x", "department_id"},
			{"department_id=0", "department_id"},
			{"sort=colour", "sort"},
			{"limit=0", "limit"},
			{"offset=-1", "offset"},
		} {
			t.Run("bad "+c.query, func(t *testing.T) {
				e := apiError(t, f.do("GET", "/api/v1/assets?"+c.query, f.ciso, nil), http.StatusUnprocessableEntity, "invalid")
				if e.Field != c.field {
					t.Errorf("field %q", e.Field)
				}
			})
		}
	})
}

func TestAssetsOpenAPI(t *testing.T) {
	doc := served(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, want := range map[string][]string{
		"Asset":      {"id", "number", "name", "kind", "department_id", "class", "top_rank", "attrs", "state", "updated_at"},
		"AssetInput": {"number", "name", "kind", "department_id", "class", "attrs", "quantity", "state", "acquired_on"},
	} {
		props := schemas[name].(map[string]any)["properties"].(map[string]any)
		for _, p := range want {
			if _, ok := props[p]; !ok {
				t.Errorf("schema %s has no property %s", name, p)
			}
		}
	}
	in := schemas["AssetInput"].(map[string]any)
	if in["additionalProperties"] != false || !slices.Contains(in["required"].([]any), any("class")) {
		t.Errorf("AssetInput %v", in)
	}
	if _, ok := schemas["AssetInput"].(map[string]any)["properties"].(map[string]any)["top_rank"]; ok {
		t.Error("top_rank is computed, not input")
	}
	list := doc["paths"].(map[string]any)["/api/v1/assets"].(map[string]any)["get"].(map[string]any)
	var names []string
	for _, p := range list["parameters"].([]any) {
		names = append(names, p.(map[string]any)["name"].(string))
	}
	for _, want := range []string{"kind", "segment", "zone", "department_id", "state", "level.{axis}", "q", "sort", "limit", "offset"} {
		if !slices.Contains(names, want) {
			t.Errorf("listAssets has no parameter %s: %v", want, names)
		}
	}
}
