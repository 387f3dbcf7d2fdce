package api

import (
	"context"
	"net/http"
	"testing"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestUsersAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()

		rec := f.do("POST", "/api/v1/users", f.admin, map[string]any{"login": "Ｔａｎａｋａ", "display_name": "田中 一郎", "lang": "en"})
		nu := decodeAs[createdUser](t, rec, http.StatusCreated)
		if nu.User.Login != "tanaka" || nu.User.Lang != "en" || !nu.User.MustChangePassword || nu.TemporaryPassword == "" {
			t.Fatalf("created %+v", nu)
		}
		if loc := rec.Header().Get("Location"); loc != "/api/v1/users/"+itoa64(nu.User.ID) {
			t.Errorf("Location %q", loc)
		}
		userPath := "/api/v1/users/" + itoa64(nu.User.ID)

		t.Run("a taken login is a validation error", func(t *testing.T) {
			rec := f.do("POST", "/api/v1/users", f.admin, map[string]any{"login": "tanaka", "display_name": "別人"})
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Field != "login" {
				t.Errorf("field %q", e.Field)
			}
		})

		t.Run("list and get", func(t *testing.T) {
			l := decodeAs[list[auth.User]](t, f.do("GET", "/api/v1/users", f.admin, nil), http.StatusOK)
			if l.Total != 2 || l.Items[0].Login != "admin" || l.Items[1].Login != "tanaka" {
				t.Errorf("list %+v", l)
			}
			u := decodeAs[auth.User](t, f.do("GET", userPath, f.admin, nil), http.StatusOK)
			if u.DisplayName != "田中 一郎" {
				t.Errorf("user %+v", u)
			}
			apiError(t, f.do("GET", "/api/v1/users/424242", f.admin, nil), http.StatusNotFound, "not_found")
		})

		t.Run("a locked account is unlocked", func(t *testing.T) {
			for range 5 {
				f.svcs.Auth.Login(ctx, "tanaka", "wrong password!", auth.Client{})
			}
			if u, _ := f.svcs.Auth.UserByLogin(ctx, "tanaka"); !u.Locked() {
				t.Fatal("not locked after failures")
			}
			if rec := f.do("POST", userPath+"/unlock", f.admin, nil); rec.Code != http.StatusNoContent {
				t.Fatalf("unlock %d %s", rec.Code, rec.Body)
			}
			if u, _ := f.svcs.Auth.UserByLogin(ctx, "tanaka"); u.Locked() {
				t.Error("still locked")
			}
		})

		t.Run("reset password gives a new temporary one that works", func(t *testing.T) {
			pw := decodeAs[temporaryPassword](t, f.do("POST", userPath+"/reset-password", f.admin, nil), http.StatusOK)
			if pw.TemporaryPassword == "" || pw.TemporaryPassword == nu.TemporaryPassword {
				t.Fatalf("password %q", pw.TemporaryPassword)
			}
			if _, err := f.svcs.Auth.Login(ctx, "tanaka", pw.TemporaryPassword, auth.Client{}); err != nil {
				t.Errorf("login with new temporary password: %v", err)
			}
		})

		t.Run("own tokens, disable and enable", func(t *testing.T) {
			apiError(t, f.do("POST", userPath+"/tokens", f.admin, map[string]any{"name": "連携"}), http.StatusForbidden, "forbidden")
			u, _ := f.svcs.Auth.UserByLogin(ctx, "tanaka")
			secret, err := ownToken(ctx, f.svcs, u)
			if err != nil {
				t.Fatal(err)
			}
			me := decodeAs[meResponse](t, f.do("GET", "/api/v1/me", secret, nil), http.StatusOK)
			if me.Login != "tanaka" || me.Lang != "en" || me.PlatformAdmin {
				t.Errorf("me %+v", me)
			}

			if rec := f.do("POST", userPath+"/disable", f.admin, nil); rec.Code != http.StatusNoContent {
				t.Fatalf("disable %d %s", rec.Code, rec.Body)
			}
			apiError(t, f.do("GET", "/api/v1/me", secret, nil), http.StatusUnauthorized, "unauthenticated")
			if rec := f.do("POST", userPath+"/enable", f.admin, nil); rec.Code != http.StatusNoContent {
				t.Fatalf("enable %d %s", rec.Code, rec.Body)
			}
			apiError(t, f.do("GET", "/api/v1/me", secret, nil), http.StatusUnauthorized, "unauthenticated")
			secret, err = ownToken(ctx, f.svcs, u)
			if err != nil {
				t.Fatal(err)
			}
			tok := createdToken{Secret: secret}
			decodeAs[meResponse](t, f.do("GET", "/api/v1/me", tok.Secret, nil), http.StatusOK)

			t.Run("a user may read only their own account, in their language", func(t *testing.T) {
				decodeAs[auth.User](t, f.do("GET", userPath, tok.Secret, nil), http.StatusOK)
				e := apiError(t, f.do("GET", "/api/v1/users/1", tok.Secret, nil), http.StatusForbidden, "forbidden")
				if e.Message != "You do not have permission to do this" {
					t.Errorf("message %q", e.Message)
				}
			})
			t.Run("a user may not issue tokens for others", func(t *testing.T) {
				apiError(t, f.do("POST", "/api/v1/users/1/tokens", tok.Secret, map[string]any{"name": "x"}), http.StatusForbidden, "forbidden")
			})
			t.Run("revoking an unknown token is 404", func(t *testing.T) {
				apiError(t, f.do("DELETE", "/api/v1/me/tokens/987654", f.admin, nil), http.StatusNotFound, "not_found")
			})
		})

		t.Run("an administrator cannot disable themselves", func(t *testing.T) {
			admin := decodeAs[meResponse](t, f.do("GET", "/api/v1/me", f.admin, nil), http.StatusOK)
			apiError(t, f.do("POST", "/api/v1/users/"+itoa64(admin.UserID)+"/disable", f.admin, nil), http.StatusUnprocessableEntity, "invalid")
		})
	})
}
