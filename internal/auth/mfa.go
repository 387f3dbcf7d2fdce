package auth

import (
	"bytes"
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// RecoveryCodeCount is how many one-time recovery codes a user receives when enabling MFA.
const RecoveryCodeCount = 10

// Enrolment is a TOTP secret offered to the user, not yet confirmed.
type Enrolment struct {
	Secret string // base32, for typing into an authenticator by hand
	URL    string // otpauth:// URL
	QRPNG  string // data: URL of a QR code image of URL
}

// BeginMFA offers the actor a TOTP secret to enrol. The secret is kept unconfirmed on the
// account, server side, and offered again each time until ConfirmMFA receives a valid code for
// it: a wrong code, a reload or a second tab shows the same QR code, so that the one already
// scanned into an authenticator stays the one that counts.
func (s *Service) BeginMFA(ctx context.Context, who access.Actor, issuer string) (Enrolment, error) {
	u, err := userWhere(ctx, s.DB.SQL, "id = $1 AND org_id = $2", who.UserID, who.OrgID)
	if err != nil {
		return Enrolment{}, err
	}
	if u.MFAEnabled {
		return Enrolment{}, apperr.New(apperr.Conflict, "auth.error.mfa_already")
	}
	var raw []byte
	if u.mfaSecret != "" {
		raw, err = base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(u.mfaSecret)
		if err != nil {
			raw = nil // unreadable: offer a new one
		}
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: who.Login, Period: 30, Digits: otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1, Secret: raw})
	if err != nil {
		return Enrolment{}, apperr.Wrap(err, "totp generate")
	}
	if key.Secret() != u.mfaSecret {
		// Only where no other secret is pending, so that two tabs opened at once end with one.
		res, err := s.DB.SQL.ExecContext(ctx, `UPDATE users SET mfa_secret = $1 WHERE id = $2 AND mfa_enabled = $3 AND mfa_secret = $4`,
			key.Secret(), u.ID, false, u.mfaSecret)
		if err != nil {
			return Enrolment{}, apperr.Wrap(err, "store secret")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return s.BeginMFA(ctx, who, issuer)
		}
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return Enrolment{}, apperr.Wrap(err, "qr")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, apperr.Wrap(err, "qr png")
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// ConfirmMFA enables MFA when code matches the pending secret, and returns the recovery codes,
// shown once and stored hashed.
func (s *Service) ConfirmMFA(ctx context.Context, who access.Actor, code string) ([]string, error) {
	u, err := userWhere(ctx, s.DB.SQL, "id = $1 AND org_id = $2", who.UserID, who.OrgID)
	if err != nil {
		return nil, err
	}
	if u.MFAEnabled {
		return nil, apperr.New(apperr.Conflict, "auth.error.mfa_already")
	}
	step := s.totpStep(u.mfaSecret, code)
	if step == 0 {
		// No recovery codes exist yet: the message asks only for the app's code.
		return nil, apperr.InvalidField("code", "auth.error.mfa_enrol_code")
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = randomGroups(2, 5)
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET mfa_enabled = $1, mfa_last_step = $2 WHERE id = $3`, true, step, u.ID); err != nil {
			return apperr.Wrap(err, "enable mfa")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, u.ID); err != nil {
			return apperr.Wrap(err, "recovery codes")
		}
		for _, c := range codes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (org_id, user_id, code_hash) VALUES ($1, $2, $3)`,
				u.OrgID, u.ID, tokenHash(normalizeCode(c))); err != nil {
				return apperr.Wrap(err, "recovery codes")
			}
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "auth.mfa_enabled"})
		return err
	})
	return codes, err
}

// VerifyMFA completes a login pending its second factor, with a TOTP code or an unused recovery
// code. Wrong codes count towards the lockout like wrong passwords.
func (s *Service) VerifyMFA(ctx context.Context, token, code string, c Client) error {
	var sessID, userID int64
	var stage string
	var created time.Time
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT id, user_id, stage, created_at FROM sessions WHERE token_hash = $1`, tokenHash(token)).
		Scan(&sessID, &userID, &stage, &created)
	if err != nil || stage != StageMFA {
		return apperr.New(apperr.Unauthenticated, "error.unauthorized")
	}
	if s.now().Sub(created) > MFAWindow {
		s.DB.SQL.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sessID)
		return apperr.New(apperr.Unauthenticated, "error.unauthorized")
	}
	u, err := userWhere(ctx, s.DB.SQL, "id = $1", userID)
	if err != nil {
		return err
	}
	if u.Locked() || u.Disabled {
		return apperr.New(apperr.Locked, "error.locked")
	}
	who := actorOf(u, c)
	who.SessionID = sessID
	now := s.now()
	method := "totp"
	step := s.totpStep(u.mfaSecret, code)
	ok := false
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if step != 0 {
			// Each time step's code is accepted once, even across server processes.
			res, err := tx.ExecContext(ctx, `UPDATE users SET mfa_last_step = $1 WHERE id = $2 AND mfa_last_step < $1`, step, u.ID)
			if err != nil {
				return apperr.Wrap(err, "totp step")
			}
			n, _ := res.RowsAffected()
			ok = n == 1
		}
		if !ok {
			res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
				now, u.ID, tokenHash(normalizeCode(code)))
			if err != nil {
				return apperr.Wrap(err, "recovery code")
			}
			if n, _ := res.RowsAffected(); n == 1 {
				ok, method = true, "recovery_code"
			}
		}
		if !ok {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET stage = $1, last_seen_at = $2 WHERE id = $3`, StageFull, now, sessID); err != nil {
			return apperr.Wrap(err, "session stage")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0 WHERE id = $1`, u.ID); err != nil {
			return apperr.Wrap(err, "reset failures")
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "auth.login",
			After: map[string]any{"stage": StageFull, "second_factor": method}})
		return err
	})
	if err != nil {
		return err
	}
	if !ok {
		locked, err := s.countFailure(ctx, u, c, "bad_mfa_code")
		if err != nil {
			return err
		}
		if locked {
			return apperr.New(apperr.Locked, "error.locked")
		}
		return apperr.InvalidField("code", "auth.error.mfa_code")
	}
	return nil
}

// MFAWindow is how long a sign-in may wait for its second factor after the password.
const MFAWindow = 10 * time.Minute

var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpStep returns the 30-second time step whose code equals code — the current one or either
// neighbour, for clocks that drift — or 0 when none does.
func (s *Service) totpStep(secret, code string) int64 {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if secret == "" || len(code) != 6 {
		return 0
	}
	now := s.now().Unix() / 30
	for step := now - 1; step <= now+1; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*30, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step
		}
	}
	return 0
}

// TOTPCode returns the current code for secret; tests and the demo use it.
func TOTPCode(secret string, at time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, at, totpOpts)
}

func normalizeCode(c string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(c)))
}
