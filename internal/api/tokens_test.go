package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestOwnTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		clerk := f.tokenFor("tanaka", "en", false)

		var read createdToken
		t.Run("a token is read-only for 90 days unless asked otherwise, and its secret is shown once", func(t *testing.T) {
			read = decodeAs[createdToken](t, f.do("POST", "/api/v1/me/tokens", clerk, map[string]any{"name": "集計"}), http.StatusCreated)
			if read.Token.Scope != "read" || read.Token.Name != "集計" || !strings.HasPrefix(read.Secret, "mmr_") ||
				read.Token.ExpiresAt.Sub(read.Token.CreatedAt) != 90*24*time.Hour {
				t.Fatalf("token %+v", read)
			}
			rec := f.do("GET", "/api/v1/me/tokens", clerk, nil)
			l := decodeAs[list[auth.APIToken]](t, rec, http.StatusOK)
			if l.Total != 2 || l.Items[0].ID != read.Token.ID || strings.Contains(rec.Body.String(), read.Secret[4:]) {
				t.Fatalf("list %s", rec.Body)
			}
		})

		t.Run("a read token reads and is refused any change with 403 in the holder's language", func(t *testing.T) {
			if me := decodeAs[meResponse](t, f.do("GET", "/api/v1/me", read.Secret, nil), http.StatusOK); !me.ReadOnly || me.ServiceAccount {
				t.Errorf("me %+v", me)
			}
			if rec := f.do("HEAD", "/api/v1/me", read.Secret, nil); rec.Code != http.StatusOK {
				t.Fatalf("HEAD %d", rec.Code)
			}
			for _, c := range []struct{ method, path string }{
				{"POST", "/api/v1/me/tokens"}, {"DELETE", "/api/v1/me/tokens/" + itoa64(read.Token.ID)},
				{"POST", "/api/v1/departments"}, {"PUT", "/api/v1/departments/1"}, {"POST", "/api/v1/incidents"},
			} {
				e := apiError(t, f.do(c.method, c.path, read.Secret, map[string]any{}), http.StatusForbidden, "forbidden")
				if !strings.Contains(e.Message, "read-only") {
					t.Errorf("%s %s: %q", c.method, c.path, e.Message)
				}
			}
			admin := decodeAs[createdToken](t, f.do("POST", "/api/v1/me/tokens", f.admin, map[string]any{}), http.StatusCreated)
			e := apiError(t, f.do("POST", "/api/v1/departments", admin.Secret, map[string]any{"code": "1", "name": "x", "kind": "section"}),
				http.StatusForbidden, "forbidden")
			if !strings.Contains(e.Message, "読み取り専用") {
				t.Errorf("message %q", e.Message)
			}
			l := decodeAs[list[map[string]any]](t, f.do("GET", "/api/v1/departments", f.admin, nil), http.StatusOK)
			if l.Total != 0 {
				t.Fatalf("a read token created a department: %+v", l)
			}
		})

		t.Run("its last use is recorded with the address", func(t *testing.T) {
			l := decodeAs[list[auth.APIToken]](t, f.do("GET", "/api/v1/me/tokens", clerk, nil), http.StatusOK)
			for _, tok := range l.Items {
				if tok.ID == read.Token.ID && (tok.LastUsedAt == nil || tok.LastUsedAddr != "192.0.2.1") {
					t.Fatalf("token %+v", tok)
				}
			}
		})

		t.Run("bad scope or expiry is refused naming the field", func(t *testing.T) {
			before := decodeAs[list[auth.APIToken]](t, f.do("GET", "/api/v1/me/tokens", clerk, nil), http.StatusOK).Total
			e := apiError(t, f.do("POST", "/api/v1/me/tokens", clerk, map[string]any{"expires_in_days": 366}), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "expires_in_days" || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "365") {
				t.Errorf("error %+v", e)
			}
			e = apiError(t, f.do("POST", "/api/v1/me/tokens", clerk, map[string]any{"scope": "admin"}), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "scope" {
				t.Errorf("error %+v", e)
			}
			if n := decodeAs[list[auth.APIToken]](t, f.do("GET", "/api/v1/me/tokens", clerk, nil), http.StatusOK).Total; n != before {
				t.Fatalf("%d tokens, want %d", n, before)
			}
		})

		t.Run("an administrator issues no token for a person", func(t *testing.T) {
			u, _ := f.svcs.Auth.UserByLogin(ctx, "tanaka")
			e := apiError(t, f.do("POST", "/api/v1/users/"+itoa64(u.ID)+"/tokens", f.admin, map[string]any{"scope": "read-write"}),
				http.StatusForbidden, "forbidden")
			if !strings.Contains(e.Message, "サービスアカウント") {
				t.Errorf("message %q", e.Message)
			}
			l := decodeAs[list[auth.APIToken]](t, f.do("GET", "/api/v1/users/"+itoa64(u.ID)+"/tokens", f.admin, nil), http.StatusOK)
			if l.Total != 2 {
				t.Fatalf("tanaka has %d tokens", l.Total)
			}
			apiError(t, f.do("GET", "/api/v1/users/1/tokens", clerk, nil), http.StatusForbidden, "forbidden")
		})

		t.Run("a token waits until its holder has changed the temporary password", func(t *testing.T) {
			nu := decodeAs[createdUser](t, f.do("POST", "/api/v1/users", f.admin, map[string]any{"login": "sato", "display_name": "佐藤"}), http.StatusCreated)
			who, err := f.svcs.Auth.ActAs(ctx, "sato")
			if err != nil {
				t.Fatal(err)
			}
			_, secret, err := f.svcs.Auth.CreateToken(ctx, who, auth.NewToken{Scope: auth.ScopeReadWrite})
			if err != nil {
				t.Fatal(err)
			}
			e := apiError(t, f.do("GET", "/api/v1/me", secret, nil), http.StatusForbidden, "forbidden")
			if !strings.Contains(e.Message, "初期パスワード") {
				t.Errorf("message %q", e.Message)
			}
			if nu.User.ID == 0 {
				t.Fatal("no user")
			}
		})

		t.Run("a password reset revokes the holder's tokens", func(t *testing.T) {
			u, _ := f.svcs.Auth.UserByLogin(ctx, "tanaka")
			decodeAs[temporaryPassword](t, f.do("POST", "/api/v1/users/"+itoa64(u.ID)+"/reset-password", f.admin, nil), http.StatusOK)
			apiError(t, f.do("GET", "/api/v1/me", clerk, nil), http.StatusUnauthorized, "unauthenticated")
			apiError(t, f.do("GET", "/api/v1/me", read.Secret, nil), http.StatusUnauthorized, "unauthenticated")
		})
	})
}

// auditorPack is an organisation's own pack that marks its role auditor as an audit role, and
// says nothing else that changes how its users sign in.
const auditorPack = "id: kansa\nname: 監査の役割のみ\norganization: テスト町\nkind: municipality\nversion: \"1\"\nbasis: テスト\n" +
	"roles:\n  - {id: auditor, name: 監査統括責任者, held_by: 町長, scope: organization, auditor: true, cite: {article: \"9(1)\"}}\n" +
	"incident:\n  plan_approved_by: auditor\n"

func TestServiceAccountsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := f.svcs.Policy.Load(context.Background(), access.System(f.orgID, "test"), "kansa.yaml", []byte(auditorPack)); err != nil {
			t.Fatal(err)
		}
		clerk := f.tokenFor("tanaka", "ja", false)

		t.Run("only an administrator creates one", func(t *testing.T) {
			apiError(t, f.do("POST", "/api/v1/service-accounts", clerk, map[string]any{"login": "renkei", "display_name": "連携"}),
				http.StatusForbidden, "forbidden")
			e := apiError(t, f.do("POST", "/api/v1/service-accounts", f.admin, map[string]any{"display_name": "連携"}),
				http.StatusUnprocessableEntity, "invalid")
			if e.Field != "login" {
				t.Errorf("error %+v", e)
			}
		})

		svc := decodeAs[auth.User](t, f.do("POST", "/api/v1/service-accounts", f.admin, map[string]any{"login": "kansa-renkei",
			"display_name": "監査ツール連携", "roles": []map[string]any{{"role_id": "auditor"}}}), http.StatusCreated)
		if !svc.ServiceAccount || svc.StaffID != 0 || svc.MustChangePassword {
			t.Fatalf("service account %+v", svc)
		}
		path := "/api/v1/users/" + itoa64(svc.ID)

		t.Run("it is listed as a service account", func(t *testing.T) {
			u := decodeAs[map[string]any](t, f.do("GET", path, f.admin, nil), http.StatusOK)
			if u["service_account"] != true {
				t.Fatalf("user %v", u)
			}
		})

		t.Run("an administrator issues its token, which acts with its roles", func(t *testing.T) {
			tok := decodeAs[createdToken](t, f.do("POST", path+"/tokens", f.admin, map[string]any{"name": "監査", "scope": "read-write",
				"expires_in_days": 365}), http.StatusCreated)
			me := decodeAs[meResponse](t, f.do("GET", "/api/v1/me", tok.Secret, nil), http.StatusOK)
			if me.Login != "kansa-renkei" || !me.ServiceAccount || me.ReadOnly || len(me.Roles) != 1 || me.Roles[0].RoleID != "auditor" || me.StaffID != 0 {
				t.Fatalf("me %+v", me)
			}
			decodeAs[list[map[string]any]](t, f.do("GET", "/api/v1/audit", tok.Secret, nil), http.StatusOK)
			apiError(t, f.do("POST", "/api/v1/me/tokens", tok.Secret, map[string]any{}), http.StatusForbidden, "forbidden")
			if rec := f.do("DELETE", path+"/tokens/"+itoa64(tok.Token.ID), f.admin, nil); rec.Code != http.StatusNoContent {
				t.Fatalf("revoke %d %s", rec.Code, rec.Body)
			}
			apiError(t, f.do("GET", "/api/v1/me", tok.Secret, nil), http.StatusUnauthorized, "unauthenticated")
		})

		t.Run("it has no password to reset", func(t *testing.T) {
			apiError(t, f.do("POST", path+"/reset-password", f.admin, nil), http.StatusUnprocessableEntity, "invalid")
		})
	})
}
