package auth_test

import (
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestHashFormat(t *testing.T) {
	h, err := auth.HashPassword("正しい馬の電池ホチキス", auth.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") || strings.Count(h, "$") != 5 {
		t.Fatalf("hash = %s", h)
	}
	if ok, err := auth.VerifyPassword("正しい馬の電池ホチキス", h); !ok || err != nil {
		t.Fatalf("verify = %v, %v", ok, err)
	}
}

func TestHashAndVerify(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the right password verifies", func(t *testing.T) {
		if ok, err := auth.VerifyPassword("correct horse battery", h); !ok || err != nil {
			t.Fatalf("verify = %v, %v", ok, err)
		}
	})
	t.Run("a wrong password does not", func(t *testing.T) {
		for _, pw := range []string{"correct horse batter", "Correct horse battery", "", "correct horse battery "} {
			if ok, err := auth.VerifyPassword(pw, h); ok || err != nil {
				t.Errorf("verify(%q) = %v, %v", pw, ok, err)
			}
		}
	})
	t.Run("each hash has its own salt", func(t *testing.T) {
		h2, _ := auth.HashPassword("correct horse battery", cheap)
		if h2 == h {
			t.Fatal("two hashes of one password are equal")
		}
	})
	t.Run("the parameters are read from the hash", func(t *testing.T) {
		if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
			t.Fatalf("hash = %s", h)
		}
	})
	t.Run("a malformed hash is an error", func(t *testing.T) {
		parts := strings.Split(h, "$")
		for name, bad := range map[string]string{
			"empty":         "",
			"bcrypt":        "$2a$10$abcdefghijklmnopqrstuu5Sx6mKfWn1Om0Ck5J3Gh3bZ1U5eXH2",
			"argon2i":       strings.Replace(h, "argon2id", "argon2i", 1),
			"other version": strings.Replace(h, "v=19", "v=16", 1),
			"no params":     strings.Join([]string{"", parts[1], parts[2], "x", parts[4], parts[5]}, "$"),
			"bad salt":      strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
			"bad key":       strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "!!"}, "$"),
			"extra part":    h + "$x",
		} {
			if ok, err := auth.VerifyPassword("correct horse battery", bad); ok || err == nil {
				t.Errorf("%s: verify = %v, %v", name, ok, err)
			}
		}
	})
}

func TestTemporaryPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		p := auth.TemporaryPassword()
		if len(p) != 19 || strings.Count(p, "-") != 3 || strings.ContainsAny(p, "0O1lIio5S") {
			t.Fatalf("temporary password %q", p)
		}
		seen[p] = true
	}
	if len(seen) != 50 {
		t.Fatalf("%d distinct of 50", len(seen))
	}
}

func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)

		t.Run("policy", func(t *testing.T) {
			u, temp := e.createUser(t, "tanaka", false)
			_, who := e.signIn(t, "tanaka", temp)
			for _, c := range []struct {
				name, current, next, confirm, field, key string
			}{
				{"too short", temp, "short-pw-1", "short-pw-1", "new", "auth.error.password_short"},
				{"eleven Japanese characters", temp, "いろはにほへとちりぬる", "いろはにほへとちりぬる", "new", "auth.error.password_short"},
				{"contains the login", temp, "My-TANAKA-pass-2026", "My-TANAKA-pass-2026", "new", "auth.error.password_contains_login"},
				{"one repeated character", temp, "xxxxxxxxxxxxxx", "xxxxxxxxxxxxxx", "new", "auth.error.password_weak"},
				{"only spaces", temp, strings.Repeat(" ", 14), strings.Repeat(" ", 14), "new", "auth.error.password_weak"},
				{"too long", temp, strings.Repeat("ab", 129), strings.Repeat("ab", 129), "new", "auth.error.password_long"},
				{"confirmation differs", temp, password, password + "x", "confirm", "auth.error.confirm_mismatch"},
				{"wrong current password", "not-the-password", password, password, "current", "auth.error.current_wrong"},
				{"the current password again", temp, temp, temp, "new", "auth.error.password_reused"},
			} {
				t.Run(c.name, func(t *testing.T) {
					wantField(t, e.auth.ChangePassword(ctx, who, c.current, c.next, c.confirm), c.field, c.key)
				})
			}
			if got := e.user(t, u.ID); !got.MustChangePassword {
				t.Fatal("a refused change cleared must_change_password")
			}
			if n := len(e.entries(t, "auth.password_changed")); n != 0 {
				t.Fatalf("%d password changes audited", n)
			}

			t.Run("twelve Japanese characters are enough", func(t *testing.T) {
				jp := "いろはにほへとちりぬるを" // 12 characters, 36 bytes
				if err := e.auth.ChangePassword(ctx, who, temp, jp, jp); err != nil {
					t.Fatal(err)
				}
				if _, err := e.auth.Login(ctx, "tanaka", jp, client); err != nil {
					t.Fatalf("login with the new password: %v", err)
				}
			})
		})

		t.Run("the last five passwords cannot be reused, the sixth can", func(t *testing.T) {
			u := e.activeUser(t, "suzuki")
			_, who := e.signIn(t, "suzuki", password)
			pws := []string{password, "second-Pass-0002", "third-Pass-0003", "fourth-Pass-0004", "fifth-Pass-0005", "sixth-Pass-0006"}
			for i := 1; i < len(pws); i++ {
				if err := e.auth.ChangePassword(ctx, who, pws[i-1], pws[i], pws[i]); err != nil {
					t.Fatalf("change %d: %v", i, err)
				}
			}
			current := pws[len(pws)-1]
			for _, old := range pws[1:] {
				wantField(t, e.auth.ChangePassword(ctx, who, current, old, old), "new", "auth.error.password_reused")
			}
			if err := e.auth.ChangePassword(ctx, who, current, pws[0], pws[0]); err != nil {
				t.Fatalf("sixth-oldest password refused: %v", err)
			}
			if n := e.count(t, `SELECT count(*) FROM password_history WHERE user_id = $1`, u.ID); n != 8 {
				t.Fatalf("%d history rows, want temporary + 7", n)
			}
		})

		t.Run("success clears the temporary flag and ends only the other sessions", func(t *testing.T) {
			u, temp := e.createUser(t, "sato", false)
			here, who := e.signIn(t, "sato", temp)
			elsewhere, _ := e.signIn(t, "sato", temp)
			sess, _, err := e.auth.Authenticate(ctx, here, client)
			if err != nil || !sess.MustChangePassword || sess.Ready() {
				t.Fatalf("before: %+v, %v", sess, err)
			}
			if err := e.auth.ChangePassword(ctx, who, temp, password, password); err != nil {
				t.Fatal(err)
			}
			sess, _, err = e.auth.Authenticate(ctx, here, client)
			if err != nil || sess.MustChangePassword || !sess.Ready() {
				t.Fatalf("this session after the change: %+v, %v", sess, err)
			}
			_, _, err = e.auth.Authenticate(ctx, elsewhere, client)
			wantCode(t, err, apperr.Unauthenticated)
			if got := e.user(t, u.ID); got.MustChangePassword {
				t.Error("must_change_password still set")
			}
			_, err = e.auth.Login(ctx, "sato", temp, client)
			wantCode(t, err, apperr.Unauthenticated)
			changed := e.entries(t, "auth.password_changed")
			if len(changed) == 0 || changed[0].EntityID != itoa(u.ID) || changed[0].After != `{"was_temporary":true}` ||
				strings.Contains(changed[0].After, password) {
				t.Fatalf("audit = %+v", changed)
			}
			e.verifyChain(t)
		})
	})
}

func TestGuessablePasswordsAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db) // the organisation is kishiwada, 岸和田市
		e.activeUser(t, "tanaka")
		_, who := e.signIn(t, "tanaka", password)
		for _, c := range []struct{ pw, key string }{
			{"password1234", "auth.error.password_common"},
			{"qwertyuiop12", "auth.error.password_common"},
			{"PASSWORD1234", "auth.error.password_common"},
			{"Ｐａｓｓｗｏｒｄ１２３４", "auth.error.password_common"}, // full-width
			{"P@ssw0rd2026!", "auth.error.password_common"},
			{"2026!iloveyou", "auth.error.password_common"},
			{"sunshine12345678", "auth.error.password_common"},
			{"6yhn7ujm8ik,9ol.", "auth.error.password_weak"},
			{"abcdefghijklmn", "auth.error.password_weak"},
			{"987654321098", "auth.error.password_weak"},
			{"asdfghjkl;'", "auth.error.password_short"},
			{"asdfghjkl;'zx", "auth.error.password_weak"},
			{"abcabcabcabc", "auth.error.password_weak"},
			{"あいうえおかきくけこさし", "auth.error.password_weak"},
			{"Kishiwada-Secure-2026", "auth.error.password_contains_org"},
			{"岸和田の海を守る合言葉です", "auth.error.password_contains_org"},
			{"My-TANAKA-pass-2026", "auth.error.password_contains_login"},
		} {
			t.Run(c.pw, func(t *testing.T) {
				err := e.auth.ChangePassword(ctx, who, password, c.pw, c.pw)
				wantField(t, err, "new", c.key)
				for _, f := range apperr.As(err).Fields {
					for _, lang := range []i18n.Lang{i18n.Ja, i18n.En} {
						if msg := i18n.T(lang, f.Key, f.Args...); strings.Contains(msg, "%!") {
							t.Fatalf("message reads %q", msg)
						}
					}
				}
			})
		}
		current := password
		for _, pw := range []string{"ブラウザで設定する新しいパスワード", "Correct-Horse-Battery-Staple", "umi-to-yama-no-aida-ni"} {
			if err := e.auth.ChangePassword(ctx, who, current, pw, pw); err != nil {
				t.Errorf("%s refused: %v", pw, err)
				continue
			}
			current = pw
		}
	})
}

func TestPasswordMessagesHaveTheirArguments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, temp := e.createUser(t, "sato", false)
		_, who := e.signIn(t, "sato", temp)
		for _, pw := range []string{strings.Repeat("ab", 129), "xxxxxxxxxxxxxx", "My-SATO-pass-2026-x", "short-pw-1", "password1234"} {
			err := e.auth.ChangePassword(ctx, who, temp, pw, pw)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("%s: %v", pw, err)
			}
			for _, f := range apperr.As(err).Fields {
				for _, lang := range []i18n.Lang{i18n.Ja, i18n.En} {
					if msg := i18n.T(lang, f.Key, f.Args...); strings.Contains(msg, "%!") {
						t.Errorf("%s: %s reads %q", pw, f.Key, msg)
					}
				}
			}
		}
	})
}
