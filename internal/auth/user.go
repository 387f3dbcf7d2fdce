package auth

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// User is an account that can sign in.
type User struct {
	ID                 int64      `json:"id"`
	OrgID              int64      `json:"org_id"`
	StaffID            int64      `json:"staff_id,omitempty"`
	Login              string     `json:"login"`
	DisplayName        string     `json:"display_name"`
	MustChangePassword bool       `json:"must_change_password"`
	PlatformAdmin      bool       `json:"platform_admin"`
	FailedLogins       int        `json:"failed_logins"`
	LockedAt           *time.Time `json:"locked_at,omitempty"`
	Disabled           bool       `json:"disabled"`
	Lang               string     `json:"lang"`
	MFAEnabled         bool       `json:"mfa_enabled"`
	PasswordChangedAt  time.Time  `json:"password_changed_at"`
	CreatedAt          time.Time  `json:"created_at"`
	// ServiceAccount: an integration's login, with no password and no staff record, that works
	// only through API tokens (service_account.go).
	ServiceAccount bool `json:"service_account"`
	// Source is where the account signs in: SourceLocal (a Mamori password) or the directory it
	// was provisioned from ("ldap", "oidc"), with the directory's subject (DN or sub).
	Source           string `json:"source"`
	DirectorySubject string `json:"directory_subject,omitempty"`

	passwordHash string
	mfaSecret    string
}

// Locked reports whether the account is locked after repeated failures.
func (u User) Locked() bool { return u.LockedAt != nil }

// auditView is what the audit log records of a user: never a hash or a secret.
func (u User) auditView() map[string]any {
	m := map[string]any{"id": u.ID, "login": u.Login, "display_name": u.DisplayName, "staff_id": u.StaffID,
		"platform_admin": u.PlatformAdmin, "disabled": u.Disabled, "locked": u.Locked(), "mfa_enabled": u.MFAEnabled,
		"must_change_password": u.MustChangePassword, "lang": u.Lang, "service_account": u.ServiceAccount}
	if u.Source != "" && u.Source != SourceLocal {
		m["source"], m["directory_subject"] = u.Source, u.DirectorySubject
	}
	return m
}

// userCols lists the user columns, each prefixed with p (a table alias and dot, or "").
func userCols(p string) string {
	return strings.ReplaceAll(`~id, ~org_id, COALESCE(~staff_id, 0), ~login, ~display_name, ~must_change_password,
	~platform_admin, ~failed_logins, ~locked_at, ~disabled, ~lang, ~mfa_enabled, ~password_changed_at, ~created_at,
	~service_account, ~source, ~directory_subject, ~password_hash, ~mfa_secret`, "~", p)
}

var userColumns = userCols("")

// scanUser reads the user columns after any leading columns the query selected into pre.
func scanUser(sc interface{ Scan(...any) error }, pre ...any) (User, error) {
	var u User
	var locked sql.NullTime
	err := sc.Scan(append(pre, &u.ID, &u.OrgID, &u.StaffID, &u.Login, &u.DisplayName, &u.MustChangePassword, &u.PlatformAdmin,
		&u.FailedLogins, &locked, &u.Disabled, &u.Lang, &u.MFAEnabled, &u.PasswordChangedAt, &u.CreatedAt,
		&u.ServiceAccount, &u.Source, &u.DirectorySubject, &u.passwordHash, &u.mfaSecret)...)
	if locked.Valid {
		t := locked.Time.UTC()
		u.LockedAt = &t
	}
	u.PasswordChangedAt, u.CreatedAt = u.PasswordChangedAt.UTC(), u.CreatedAt.UTC()
	return u, err
}

func userWhere(ctx context.Context, q store.Querier, where string, args ...any) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return u, apperr.Wrap(err, "user")
	}
	return u, nil
}

var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// NormalizeLogin folds full-width characters and case, so that "Ｔａｎａｋａ" signs in as "tanaka".
func NormalizeLogin(s string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(s)))
}

// NewUser is the input for creating an account.
type NewUser struct {
	Login         string
	DisplayName   string
	StaffID       int64
	PlatformAdmin bool
	Lang          string
}

// CreateUser creates an account with a temporary password, returned once, which must be changed
// at first login (岸和田市 5(7)⑤).
func (s *Service) CreateUser(ctx context.Context, who access.Actor, in NewUser) (User, string, error) {
	if !who.CanAdminister() {
		return User{}, "", apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	in.Login, in.DisplayName = checkLogin(&v, in.Login, in.DisplayName)
	if in.Lang == "" {
		in.Lang = "ja"
	}
	if in.Lang != "ja" && in.Lang != "en" {
		v.Add("lang", "auth.error.lang")
	}
	if err := v.Err(); err != nil {
		return User{}, "", err
	}
	temp := TemporaryPassword()
	hash, err := s.hash(temp)
	if err != nil {
		return User{}, "", apperr.Wrap(err, "hash")
	}
	now := s.now()
	u := User{OrgID: who.OrgID, StaffID: in.StaffID, Login: in.Login, DisplayName: in.DisplayName, MustChangePassword: true,
		PlatformAdmin: in.PlatformAdmin, Lang: in.Lang, PasswordChangedAt: now, CreatedAt: now, passwordHash: hash}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if u.StaffID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE id = $1 AND org_id = $2`, u.StaffID, u.OrgID).Scan(&n); err != nil {
				return apperr.Wrap(err, "staff check")
			}
			if n == 0 {
				return apperr.InvalidField("staff_id", "org.error.staff_missing")
			}
			// One login per person: only the person themself may hold a second one (an
			// administrator's separate account).
			if u.StaffID != who.StaffID {
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE staff_id = $1 AND org_id = $2`, u.StaffID, u.OrgID).Scan(&n); err != nil {
					return apperr.Wrap(err, "staff login check")
				}
				if n > 0 {
					return apperr.InvalidField("staff_id", "auth.error.staff_has_login")
				}
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (org_id, staff_id, login, display_name, password_hash, must_change_password,
			platform_admin, lang, password_changed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			u.OrgID, store.NullID(u.StaffID), u.Login, u.DisplayName, u.passwordHash, true, u.PlatformAdmin, u.Lang, now, now).Scan(&u.ID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("login", "auth.error.login_taken")
		}
		if err != nil {
			return apperr.Wrap(err, "insert user")
		}
		if err := addHistory(ctx, tx, u.OrgID, u.ID, hash, now); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "user.create", After: u.auditView()})
		return err
	})
	if err != nil {
		return User{}, "", err
	}
	return u, temp, nil
}

// checkLogin normalises and checks a new account's login and display name.
func checkLogin(v *apperr.Validation, login, name string) (string, string) {
	login, name = NormalizeLogin(login), strings.TrimSpace(name)
	if login == "" {
		v.Add("login", "error.required")
	} else if !loginPattern.MatchString(login) {
		v.Add("login", "auth.error.login_format")
	}
	if name == "" {
		v.Add("display_name", "error.required")
	} else if len([]rune(name)) > 100 {
		v.Add("display_name", "error.too_long", 100)
	}
	return login, name
}

// ResetPassword gives a user a new temporary password, unlocks the account, ends its sessions
// and revokes its API tokens. The password is returned once. A service account has no password.
func (s *Service) ResetPassword(ctx context.Context, who access.Actor, userID int64) (string, error) {
	if !who.CanAdminister() {
		return "", apperr.New(apperr.Forbidden, "error.forbidden")
	}
	temp := TemporaryPassword()
	hash, err := s.hash(temp)
	if err != nil {
		return "", apperr.Wrap(err, "hash")
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userWhere(ctx, tx, "id = $1 AND org_id = $2", userID, who.OrgID)
		if err != nil {
			return err
		}
		if u.ServiceAccount {
			return apperr.New(apperr.Invalid, "auth.error.service_account_password")
		}
		// A secret offered for enrolment but never confirmed goes too: the new holder of the
		// password starts enrolment afresh.
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0,
			locked_at = NULL, password_changed_at = $3, mfa_secret = CASE WHEN mfa_enabled THEN mfa_secret ELSE '' END
			WHERE id = $4`, hash, true, now, u.ID); err != nil {
			return apperr.Wrap(err, "reset password")
		}
		if err := addHistory(ctx, tx, u.OrgID, u.ID, hash, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return apperr.Wrap(err, "end sessions")
		}
		revoked, err := revokeAllTokens(ctx, tx, u.ID, now)
		if err != nil {
			return err
		}
		before := u.auditView()
		u.MustChangePassword, u.LockedAt, u.FailedLogins = true, nil, 0
		after := u.auditView()
		after["tokens_revoked"] = revoked
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "user.reset_password", Before: before, After: after})
		return err
	})
	return temp, err
}

// Unlock lifts a lockout after repeated failures (岸和田市 5(7)⑥) and clears the failure count.
func (s *Service) Unlock(ctx context.Context, who access.Actor, userID int64) error {
	if !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userWhere(ctx, tx, "id = $1 AND org_id = $2", userID, who.OrgID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_at = NULL WHERE id = $1`, u.ID); err != nil {
			return apperr.Wrap(err, "unlock")
		}
		before := u.auditView()
		u.LockedAt, u.FailedLogins = nil, 0
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "user.unlock", Before: before, After: u.auditView()})
		return err
	})
}

// SetDisabled disables or re-enables an account; disabling ends its sessions and revokes its
// API tokens (re-enabling brings neither back).
func (s *Service) SetDisabled(ctx context.Context, who access.Actor, userID int64, disabled bool) error {
	if !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if userID == who.UserID && disabled {
		return apperr.New(apperr.Invalid, "auth.error.disable_self")
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userWhere(ctx, tx, "id = $1 AND org_id = $2", userID, who.OrgID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, u.ID); err != nil {
			return apperr.Wrap(err, "disable")
		}
		var revoked int64
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return apperr.Wrap(err, "end sessions")
			}
			if revoked, err = revokeAllTokens(ctx, tx, u.ID, now); err != nil {
				return err
			}
		}
		before := u.auditView()
		u.Disabled = disabled
		action := "user.enable"
		after := u.auditView()
		if disabled {
			action = "user.disable"
			after["tokens_revoked"] = revoked
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: action, Before: before, After: after})
		return err
	})
}

// SetLang changes the language a user sees the interface in.
func (s *Service) SetLang(ctx context.Context, who access.Actor, lang string) error {
	if lang != "ja" && lang != "en" {
		return apperr.InvalidField("lang", "auth.error.lang")
	}
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET lang = $1 WHERE id = $2 AND org_id = $3`, lang, who.UserID, who.OrgID); err != nil {
			return apperr.Wrap(err, "set lang")
		}
		_, err := auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "user", EntityID: who.UserID, Action: "user.set_lang", After: map[string]string{"lang": lang}})
		return err
	})
}

// User returns one account of the actor's organisation. Users may read their own; administrators
// any.
func (s *Service) User(ctx context.Context, who access.Actor, id int64) (User, error) {
	if id != who.UserID && !who.CanAdminister() {
		return User{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return userWhere(ctx, s.DB.SQL, "id = $1 AND org_id = $2", id, who.OrgID)
}

// UserByLogin looks an account up by login, for the command line.
func (s *Service) UserByLogin(ctx context.Context, login string) (User, error) {
	return userWhere(ctx, s.DB.SQL, "login = $1", NormalizeLogin(login))
}

// ListUsers returns the organisation's accounts ordered by login.
func (s *Service) ListUsers(ctx context.Context, who access.Actor) ([]User, error) {
	if !who.CanAdminister() {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = $1 ORDER BY login`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "users")
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "users")
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many accounts the actor's organisation has.
func (s *Service) CountUsers(ctx context.Context, who access.Actor) (int, error) {
	if !who.CanAdminister() {
		return 0, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var n int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE org_id = $1`, who.OrgID).Scan(&n); err != nil {
		return 0, apperr.Wrap(err, "count users")
	}
	return n, nil
}

func addHistory(ctx context.Context, tx *sql.Tx, orgID, userID int64, hash string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_history (org_id, user_id, password_hash, created_at) VALUES ($1, $2, $3, $4)`,
		orgID, userID, hash, at); err != nil {
		return apperr.Wrap(err, "password history")
	}
	return nil
}
