package auth_test

import (
	"strings"
	"testing"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// noticesOf counts the lock notices a user has in the app.
func (e *env) noticesOf(t *testing.T, userID int64) int {
	t.Helper()
	return e.count(t, `SELECT count(*) FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
		WHERE n.kind = $1 AND r.user_id = $2`, auth.NoticeLocked, userID)
}

func TestSignInAnswersAlike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.exec(t, `UPDATE organizations SET lockout_after_failures = 3 WHERE id = $1`, e.orgID)
		e.activeUser(t, "tanaka")
		locked := e.activeUser(t, "suzuki")
		disabled := e.activeUser(t, "taishoku")
		for range 3 {
			_, err := e.auth.Login(ctx, "suzuki", "wrong-password-1234", client)
			wantBadCredentials(t, err)
		}
		if !e.user(t, locked.ID).Locked() {
			t.Fatal("suzuki is not locked")
		}
		if err := e.auth.SetDisabled(ctx, e.admin, disabled.ID, true); err != nil {
			t.Fatal(err)
		}
		// A locked account answered at once, before the password was hashed; an unknown one
		// after a hash: the time told which accounts were locked. Now each attempt verifies one
		// password and gives the same answer.
		for _, c := range []struct{ name, login, pw string }{
			{"wrong password", "tanaka", "wrong-password-1234"},
			{"unknown account", "nobody", "wrong-password-1234"},
			{"locked account, wrong password", "suzuki", "wrong-password-1234"},
			{"locked account, right password", "suzuki", password},
			{"disabled account, right password", "taishoku", password},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := auth.Verifications(e.auth)
				_, err := e.auth.Login(ctx, c.login, c.pw, client)
				wantBadCredentials(t, err)
				if n := auth.Verifications(e.auth) - before; n != 1 {
					t.Fatalf("%d password verifications, want 1", n)
				}
			})
		}
	})
}

func TestAddressThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.exec(t, `UPDATE organizations SET lockout_after_failures = 3 WHERE id = $1`, e.orgID)
		victim := e.activeUser(t, "tanaka")
		e.activeUser(t, "suzuki")
		attacker := auth.Client{RemoteAddr: "203.0.113.9", UserAgent: "curl/8"}
		// Another server process sharing the database counts the same failures.
		other := service(db, e.clock)

		t.Run("failures from one address are counted across accounts and processes", func(t *testing.T) {
			for i := range auth.ThrottleFailures {
				svc := e.auth
				if i%2 == 1 {
					svc = other
				}
				login := []string{"nobody", "ghost"}[i%2]
				if i == auth.ThrottleFailures-1 {
					login = "tanaka" // the last failure still counts against the account
				}
				_, err := svc.Login(ctx, login, "wrong-password-1234", attacker)
				wantBadCredentials(t, err)
			}
			if got := e.user(t, victim.ID).FailedLogins; got != 1 {
				t.Fatalf("tanaka has %d failures, want 1", got)
			}
		})

		t.Run("then the address is refused and the account is not touched", func(t *testing.T) {
			for _, svc := range []*auth.Service{e.auth, other} {
				for _, pw := range []string{"wrong-password-1234", "another-wrong-one", password} {
					before := auth.Verifications(svc)
					_, err := svc.Login(ctx, "tanaka", pw, attacker)
					wantCode(t, err, apperr.TooMany)
					if e := apperr.As(err); e.Key != "auth.error.throttled" || len(e.Args) != 1 || e.Args[0] != 15 {
						t.Fatalf("error = %+v", e)
					}
					if n := auth.Verifications(svc) - before; n != 0 {
						t.Fatalf("a refused attempt verified %d passwords", n)
					}
				}
			}
			if got := e.user(t, victim.ID); got.FailedLogins != 1 || got.Locked() {
				t.Fatalf("refused attempts counted against tanaka: %+v", got)
			}
			failed := e.entries(t, "auth.login_failed")
			if failed[0].ActorUserID != victim.ID || failed[0].After != `{"reason":"address_throttled"}` || failed[0].RemoteAddr != attacker.RemoteAddr {
				t.Fatalf("audit = %+v", failed[0])
			}
		})

		t.Run("the account holder signs in from another address", func(t *testing.T) {
			if _, err := e.auth.Login(ctx, "tanaka", password, client); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("the address may try again once the window has passed", func(t *testing.T) {
			e.clock.Advance(auth.ThrottleWindow - time.Second)
			_, err := e.auth.Login(ctx, "tanaka", password, attacker)
			wantCode(t, err, apperr.TooMany)
			e.clock.Advance(time.Second)
			if _, err := e.auth.Login(ctx, "tanaka", password, attacker); err != nil {
				t.Fatal(err)
			}
			_, err = e.auth.Login(ctx, "tanaka", "wrong-password-1234", attacker)
			wantBadCredentials(t, err)
			if n := e.count(t, `SELECT failures FROM login_throttle WHERE address = $1`, attacker.RemoteAddr); n != 1 {
				t.Fatalf("a new window starts at %d failures", n)
			}
		})

		t.Run("an IPv6 network is one address", func(t *testing.T) {
			for i := range auth.ThrottleFailures {
				c := auth.Client{RemoteAddr: "2001:db8:1:2::" + itoa(int64(i+1)), UserAgent: "x"}
				_, err := e.auth.Login(ctx, "nobody", "wrong-password-1234", c)
				wantBadCredentials(t, err)
			}
			_, err := e.auth.Login(ctx, "suzuki", password, auth.Client{RemoteAddr: "2001:db8:1:2:ffff::1"})
			wantCode(t, err, apperr.TooMany)
			if _, err := e.auth.Login(ctx, "suzuki", password, auth.Client{RemoteAddr: "2001:db8:1:3::1"}); err != nil {
				t.Fatalf("another /64: %v", err)
			}
		})

		e.verifyChain(t)
	})
}

func TestLockNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.exec(t, `UPDATE organizations SET lockout_after_failures = 3 WHERE id = $1`, e.orgID)
		admin, _ := e.createUser(t, "kanri", true)
		u := e.activeUser(t, "tanaka")
		for range 3 {
			_, err := e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
			wantBadCredentials(t, err)
		}
		if n := e.noticesOf(t, u.ID); n != 1 {
			t.Fatalf("the account holder has %d lock notices", n)
		}
		if n := e.noticesOf(t, admin.ID); n != 1 {
			t.Fatalf("the administrator has %d lock notices", n)
		}
		var subject, body, link string
		err := db.SQL.QueryRowContext(ctx, `SELECT n.subject_ja, n.body_ja, n.link FROM notices n JOIN notice_recipients r ON r.notice_id = n.id
			WHERE r.user_id = $1`, admin.ID).Scan(&subject, &body, &link)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(subject, "tanaka") || !strings.Contains(body, "3回") || !strings.Contains(body, client.RemoteAddr) ||
			!strings.Contains(body, "解除は管理者が行います") || link != "/users/"+itoa(u.ID) {
			t.Fatalf("administrator's notice: %q / %q / %q", subject, body, link)
		}
		// Further failures on the locked account tell no one again.
		_, err = e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
		wantBadCredentials(t, err)
		if n := e.noticesOf(t, admin.ID); n != 1 {
			t.Fatalf("the administrator has %d lock notices after another failure", n)
		}
		e.verifyChain(t)
	})
}

func TestUnlockAfterPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.exec(t, `UPDATE organizations SET lockout_after_failures = 3, unlock_after_minutes = 30 WHERE id = $1`, e.orgID)
		u := e.activeUser(t, "tanaka")
		for range 3 {
			_, err := e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
			wantBadCredentials(t, err)
		}
		var body string
		if err := db.SQL.QueryRowContext(ctx, `SELECT n.body_ja FROM notices n JOIN notice_recipients r ON r.notice_id = n.id
			WHERE r.user_id = $1`, u.ID).Scan(&body); err != nil || !strings.Contains(body, "30分後に自動で解除されます") {
			t.Fatalf("holder's notice: %q, %v", body, err)
		}
		e.clock.Advance(29 * time.Minute)
		_, err := e.auth.Login(ctx, "tanaka", password, client)
		wantBadCredentials(t, err)
		if !e.user(t, u.ID).Locked() {
			t.Fatal("unlocked before the period")
		}
		e.clock.Advance(time.Minute)
		if _, err := e.auth.Login(ctx, "tanaka", password, client); err != nil {
			t.Fatalf("after the period: %v", err)
		}
		if got := e.user(t, u.ID); got.Locked() || got.FailedLogins != 0 {
			t.Fatalf("user = %+v", got)
		}
		if n := len(e.entries(t, "auth.unlocked")); n != 1 {
			t.Fatalf("%d automatic unlocks audited", n)
		}

		t.Run("with unlock by an administrator the lock stays", func(t *testing.T) {
			e.exec(t, `UPDATE organizations SET unlock_after_minutes = 0 WHERE id = $1`, e.orgID)
			for range 3 {
				_, err := e.auth.Login(ctx, "tanaka", "wrong-password-1234", client)
				wantBadCredentials(t, err)
			}
			e.clock.Advance(30 * 24 * time.Hour)
			_, err := e.auth.Login(ctx, "tanaka", password, client)
			wantBadCredentials(t, err)
			if !e.user(t, u.ID).Locked() {
				t.Fatal("unlocked without an administrator")
			}
		})
		e.verifyChain(t)
	})
}

func TestChangePasswordGuessesCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.exec(t, `UPDATE organizations SET lockout_after_failures = 3 WHERE id = $1`, e.orgID)
		u := e.activeUser(t, "tanaka")
		token, who := e.signIn(t, "tanaka", password)
		for i := 1; i <= 2; i++ {
			wantField(t, e.auth.ChangePassword(ctx, who, "guess-number-"+itoa(int64(i)), "Brand-New-Pass-2027", "Brand-New-Pass-2027"),
				"current", "auth.error.current_wrong")
			if got := e.user(t, u.ID).FailedLogins; got != i {
				t.Fatalf("after %d wrong guesses the count is %d", i, got)
			}
		}
		failed := e.entries(t, "auth.login_failed")
		if !strings.Contains(failed[0].After, "bad_current_password") {
			t.Fatalf("audit = %+v", failed[0])
		}
		wantClient(t, failed[0])
		wantCode(t, e.auth.ChangePassword(ctx, who, "guess-number-3", "Brand-New-Pass-2027", "Brand-New-Pass-2027"), apperr.Locked)
		if !e.user(t, u.ID).Locked() {
			t.Fatal("not locked")
		}
		_, _, err := e.auth.Authenticate(ctx, token, client)
		wantCode(t, err, apperr.Unauthenticated)
		e.verifyChain(t)
	})
}
