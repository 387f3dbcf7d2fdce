package auth

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/textcheck"
)

// Session stages: after the password, a user with MFA must still give a code.
const (
	StageMFA  = "mfa"
	StageFull = "full"
)

// LoginResult is a new session and what the user must do before using Mamori.
type LoginResult struct {
	Token     string
	Stage     string
	User      User
	ExpiresAt string
}

// Login checks a login name and password. Success starts a session (pending a second factor when
// the user has MFA). Failure counts towards the organisation's lockout threshold (岸和田市
// 5(7)⑥: 3 failures), unless the source address has failed too often already, when the attempt
// is refused unheard (see ThrottleFailures). An unknown, locked or disabled account gets the
// same answer as a wrong password, after the same work: the password is always hashed. Every
// attempt is recorded (5(7)③, 5(10)④).
func (s *Service) Login(ctx context.Context, login, password string, c Client) (LoginResult, error) {
	raw, login := login, NormalizeLogin(login)
	fail := apperr.New(apperr.Unauthenticated, "auth.error.bad_credentials")
	if login == "" || password == "" || len(password) > 4*MaxPasswordLength {
		return LoginResult{}, fail
	}
	badName := textcheck.Line(raw) != textcheck.OK
	if refused, until, err := s.throttled(ctx, c.RemoteAddr); err != nil {
		return LoginResult{}, err
	} else if refused {
		if badName {
			login = textcheck.Escape(raw)
		}
		return LoginResult{}, s.recordThrottled(ctx, login, c, s.throttledError(until))
	}
	if badName {
		// A name no account can have (a NUL, invalid UTF-8, a bidi override): a failed attempt
		// like any other, recorded with the name escaped so that every engine can store it.
		s.dummyVerify(password)
		return LoginResult{}, s.recordUnknown(ctx, textcheck.Escape(raw), c, fail)
	}
	u, err := userWhere(ctx, s.DB.SQL, "login = $1", login)
	if apperr.CodeOf(err) == apperr.NotFound {
		s.dummyVerify(password)
		return LoginResult{}, s.recordUnknown(ctx, login, c, fail)
	}
	if err != nil {
		return LoginResult{}, err
	}
	if u.ServiceAccount { // no password: answered as a wrong one, and never counted towards a lockout
		s.dummyVerify(password)
		return LoginResult{}, s.recordFailure(ctx, u, c, "service_account", fail)
	}
	if u.Source != "" && u.Source != SourceLocal { // signs in from the directory: no Mamori password to count against
		s.dummyVerify(password)
		return LoginResult{}, s.recordFailure(ctx, u, c, "directory_user", fail)
	}
	if u.Locked() {
		if u, err = s.unlockIfDue(ctx, u, c); err != nil {
			return LoginResult{}, err
		}
	}
	ok := s.verify(password, u.passwordHash)
	switch {
	case u.Locked():
		return LoginResult{}, s.recordFailure(ctx, u, c, "locked", fail)
	case u.Disabled:
		return LoginResult{}, s.recordFailure(ctx, u, c, "disabled", fail)
	case !ok:
		_, err := s.countFailure(ctx, u, c, "bad_password")
		if err != nil {
			return LoginResult{}, err
		}
		return LoginResult{}, fail
	}
	breakGlass := false
	if s.LocalRule != nil {
		allowed, bg, err := s.LocalRule(ctx, u)
		if err != nil {
			return LoginResult{}, err
		}
		if !allowed { // signs in from the directory only; not counted towards a lockout
			return LoginResult{}, s.recordFailure(ctx, u, c, "directory_only", fail)
		}
		breakGlass = bg
	}
	stage := StageFull
	if u.MFAEnabled {
		stage = StageMFA
	}
	res := LoginResult{Stage: stage, User: u}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0 WHERE id = $1`, u.ID); err != nil {
			return apperr.Wrap(err, "reset failures")
		}
		var err error
		res.Token, err = s.startSession(ctx, tx, u, stage, c)
		if err != nil {
			return err
		}
		action := "auth.login"
		if stage == StageMFA {
			action = "auth.password_ok"
		}
		if _, err = auditlog.Append(ctx, tx, actorOf(u, c), s.now(), auditlog.Event{Entity: "user", EntityID: u.ID, Action: action,
			After: map[string]any{"stage": stage}}); err != nil || !breakGlass {
			return err
		}
		// A local sign-in while the organisation signs in from its directory: the break-glass
		// use of a local administrator's password, an entry of its own for the audit log's filter.
		_, err = auditlog.Append(ctx, tx, actorOf(u, c), s.now(), auditlog.Event{Entity: "user", EntityID: u.ID,
			Action: "auth.break_glass", After: map[string]any{"stage": stage}})
		return err
	})
	return res, err
}

// recordUnknown writes a failed attempt for a login name that matches no account, in the
// installation's first organisation, and counts it against the source address.
func (s *Service) recordUnknown(ctx context.Context, login string, c Client, fail error) error {
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.noteAddressFailure(ctx, tx, c.RemoteAddr); err != nil {
			return err
		}
		return s.auditUnknown(ctx, tx, login, c, "unknown_user")
	})
	if err != nil {
		return apperr.Wrap(err, "record failure")
	}
	return fail
}

func (s *Service) auditUnknown(ctx context.Context, tx *sql.Tx, login string, c Client, reason string) error {
	var orgID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM organizations ORDER BY id LIMIT 1`).Scan(&orgID); err != nil {
		return err
	}
	who := withClient(access.Actor{OrgID: orgID, Login: truncateLogin(login)}, c)
	_, err := auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "user", EntityID: truncateLogin(login),
		Action: "auth.login_failed", After: map[string]any{"reason": reason}})
	return err
}

// recordThrottled writes an attempt refused because its address failed too often. It counts
// against nothing.
func (s *Service) recordThrottled(ctx context.Context, login string, c Client, refused error) error {
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userWhere(ctx, tx, "login = $1", login)
		if apperr.CodeOf(err) == apperr.NotFound {
			return s.auditUnknown(ctx, tx, login, c, "address_throttled")
		}
		if err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, actorOf(u, c), s.now(), auditlog.Event{Entity: "user", EntityID: u.ID,
			Action: "auth.login_failed", After: map[string]any{"reason": "address_throttled"}})
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "record failure")
	}
	return refused
}

// recordFailure writes a failed attempt on a locked or disabled account, and counts it against
// the source address.
func (s *Service) recordFailure(ctx context.Context, u User, c Client, reason string, fail error) error {
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.noteAddressFailure(ctx, tx, c.RemoteAddr); err != nil {
			return err
		}
		_, err := auditlog.Append(ctx, tx, actorOf(u, c), s.now(), auditlog.Event{Entity: "user", EntityID: u.ID,
			Action: "auth.login_failed", After: map[string]any{"reason": reason}})
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "record failure")
	}
	return fail
}

// countFailure adds one to the user's consecutive failures and to the source address's, and
// locks the account when the organisation's threshold is reached: its sessions end, and the
// account holder and the organisation's administrators are told. The count is incremented in
// the database, so attempts spread over several server processes are all counted.
func (s *Service) countFailure(ctx context.Context, u User, c Client, reason string) (locked bool, err error) {
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var failures, threshold, unlockAfter int
		err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins`, u.ID).Scan(&failures)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT lockout_after_failures, unlock_after_minutes FROM organizations WHERE id = $1`, u.OrgID).
			Scan(&threshold, &unlockAfter); err != nil {
			return err
		}
		if err := s.noteAddressFailure(ctx, tx, c.RemoteAddr); err != nil {
			return err
		}
		who := actorOf(u, c)
		now := s.now()
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "auth.login_failed",
			After: map[string]any{"reason": reason, "consecutive_failures": failures}}); err != nil {
			return err
		}
		if threshold > 0 && failures >= threshold {
			res, err := tx.ExecContext(ctx, `UPDATE users SET locked_at = $1 WHERE id = $2 AND locked_at IS NULL`, now, u.ID)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
			locked = true
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // locked already, by a concurrent failure that told everyone
			}
			after := map[string]any{"consecutive_failures": failures, "threshold": threshold}
			if unlockAfter > 0 {
				after["unlock_after_minutes"] = unlockAfter
			}
			if _, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "auth.locked",
				After: after}); err != nil {
				return err
			}
			return s.tellLocked(ctx, tx, u, c, failures, unlockAfter, now)
		}
		return nil
	})
	if err != nil {
		return false, apperr.Wrap(err, "count failure")
	}
	return locked, nil
}

// unlockIfDue lifts a lock whose period has passed, where the organisation's pack unlocks after
// a period rather than by an administrator, and returns the user as they now are.
func (s *Service) unlockIfDue(ctx context.Context, u User, c Client) (User, error) {
	var minutes int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT unlock_after_minutes FROM organizations WHERE id = $1`, u.OrgID).Scan(&minutes); err != nil {
		return u, apperr.Wrap(err, "unlock rule")
	}
	now := s.now()
	if minutes <= 0 || now.Before(u.LockedAt.Add(time.Duration(minutes)*time.Minute)) {
		return u, nil
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_at = NULL WHERE id = $1 AND locked_at IS NOT NULL`, u.ID)
		if err != nil {
			return apperr.Wrap(err, "unlock")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // unlocked meanwhile
		}
		_, err = auditlog.Append(ctx, tx, actorOf(u, c), now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "auth.unlocked",
			After: map[string]any{"locked_at": u.LockedAt.Format(time.RFC3339), "unlock_after_minutes": minutes}})
		return err
	})
	if err != nil {
		return u, err
	}
	return userWhere(ctx, s.DB.SQL, "id = $1", u.ID)
}

func actorOf(u User, c Client) access.Actor {
	return withClient(access.Actor{OrgID: u.OrgID, UserID: u.ID, StaffID: u.StaffID, Login: u.Login, Name: u.DisplayName,
		PlatformAdmin: u.PlatformAdmin, Lang: u.Lang}, c)
}

func truncateLogin(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:64])
	}
	return strings.TrimSpace(s)
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, who access.Actor) error {
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1 AND user_id = $2`, who.SessionID, who.UserID); err != nil {
			return apperr.Wrap(err, "logout")
		}
		_, err := auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "user", EntityID: who.UserID, Action: "auth.logout",
			After: map[string]any{"session_id": who.SessionID}})
		return err
	})
}

// LogoutEverywhere ends every session of the actor, on every device and server process, and
// with revokeTokens every API token of theirs too.
func (s *Service) LogoutEverywhere(ctx context.Context, who access.Actor, revokeTokens bool) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, who.UserID)
		if err != nil {
			return apperr.Wrap(err, "logout everywhere")
		}
		n, _ = res.RowsAffected()
		after := map[string]any{"sessions_ended": n}
		if revokeTokens {
			if after["tokens_revoked"], err = revokeAllTokens(ctx, tx, who.UserID, s.now()); err != nil {
				return err
			}
		}
		_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "user", EntityID: who.UserID, Action: "auth.logout_all",
			After: after})
		return err
	})
	return n, err
}
