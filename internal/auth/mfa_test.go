package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func totp(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := auth.TOTPCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// wrongTOTP returns a six-digit code that is valid at none of the steps accepted at now.
func wrongTOTP(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		valid[totp(t, secret, now.Add(d))] = true
	}
	for i := 123456; ; i++ {
		if c := fmt.Sprintf("%06d", i%1000000); !valid[c] {
			return c
		}
	}
}

// enrol turns MFA on for the signed-in actor and returns the secret and recovery codes.
func (e *env) enrol(t *testing.T, who access.Actor) (string, []string) {
	t.Helper()
	en, err := e.auth.BeginMFA(ctx, who, "Mamori 岸和田市")
	if err != nil {
		t.Fatal(err)
	}
	codes, err := e.auth.ConfirmMFA(ctx, who, totp(t, en.Secret, e.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return en.Secret, codes
}

func TestMFA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)

		t.Run("the secret offered stays the same until enrolment succeeds", func(t *testing.T) {
			u := e.activeUser(t, "kondo")
			_, who := e.signIn(t, "kondo", password)
			first, err := e.auth.BeginMFA(ctx, who, "Mamori")
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.auth.ConfirmMFA(ctx, who, wrongTOTP(t, first.Secret, e.clock.Now()))
			wantField(t, err, "code", "auth.error.mfa_enrol_code")
			// The page after a wrong code, a reload, another tab, another server process.
			for _, svc := range []*auth.Service{e.auth, service(db, e.clock)} {
				again, err := svc.BeginMFA(ctx, who, "Mamori")
				if err != nil {
					t.Fatal(err)
				}
				if again.Secret != first.Secret || again.URL != first.URL {
					t.Fatalf("a new secret was offered: %s, first %s", again.Secret, first.Secret)
				}
			}
			if _, err := e.auth.ConfirmMFA(ctx, who, totp(t, first.Secret, e.clock.Now())); err != nil {
				t.Fatalf("the code of the first secret: %v", err)
			}
			_, err = e.auth.BeginMFA(ctx, who, "Mamori")
			wantCode(t, err, apperr.Conflict)

			t.Run("a password reset drops a secret never confirmed", func(t *testing.T) {
				v := e.activeUser(t, "kondo2")
				_, who := e.signIn(t, "kondo2", password)
				offered, err := e.auth.BeginMFA(ctx, who, "Mamori")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.auth.ResetPassword(ctx, e.admin, v.ID); err != nil {
					t.Fatal(err)
				}
				if n := e.count(t, `SELECT count(*) FROM users WHERE id = $1 AND mfa_secret = ''`, v.ID); n != 1 {
					t.Fatalf("the secret %s is still pending", offered.Secret)
				}
				if n := e.count(t, `SELECT count(*) FROM users WHERE id = $1 AND mfa_secret <> '' AND mfa_enabled`, u.ID); n != 1 {
					t.Fatal("an enrolled secret was touched")
				}
			})
		})

		t.Run("enrolment needs a valid code and returns ten recovery codes", func(t *testing.T) {
			u := e.activeUser(t, "tanaka")
			_, who := e.signIn(t, "tanaka", password)
			en, err := e.auth.BeginMFA(ctx, who, "Mamori")
			if err != nil {
				t.Fatal(err)
			}
			if len(en.Secret) < 16 || !strings.HasPrefix(en.URL, "otpauth://totp/") || !strings.Contains(en.URL, "tanaka") ||
				!strings.HasPrefix(en.QRPNG, "data:image/png;base64,") {
				t.Fatalf("enrolment = %+v", en)
			}
			if e.user(t, u.ID).MFAEnabled {
				t.Fatal("enabled before confirmation")
			}
			_, err = e.auth.ConfirmMFA(ctx, who, wrongTOTP(t, en.Secret, e.clock.Now()))
			wantField(t, err, "code", "auth.error.mfa_enrol_code")
			// A code from a minute ago is outside the accepted window.
			_, err = e.auth.ConfirmMFA(ctx, who, totp(t, en.Secret, e.clock.Now().Add(-2*time.Minute)))
			wantField(t, err, "code", "auth.error.mfa_enrol_code")
			codes, err := e.auth.ConfirmMFA(ctx, who, totp(t, en.Secret, e.clock.Now()))
			if err != nil {
				t.Fatal(err)
			}
			distinct := map[string]bool{}
			for _, c := range codes {
				distinct[c] = true
			}
			if len(codes) != auth.RecoveryCodeCount || auth.RecoveryCodeCount != 10 || len(distinct) != 10 {
				t.Fatalf("recovery codes = %v", codes)
			}
			if !e.user(t, u.ID).MFAEnabled {
				t.Fatal("not enabled")
			}
			var stored string
			if err := db.SQL.QueryRowContext(ctx, `SELECT code_hash FROM recovery_codes WHERE user_id = $1 LIMIT 1`, u.ID).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			for _, c := range codes {
				if strings.Contains(strings.ToLower(stored), strings.ToLower(strings.ReplaceAll(c, "-", ""))) {
					t.Fatal("recovery code stored in clear")
				}
			}
			_, err = e.auth.ConfirmMFA(ctx, who, totp(t, en.Secret, e.clock.Now()))
			wantCode(t, err, apperr.Conflict)
			n := 0
			for _, en := range e.entries(t, "auth.mfa_enabled") {
				if en.EntityID == itoa(u.ID) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d enablements audited", n)
			}
		})

		t.Run("a platform administrator must enrol", func(t *testing.T) {
			_, temp := e.createUser(t, "kanri", true)
			token, who := e.signIn(t, "kanri", temp)
			if err := e.auth.ChangePassword(ctx, who, temp, password, password); err != nil {
				t.Fatal(err)
			}
			sess, _, err := e.auth.Authenticate(ctx, token, client)
			if err != nil || !sess.MustEnrolMFA || sess.Ready() {
				t.Fatalf("before enrolment: %+v, %v", sess, err)
			}
			e.enrol(t, who)
			sess, _, err = e.auth.Authenticate(ctx, token, client)
			if err != nil || sess.MustEnrolMFA || !sess.Ready() {
				t.Fatalf("after enrolment: %+v, %v", sess, err)
			}
			// An ordinary user is not required to.
			e.activeUser(t, "ippan")
			token, _ = e.signIn(t, "ippan", password)
			if sess, _, _ := e.auth.Authenticate(ctx, token, client); sess.MustEnrolMFA || !sess.Ready() {
				t.Fatalf("ordinary user: %+v", sess)
			}
		})

		t.Run("login of an MFA user waits for the second factor", func(t *testing.T) {
			e.activeUser(t, "suzuki")
			_, who := e.signIn(t, "suzuki", password)
			secret, _ := e.enrol(t, who)
			res, err := e.auth.Login(ctx, "suzuki", password, client)
			if err != nil || res.Stage != auth.StageMFA {
				t.Fatalf("login = %+v, %v", res, err)
			}
			sess, _, err := e.auth.Authenticate(ctx, res.Token, client)
			if err != nil || sess.Stage != auth.StageMFA || sess.Ready() {
				t.Fatalf("pending session = %+v, %v", sess, err)
			}
			if got := e.entries(t, "auth.password_ok"); len(got) != 1 || got[0].After != `{"stage":"mfa"}` {
				t.Fatalf("audit = %+v", got)
			}
			e.clock.Advance(30 * time.Second) // the enrolment used this step's code
			code := totp(t, secret, e.clock.Now())
			if err := e.auth.VerifyMFA(ctx, res.Token, code, client); err != nil {
				t.Fatal(err)
			}
			again, err := e.auth.Login(ctx, "suzuki", password, client)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.auth.VerifyMFA(ctx, again.Token, code, client); apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("a code used once was accepted again: %v", err)
			}
			e.clock.Advance(auth.MFAWindow + time.Second)
			if err := e.auth.VerifyMFA(ctx, again.Token, totp(t, secret, e.clock.Now()), client); apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Fatalf("a second factor after the window was accepted: %v", err)
			}
			sess, _, err = e.auth.Authenticate(ctx, res.Token, client)
			if err != nil || !sess.Ready() {
				t.Fatalf("after the second factor: %+v, %v", sess, err)
			}
			login := e.entries(t, "auth.login")
			if login[0].Actor != "suzuki" || login[0].After != `{"second_factor":"totp","stage":"full"}` {
				t.Fatalf("audit = %+v", login[0])
			}
			wantClient(t, login[0])
			// A completed session is not a second-factor session any more.
			wantCode(t, e.auth.VerifyMFA(ctx, res.Token, totp(t, secret, e.clock.Now()), client), apperr.Unauthenticated)
			wantCode(t, e.auth.VerifyMFA(ctx, "no-such-token", "123456", client), apperr.Unauthenticated)
		})

		t.Run("a recovery code works once", func(t *testing.T) {
			e.activeUser(t, "sato")
			_, who := e.signIn(t, "sato", password)
			_, codes := e.enrol(t, who)
			res, _ := e.auth.Login(ctx, "sato", password, client)
			// Typed in capitals with spaces, as read from paper.
			typed := " " + strings.ToUpper(strings.ReplaceAll(codes[3], "-", " - ")) + " "
			if err := e.auth.VerifyMFA(ctx, res.Token, typed, client); err != nil {
				t.Fatal(err)
			}
			if sess, _, err := e.auth.Authenticate(ctx, res.Token, client); err != nil || !sess.Ready() {
				t.Fatalf("session = %+v, %v", sess, err)
			}
			if login := e.entries(t, "auth.login"); !strings.Contains(login[0].After, "recovery_code") {
				t.Fatalf("audit = %+v", login[0])
			}
			res, _ = e.auth.Login(ctx, "sato", password, client)
			wantField(t, e.auth.VerifyMFA(ctx, res.Token, codes[3], client), "code", "auth.error.mfa_code")
			if err := e.auth.VerifyMFA(ctx, res.Token, codes[4], client); err != nil {
				t.Fatalf("another recovery code: %v", err)
			}
		})

		t.Run("wrong codes count towards the lockout", func(t *testing.T) {
			e.exec(t, `UPDATE organizations SET lockout_after_failures = 3 WHERE id = $1`, e.orgID)
			defer e.exec(t, `UPDATE organizations SET lockout_after_failures = 5 WHERE id = $1`, e.orgID)
			u := e.activeUser(t, "yamada")
			_, who := e.signIn(t, "yamada", password)
			secret, _ := e.enrol(t, who)
			res, _ := e.auth.Login(ctx, "yamada", password, client)
			bad := wrongTOTP(t, secret, e.clock.Now())
			for i := 1; i <= 2; i++ {
				wantField(t, e.auth.VerifyMFA(ctx, res.Token, bad, client), "code", "auth.error.mfa_code")
				if got := e.user(t, u.ID).FailedLogins; got != i {
					t.Fatalf("failures = %d after %d wrong codes", got, i)
				}
			}
			failed := e.entries(t, "auth.login_failed")
			if !strings.Contains(failed[0].After, "bad_mfa_code") {
				t.Fatalf("audit = %+v", failed[0])
			}
			wantClient(t, failed[0])
			wantCode(t, e.auth.VerifyMFA(ctx, res.Token, bad, client), apperr.Locked)
			if !e.user(t, u.ID).Locked() {
				t.Fatal("not locked")
			}
			// Locked: even the right code and the right password are refused.
			wantCode(t, e.auth.VerifyMFA(ctx, res.Token, totp(t, secret, e.clock.Now()), client), apperr.Unauthenticated)
			_, err := e.auth.Login(ctx, "yamada", password, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		e.verifyChain(t)
	})
}
