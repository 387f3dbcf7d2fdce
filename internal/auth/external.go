package auth

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/store"
)

// SourceLocal marks an account that signs in with a Mamori password.
const SourceLocal = "local"

// ExternalUser is an account as the organisation's directory gives it: the directory's source
// and subject identify it; the login and name are what the directory calls the person now.
type ExternalUser struct {
	OrgID   int64
	Source  string
	Subject string
	Login   string
	Name    string
	StaffID int64
}

// externalLogin is what a directory's login may be: wider than a local one, as directories
// use mail-style names (tanaka@city.example.lg.jp).
var externalLogin = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,127}$`)

// ExternalByLogin returns the user with the login name, whatever its source.
func (s *Service) ExternalByLogin(ctx context.Context, login string) (User, error) {
	return userWhere(ctx, s.DB.SQL, "login = $1", NormalizeLogin(login))
}

// ProvisionExternal finds the account of a directory identity in tx, by its subject or else by
// its login in the same organisation (a local account is then linked to the directory and loses
// its password), or creates it; it keeps the name and staff link the directory gives. A
// platform administrator's or service account's login is never taken over. Each change is
// audited in tx.
func (s *Service) ProvisionExternal(ctx context.Context, tx *sql.Tx, in ExternalUser, c Client) (User, error) {
	in.Login = NormalizeLogin(in.Login)
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		in.Name = in.Login
	}
	if !externalLogin.MatchString(in.Login) || in.Subject == "" || in.Source == "" || in.Source == SourceLocal {
		return User{}, apperr.InvalidField("login", "auth.error.external_identity")
	}
	now := s.now()
	u, err := userWhere(ctx, tx, "org_id = $1 AND source = $2 AND directory_subject = $3", in.OrgID, in.Source, in.Subject)
	switch {
	case err == nil:
	case apperr.CodeOf(err) != apperr.NotFound:
		return User{}, err
	default:
		u, err = userWhere(ctx, tx, "login = $1", in.Login)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			return s.createExternal(ctx, tx, in, c, now)
		case err != nil:
			return User{}, err
		case u.OrgID != in.OrgID || u.PlatformAdmin || u.ServiceAccount || (u.Source != SourceLocal && u.Source != in.Source):
			return User{}, apperr.InvalidField("login", "auth.error.login_taken")
		}
		before := u.auditView()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET source = $1, directory_subject = $2, password_hash = '',
			must_change_password = FALSE WHERE id = $3`, in.Source, in.Subject, u.ID); err != nil {
			return User{}, apperr.Wrap(err, "link user")
		}
		u.Source, u.DirectorySubject, u.MustChangePassword, u.passwordHash = in.Source, in.Subject, false, ""
		if _, err := auditlog.Append(ctx, tx, actorOf(u, c), now, auditlog.Event{Entity: "user", EntityID: u.ID,
			Action: "user.link_directory", Before: before, After: u.auditView()}); err != nil {
			return User{}, err
		}
	}
	if u.Login == in.Login && u.DisplayName == in.Name && u.StaffID == in.StaffID {
		return u, nil
	}
	before := u.auditView()
	_, err = tx.ExecContext(ctx, `UPDATE users SET login = $1, display_name = $2, staff_id = $3 WHERE id = $4`,
		in.Login, in.Name, store.NullID(in.StaffID), u.ID)
	if store.IsUniqueViolation(err) {
		return User{}, apperr.InvalidField("login", "auth.error.login_taken")
	}
	if err != nil {
		return User{}, apperr.Wrap(err, "update user")
	}
	u.Login, u.DisplayName, u.StaffID = in.Login, in.Name, in.StaffID
	_, err = auditlog.Append(ctx, tx, actorOf(u, c), now, auditlog.Event{Entity: "user", EntityID: u.ID,
		Action: "user.update_directory", Before: before, After: u.auditView()})
	return u, err
}

func (s *Service) createExternal(ctx context.Context, tx *sql.Tx, in ExternalUser, c Client, now time.Time) (User, error) {
	u := User{OrgID: in.OrgID, StaffID: in.StaffID, Login: in.Login, DisplayName: in.Name, Lang: "ja",
		PasswordChangedAt: now, CreatedAt: now, Source: in.Source, DirectorySubject: in.Subject}
	// No usable password: an empty hash verifies nothing.
	err := tx.QueryRowContext(ctx, `INSERT INTO users (org_id, staff_id, login, display_name, password_hash, must_change_password,
		platform_admin, lang, password_changed_at, created_at, source, directory_subject)
		VALUES ($1, $2, $3, $4, '', FALSE, FALSE, $5, $6, $7, $8, $9) RETURNING id`,
		u.OrgID, store.NullID(u.StaffID), u.Login, u.DisplayName, u.Lang, now, now, u.Source, u.DirectorySubject).Scan(&u.ID)
	if store.IsUniqueViolation(err) {
		return User{}, apperr.InvalidField("login", "auth.error.login_taken")
	}
	if err != nil {
		return User{}, apperr.Wrap(err, "insert user")
	}
	_, err = auditlog.Append(ctx, tx, actorOf(u, c), now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "user.create",
		After: u.auditView()})
	return u, err
}

// StartExternal starts the session of a user the directory has vouched for. When the user must
// use MFA (the pack's roles, platform administrators) and the provider did not assert a second
// factor, Mamori asks for its own: the session waits at StageMFA for an enrolled user, and an
// unenrolled one must enrol before going on.
func (s *Service) StartExternal(ctx context.Context, u User, mfaAsserted bool, c Client) (LoginResult, error) {
	var res LoginResult
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.StartExternalTx(ctx, tx, u, mfaAsserted, c)
		return err
	})
	return res, err
}

// StartExternalTx is StartExternal inside the caller's transaction, so that the provisioning of
// the user, its staff record and roles and the sign-in are audited together.
func (s *Service) StartExternalTx(ctx context.Context, tx *sql.Tx, u User, mfaAsserted bool, c Client) (LoginResult, error) {
	if u.Disabled || u.Locked() || u.ServiceAccount || u.Source == SourceLocal || u.Source == "" {
		return LoginResult{}, apperr.New(apperr.Unauthenticated, "auth.error.bad_credentials")
	}
	required, err := s.mfaRequiredTx(ctx, tx, u)
	if err != nil {
		return LoginResult{}, err
	}
	stage := StageFull
	if !mfaAsserted && u.MFAEnabled {
		stage = StageMFA
	}
	token, hash := newToken()
	now := s.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (org_id, user_id, token_hash, stage, created_at, last_seen_at, expires_at,
		remote_addr, user_agent, mfa_asserted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		u.OrgID, u.ID, hash, stage, now, now, now.Add(s.absolute()), c.RemoteAddr, truncateUA(c.UserAgent), mfaAsserted); err != nil {
		return LoginResult{}, apperr.Wrap(err, "start session")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0 WHERE id = $1`, u.ID); err != nil {
		return LoginResult{}, apperr.Wrap(err, "reset failures")
	}
	action := "auth.login"
	if stage == StageMFA {
		action = "auth.password_ok"
	}
	_, err = auditlog.Append(ctx, tx, actorOf(u, c), now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: action,
		After: map[string]any{"stage": stage, "source": u.Source, "mfa_asserted": mfaAsserted, "mfa_required": required}})
	if err != nil {
		return LoginResult{}, err
	}
	return LoginResult{Token: token, Stage: stage, User: u}, nil
}

// mfaRequiredTx is mfaRequired read inside tx, where the user's roles may just have changed.
func (s *Service) mfaRequiredTx(ctx context.Context, tx *sql.Tx, u User) (bool, error) {
	if u.PlatformAdmin {
		return true, nil
	}
	if u.StaffID == 0 {
		return false, nil
	}
	grants, err := org.GrantsOf(ctx, tx, u.OrgID, u.StaffID, s.now().In(i18n.Tokyo).Format(time.DateOnly))
	if err != nil {
		return false, apperr.Wrap(err, "grants")
	}
	var roles string
	if err := tx.QueryRowContext(ctx, `SELECT mfa_roles FROM organizations WHERE id = $1`, u.OrgID).Scan(&roles); err != nil {
		return false, apperr.Wrap(err, "mfa roles")
	}
	who := access.Actor{Roles: grants}
	for _, r := range strings.Split(roles, ",") {
		if r != "" && who.HasRole(r) {
			return true, nil
		}
	}
	return false, nil
}

// UserInTx reads a user inside tx.
func (s *Service) UserInTx(ctx context.Context, tx *sql.Tx, id int64) (User, error) {
	u, err := userWhere(ctx, tx, "id = $1", id)
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.New(apperr.NotFound, "error.not_found")
	}
	return u, err
}

// RecordExternalFailure writes a refused directory sign-in (an identity mapped to no
// department, a disabled account, the directory unreachable) and counts it against the source
// address; the answer to the person is the usual one.
func (s *Service) RecordExternalFailure(ctx context.Context, orgID int64, source, login, reason string, c Client) error {
	login = truncateLogin(NormalizeLogin(login))
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.noteAddressFailure(ctx, tx, c.RemoteAddr); err != nil {
			return err
		}
		who := withClient(access.Actor{OrgID: orgID, Login: login}, c)
		_, err := auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "user", EntityID: login,
			Action: "auth.login_failed", After: map[string]any{"reason": reason, "source": source}})
		return err
	})
}

// Throttled refuses an address that has failed too often, as Login does, before a directory is
// asked: the refusal is recorded and answered alike.
func (s *Service) Throttled(ctx context.Context, login string, c Client) error {
	refused, until, err := s.throttled(ctx, c.RemoteAddr)
	if err != nil || !refused {
		return err
	}
	return s.recordThrottled(ctx, truncateLogin(NormalizeLogin(login)), c, s.throttledError(until))
}
