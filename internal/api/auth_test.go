package api

import (
	"net/http"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAuthentication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)

		t.Run("no token is 401 with a Bearer challenge", func(t *testing.T) {
			rec := f.do("GET", "/api/v1/me", "", nil)
			e := apiError(t, rec, http.StatusUnauthorized, "unauthenticated")
			if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate = %q", got)
			}
			if e.Message != "ログインしてください" {
				t.Errorf("message %q, want the Japanese catalog text", e.Message)
			}
		})

		t.Run("before authentication the message follows Accept-Language", func(t *testing.T) {
			rec := f.do("GET", "/api/v1/me", "", nil, "Accept-Language", "en-GB,en;q=0.9,ja;q=0.5")
			if e := apiError(t, rec, http.StatusUnauthorized, "unauthenticated"); e.Message != "Please log in" {
				t.Errorf("message %q", e.Message)
			}
		})

		for name, header := range map[string]string{
			"unknown token": "Bearer mmr_not-a-real-token",
			"not a token":   "Bearer abc",
			"other scheme":  "Basic " + f.admin,
			"empty bearer":  "Bearer ",
			"token only":    f.admin,
		} {
			t.Run(name+" is 401", func(t *testing.T) {
				rec := f.do("GET", "/api/v1/me", "", nil, "Authorization", header)
				apiError(t, rec, http.StatusUnauthorized, "unauthenticated")
				if rec.Header().Get("WWW-Authenticate") == "" {
					t.Error("no WWW-Authenticate")
				}
			})
		}

		t.Run("a good token shows the actor", func(t *testing.T) {
			me := decodeAs[map[string]any](t, f.do("GET", "/api/v1/me", f.admin, nil), http.StatusOK)
			if me["login"] != "admin" || me["platform_admin"] != true || me["org_id"] != float64(f.orgID) {
				t.Errorf("me = %v", me)
			}
			if me["name"] != "プラットフォーム管理者" {
				t.Errorf("name = %v", me["name"])
			}
			if roles, ok := me["roles"].([]any); !ok || len(roles) != 0 {
				t.Errorf("roles = %#v, want an empty array", me["roles"])
			}
		})

		t.Run("a revoked token is refused", func(t *testing.T) {
			tok := decodeAs[createdToken](t, f.do("POST", "/api/v1/me/tokens", f.admin, map[string]any{"name": "short-lived"}), http.StatusCreated)
			if rec := f.do("GET", "/api/v1/me", tok.Secret, nil); rec.Code != http.StatusOK {
				t.Fatalf("new token: %d %s", rec.Code, rec.Body)
			}
			if rec := f.do("DELETE", "/api/v1/me/tokens/"+itoa64(tok.Token.ID), f.admin, nil); rec.Code != http.StatusNoContent {
				t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
			}
			apiError(t, f.do("GET", "/api/v1/me", tok.Secret, nil), http.StatusUnauthorized, "unauthenticated")
		})
	})
}

func TestNonAdministratorIsForbidden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		token := f.tokenFor("tanaka", "ja", false)

		rec := f.do("POST", "/api/v1/users", token, map[string]any{"login": "suzuki", "display_name": "鈴木"})
		if e := apiError(t, rec, http.StatusForbidden, "forbidden"); e.Message != "この操作を行う権限がありません" {
			t.Errorf("message %q", e.Message)
		}
		apiError(t, f.do("GET", "/api/v1/users", token, nil), http.StatusForbidden, "forbidden")
		apiError(t, f.do("GET", "/api/v1/audit", token, nil), http.StatusForbidden, "forbidden")
		// What every user may do.
		decodeAs[meResponse](t, f.do("GET", "/api/v1/me", token, nil), http.StatusOK)
		decodeAs[list[map[string]any]](t, f.do("GET", "/api/v1/departments", token, nil), http.StatusOK)
	})
}
