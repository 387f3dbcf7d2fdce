package auth_test

import (
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestCreateUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)

		t.Run("invalid input names the field", func(t *testing.T) {
			for _, c := range []struct {
				name  string
				in    auth.NewUser
				field string
				key   string
			}{
				{"empty login", auth.NewUser{Login: " ", DisplayName: "x"}, "login", "error.required"},
				{"one-letter login", auth.NewUser{Login: "a", DisplayName: "x"}, "login", "auth.error.login_format"},
				{"login starting with a dash", auth.NewUser{Login: "-tanaka", DisplayName: "x"}, "login", "auth.error.login_format"},
				{"login with a space", auth.NewUser{Login: "tanaka taro", DisplayName: "x"}, "login", "auth.error.login_format"},
				{"Japanese login", auth.NewUser{Login: "田中", DisplayName: "x"}, "login", "auth.error.login_format"},
				{"login over 64 characters", auth.NewUser{Login: strings.Repeat("a", 65), DisplayName: "x"}, "login", "auth.error.login_format"},
				{"empty display name", auth.NewUser{Login: "tanaka", DisplayName: "  "}, "display_name", "error.required"},
				{"long display name", auth.NewUser{Login: "tanaka", DisplayName: strings.Repeat("名", 101)}, "display_name", "error.too_long"},
				{"unknown language", auth.NewUser{Login: "tanaka", DisplayName: "x", Lang: "fr"}, "lang", "auth.error.lang"},
				{"unknown staff member", auth.NewUser{Login: "tanaka", DisplayName: "x", StaffID: 999999}, "staff_id", "org.error.staff_missing"},
			} {
				t.Run(c.name, func(t *testing.T) {
					_, _, err := e.auth.CreateUser(ctx, e.admin, c.in)
					wantField(t, err, c.field, c.key)
				})
			}
			if n, err := e.auth.CountUsers(ctx, e.admin); err != nil || n != 0 {
				t.Fatalf("%d users created by invalid input", n)
			}
		})

		t.Run("a new user gets a temporary password to change", func(t *testing.T) {
			u, temp, err := e.auth.CreateUser(ctx, e.admin, auth.NewUser{Login: "Ｔａｎａｋａ.Taro", DisplayName: " 田中 太郎 "})
			if err != nil {
				t.Fatal(err)
			}
			if u.Login != "tanaka.taro" || u.DisplayName != "田中 太郎" || u.Lang != "ja" || !u.MustChangePassword || u.PlatformAdmin {
				t.Fatalf("user = %+v", u)
			}
			if len(temp) != 19 {
				t.Fatalf("temporary password %q", temp)
			}
			var hash string
			if err := db.SQL.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, temp) {
				t.Fatalf("stored hash = %q", hash)
			}
			created := e.entries(t, "user.create")
			if len(created) != 1 || created[0].EntityID != itoa(u.ID) || strings.Contains(created[0].After, "argon2") ||
				strings.Contains(created[0].After, temp) || !strings.Contains(created[0].After, `"login":"tanaka.taro"`) {
				t.Fatalf("audit = %+v", created)
			}
		})

		t.Run("a taken login is refused whatever its case", func(t *testing.T) {
			for _, login := range []string{"tanaka.taro", "TANAKA.TARO"} {
				_, _, err := e.auth.CreateUser(ctx, e.admin, auth.NewUser{Login: login, DisplayName: "二人目"})
				wantField(t, err, "login", "auth.error.login_taken")
			}
			if n := len(e.entries(t, "user.create")); n != 1 {
				t.Fatalf("%d creations audited", n)
			}
		})

		t.Run("only an administrator creates users", func(t *testing.T) {
			e.activeUser(t, "clerk")
			_, clerk := e.signIn(t, "clerk", password)
			_, _, err := e.auth.CreateUser(ctx, clerk, auth.NewUser{Login: "sneaky", DisplayName: "x", PlatformAdmin: true})
			wantCode(t, err, apperr.Forbidden)
			_, err = e.auth.ListUsers(ctx, clerk)
			wantCode(t, err, apperr.Forbidden)
			users, err := e.auth.ListUsers(ctx, e.admin)
			if err != nil || len(users) != 2 || users[0].Login != "clerk" || users[1].Login != "tanaka.taro" {
				t.Fatalf("users = %+v, %v", users, err)
			}
		})

		e.verifyChain(t)
	})
}

func TestResetPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.exec(t, `UPDATE organizations SET lockout_after_failures = 2 WHERE id = $1`, e.orgID)
		u := e.activeUser(t, "tanaka")
		_, clerk := e.signIn(t, "tanaka", password)
		for range 2 {
			e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
		}
		if !e.user(t, u.ID).Locked() {
			t.Fatal("setup: not locked")
		}

		t.Run("a non-administrator cannot reset", func(t *testing.T) {
			_, err := e.auth.ResetPassword(ctx, clerk, u.ID)
			wantCode(t, err, apperr.Forbidden)
			_, err = e.auth.ResetPassword(ctx, e.admin, 999999)
			wantCode(t, err, apperr.NotFound)
		})

		t.Run("reset gives a new temporary password, unlocks and forces a change", func(t *testing.T) {
			temp, err := e.auth.ResetPassword(ctx, e.admin, u.ID)
			if err != nil || len(temp) != 19 {
				t.Fatalf("temp = %q, %v", temp, err)
			}
			if got := e.user(t, u.ID); got.Locked() || got.FailedLogins != 0 || !got.MustChangePassword {
				t.Fatalf("user = %+v", got)
			}
			_, err = e.auth.Login(ctx, "tanaka", password, client)
			wantCode(t, err, apperr.Unauthenticated)
			token, _ := e.signIn(t, "tanaka", temp)
			if sess, _, _ := e.auth.Authenticate(ctx, token, client); !sess.MustChangePassword || sess.Ready() {
				t.Fatalf("session = %+v", sess)
			}
			reset := e.entries(t, "user.reset_password")
			if len(reset) != 1 || !strings.Contains(reset[0].Before, `"locked":true`) || !strings.Contains(reset[0].After, `"locked":false`) ||
				strings.Contains(reset[0].After, temp) {
				t.Fatalf("audit = %+v", reset)
			}
		})

		t.Run("reset ends the user's sessions", func(t *testing.T) {
			other := e.activeUser(t, "suzuki")
			token, _ := e.signIn(t, "suzuki", password)
			if _, err := e.auth.ResetPassword(ctx, e.admin, other.ID); err != nil {
				t.Fatal(err)
			}
			_, _, err := e.auth.Authenticate(ctx, token, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		e.verifyChain(t)
	})
}

func TestCountUsersIsForAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if _, err := e.auth.CountUsers(t.Context(), access.Actor{OrgID: e.admin.OrgID, UserID: 99}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a regular user counted accounts: %v", err)
		}
	})
}
