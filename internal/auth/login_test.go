package auth_test

import (
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// wantClient checks that an audit entry records where the request came from.
func wantClient(t *testing.T, e auditlog.Entry) {
	t.Helper()
	if e.RemoteAddr != client.RemoteAddr || e.UserAgent != client.UserAgent {
		t.Errorf("%s entry records %q / %q, want %q / %q", e.Action, e.RemoteAddr, e.UserAgent, client.RemoteAddr, client.UserAgent)
	}
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)

		t.Run("temporary password starts a session that must change it", func(t *testing.T) {
			u, temp := e.createUser(t, "tanaka", false)
			res, err := e.auth.Login(ctx, "tanaka", temp, client)
			if err != nil {
				t.Fatal(err)
			}
			if res.Stage != auth.StageFull || res.User.ID != u.ID || len(res.Token) < 40 {
				t.Fatalf("result = %+v", res)
			}
			sess, who, err := e.auth.Authenticate(ctx, res.Token, client)
			if err != nil {
				t.Fatal(err)
			}
			if !sess.MustChangePassword || sess.Ready() || who.UserID != u.ID {
				t.Fatalf("session = %+v, actor = %+v", sess, who)
			}
			login := e.entries(t, "auth.login")
			if len(login) != 1 || login[0].ActorUserID != u.ID || login[0].Actor != "tanaka" || login[0].After != `{"stage":"full"}` {
				t.Fatalf("audit = %+v", login)
			}
			wantClient(t, login[0])
		})

		t.Run("unknown user fails and is audited", func(t *testing.T) {
			_, err := e.auth.Login(ctx, "nobody", "whatever-password", client)
			wantCode(t, err, apperr.Unauthenticated)
			failed := e.entries(t, "auth.login_failed")
			if len(failed) == 0 || failed[0].Actor != "nobody" || failed[0].EntityID != "nobody" || failed[0].ActorUserID != 0 ||
				!strings.Contains(failed[0].After, "unknown_user") {
				t.Fatalf("audit = %+v", failed)
			}
			wantClient(t, failed[0])
		})

		t.Run("empty credentials fail", func(t *testing.T) {
			for _, c := range [][2]string{{"", "x"}, {"tanaka", ""}, {"  ", "x"}} {
				_, err := e.auth.Login(ctx, c[0], c[1], client)
				wantCode(t, err, apperr.Unauthenticated)
			}
		})

		t.Run("login is case and width insensitive", func(t *testing.T) {
			e.activeUser(t, "admin")
			for _, name := range []string{"ＡＤＭＩＮ", " Admin ", "ADMIN"} {
				res, err := e.auth.Login(ctx, name, password, client)
				if err != nil || res.User.Login != "admin" {
					t.Errorf("login %q: %+v, %v", name, res.User, err)
				}
			}
		})

		t.Run("wrong password counts failures and a success resets them", func(t *testing.T) {
			u := e.activeUser(t, "suzuki")
			for i := 1; i <= 2; i++ {
				_, err := e.auth.Login(ctx, "suzuki", "wrong-password-1234", client)
				wantCode(t, err, apperr.Unauthenticated)
				if got := e.user(t, u.ID).FailedLogins; got != i {
					t.Fatalf("after %d failures the count is %d", i, got)
				}
			}
			failed := e.entries(t, "auth.login_failed")
			if failed[0].ActorUserID != u.ID || failed[0].After != `{"consecutive_failures":2,"reason":"bad_password"}` {
				t.Fatalf("audit = %+v", failed[0])
			}
			wantClient(t, failed[0])
			if _, err := e.auth.Login(ctx, "suzuki", password, client); err != nil {
				t.Fatal(err)
			}
			if got := e.user(t, u.ID); got.FailedLogins != 0 || got.Locked() {
				t.Fatalf("after a success: %+v", got)
			}
		})

		t.Run("disabled account cannot sign in", func(t *testing.T) {
			u := e.activeUser(t, "taishoku")
			if err := e.auth.SetDisabled(ctx, e.admin, u.ID, true); err != nil {
				t.Fatal(err)
			}
			_, err := e.auth.Login(ctx, "taishoku", password, client)
			wantCode(t, err, apperr.Unauthenticated)
			if failed := e.entries(t, "auth.login_failed"); !strings.Contains(failed[0].After, "disabled") {
				t.Fatalf("audit = %+v", failed[0])
			}
			if err := e.auth.SetDisabled(ctx, e.admin, u.ID, false); err != nil {
				t.Fatal(err)
			}
			if _, err := e.auth.Login(ctx, "taishoku", password, client); err != nil {
				t.Fatalf("re-enabled: %v", err)
			}
		})

		t.Run("logout is audited", func(t *testing.T) {
			e.activeUser(t, "kimura")
			_, who := e.signIn(t, "kimura", password)
			if err := e.auth.Logout(ctx, who); err != nil {
				t.Fatal(err)
			}
			out := e.entries(t, "auth.logout")
			if len(out) == 0 || out[0].Actor != "kimura" || out[0].ActorUserID != who.UserID || !strings.Contains(out[0].After, itoa(who.SessionID)) {
				t.Fatalf("audit = %+v", out)
			}
			wantClient(t, out[0])
		})

		t.Run("a user agent that is not UTF-8 is recorded", func(t *testing.T) {
			// Go's HTTP server passes header bytes through; old Japanese phones send Shift_JIS.
			u := e.activeUser(t, "keitai")
			sjis := auth.Client{RemoteAddr: "192.0.2.77", UserAgent: "DoCoMo/2.0 \x83e\x83X\x83g"}
			_, err := e.auth.Login(ctx, "keitai", "wrong-password-1234", sjis)
			wantCode(t, err, apperr.Unauthenticated)
			if got := e.user(t, u.ID).FailedLogins; got != 1 {
				t.Fatalf("failure not counted: %d", got)
			}
			res, err := e.auth.Login(ctx, "keitai", password, sjis)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := e.auth.Authenticate(ctx, res.Token, sjis); err != nil {
				t.Fatal(err)
			}
			login := e.entries(t, "auth.login")
			if login[0].ActorUserID != u.ID || !strings.HasPrefix(login[0].UserAgent, "DoCoMo/2.0 ") || login[0].RemoteAddr != "192.0.2.77" {
				t.Fatalf("audit = %+v", login[0])
			}
		})

		t.Run("a login name that is not UTF-8 is an unknown user", func(t *testing.T) {
			_, err := e.auth.Login(ctx, "ad\xffmin", password, client)
			wantCode(t, err, apperr.Unauthenticated)
			failed := e.entries(t, "auth.login_failed")
			if !strings.Contains(failed[0].After, "unknown_user") || !strings.HasPrefix(failed[0].Actor, "ad") {
				t.Fatalf("audit = %+v", failed[0])
			}
		})

		e.verifyChain(t)
	})
}

func TestLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.exec(t, `UPDATE organizations SET lockout_after_failures = 3 WHERE id = $1`, e.orgID)
		u := e.activeUser(t, "tanaka")
		token, clerk := e.signIn(t, "tanaka", password)

		t.Run("the threshold locks the account and ends its sessions", func(t *testing.T) {
			for range 2 {
				_, err := e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
				wantCode(t, err, apperr.Unauthenticated)
			}
			if _, _, err := e.auth.Authenticate(ctx, token, client); err != nil {
				t.Fatalf("session ended before the lock: %v", err)
			}
			// The failure that locks answers as any other: an unknown name never locks, so a
			// different answer would tell which names exist.
			_, err := e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
			wantBadCredentials(t, err)
			if got := e.user(t, u.ID); !got.Locked() || got.FailedLogins != 3 {
				t.Fatalf("user = %+v", got)
			}
			// Counted before Authenticate, which would drop a locked user's session itself.
			if n := e.count(t, `SELECT count(*) FROM sessions WHERE user_id = $1`, u.ID); n != 0 {
				t.Fatalf("%d sessions left", n)
			}
			_, _, err = e.auth.Authenticate(ctx, token, client)
			wantCode(t, err, apperr.Unauthenticated)
			locked := e.entries(t, "auth.locked")
			if len(locked) != 1 || locked[0].After != `{"consecutive_failures":3,"threshold":3}` {
				t.Fatalf("audit = %+v", locked)
			}
			wantClient(t, locked[0])
		})

		t.Run("the right password is refused while locked, in the words of a wrong one", func(t *testing.T) {
			_, err := e.auth.Login(ctx, "tanaka", password, client)
			wantBadCredentials(t, err)
			if failed := e.entries(t, "auth.login_failed"); !strings.Contains(failed[0].After, `"locked"`) {
				t.Fatalf("audit = %+v", failed[0])
			}
		})

		t.Run("only an administrator can unlock", func(t *testing.T) {
			wantCode(t, e.auth.Unlock(ctx, clerk, u.ID), apperr.Forbidden)
			if !e.user(t, u.ID).Locked() {
				t.Fatal("a non-administrator unlocked the account")
			}
			if err := e.auth.Unlock(ctx, e.admin, u.ID); err != nil {
				t.Fatal(err)
			}
			if got := e.user(t, u.ID); got.Locked() || got.FailedLogins != 0 {
				t.Fatalf("after unlock: %+v", got)
			}
			if _, err := e.auth.Login(ctx, "tanaka", password, client); err != nil {
				t.Fatalf("login after unlock: %v", err)
			}
			if n := len(e.entries(t, "user.unlock")); n != 1 {
				t.Fatalf("%d unlocks audited", n)
			}
		})

		t.Run("a threshold of zero never locks", func(t *testing.T) {
			e.exec(t, `UPDATE organizations SET lockout_after_failures = 0 WHERE id = $1`, e.orgID)
			for range 6 {
				_, err := e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
				wantCode(t, err, apperr.Unauthenticated)
			}
			if got := e.user(t, u.ID); got.Locked() || got.FailedLogins != 6 {
				t.Fatalf("user = %+v", got)
			}
		})

		e.verifyChain(t)
	})
}

// wantBadCredentials checks that err is the one answer to every failed sign-in.
func wantBadCredentials(t *testing.T, err error) {
	t.Helper()
	wantCode(t, err, apperr.Unauthenticated)
	if e := apperr.As(err); e.Key != "auth.error.bad_credentials" || len(e.Args) != 0 || len(e.Fields) != 0 {
		t.Fatalf("error = %+v, want the bad-credentials answer", e)
	}
}
