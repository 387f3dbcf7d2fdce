package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// TokenPrefix marks Mamori API tokens, so that a leaked one is recognisable.
const TokenPrefix = "mmr_"

// Token scopes: a read token may only read (GET and HEAD in the API); a read-write token may
// do whatever its user may.
const (
	ScopeRead      = "read"
	ScopeReadWrite = "read-write"
)

// A token lasts DefaultTokenDays unless its owner asks for fewer or more days, never more than
// MaxTokenDays.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// APIToken is a bearer token for the JSON API. Only its hash is stored.
type APIToken struct {
	ID           int64      `json:"id"`
	UserID       int64      `json:"user_id"`
	Name         string     `json:"name"`
	Scope        string     `json:"scope"`
	CreatedAt    time.Time  `json:"created_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	Expired      bool       `json:"expired"`
	LastUsedAt   *time.Time `json:"last_used_at,omitempty"`
	LastUsedAddr string     `json:"last_used_addr,omitempty"`
}

// NewToken is what a token is issued with. Zero values take the defaults: the name "api", the
// read scope, DefaultTokenDays.
type NewToken struct {
	Name          string
	Scope         string
	ExpiresInDays int
}

func (in *NewToken) check() error {
	var v apperr.Validation
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		in.Name = "api"
	}
	if len([]rune(in.Name)) > 100 {
		v.Add("name", "error.too_long", 100)
	}
	if in.Scope == "" {
		in.Scope = ScopeRead
	}
	if in.Scope != ScopeRead && in.Scope != ScopeReadWrite {
		v.Add("scope", "auth.error.token_scope")
	}
	if in.ExpiresInDays == 0 {
		in.ExpiresInDays = DefaultTokenDays
	}
	if in.ExpiresInDays < 1 || in.ExpiresInDays > MaxTokenDays {
		v.Add("expires_in_days", "auth.error.token_days", MaxTokenDays)
	}
	return v.Err()
}

// CreateToken issues an API token to the actor for their own use. Nobody issues a token for
// another person: integrations use service accounts (CreateServiceToken). The secret is returned
// once; only its hash is kept.
func (s *Service) CreateToken(ctx context.Context, who access.Actor, in NewToken) (APIToken, string, error) {
	if who.IsSystem() || who.ServiceAccount {
		return APIToken{}, "", apperr.New(apperr.Forbidden, "auth.error.token_for_other")
	}
	return s.issueToken(ctx, who, who.UserID, false, in)
}

// CreateServiceToken issues an API token to a service account of the administrator's
// organisation. The secret is returned once.
func (s *Service) CreateServiceToken(ctx context.Context, who access.Actor, userID int64, in NewToken) (APIToken, string, error) {
	if !who.CanAdminister() {
		return APIToken{}, "", apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.issueToken(ctx, who, userID, true, in)
}

func (s *Service) issueToken(ctx context.Context, who access.Actor, userID int64, service bool, in NewToken) (APIToken, string, error) {
	if err := in.check(); err != nil {
		return APIToken{}, "", err
	}
	raw, _ := newToken()
	secret := TokenPrefix + raw
	now := s.now()
	t := APIToken{UserID: userID, Name: in.Name, Scope: in.Scope, CreatedAt: now, ExpiresAt: now.AddDate(0, 0, in.ExpiresInDays)}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userWhere(ctx, tx, "id = $1 AND org_id = $2", userID, who.OrgID)
		if err != nil {
			return err
		}
		if u.ServiceAccount != service {
			return apperr.New(apperr.Forbidden, "auth.error.token_for_other")
		}
		if u.Disabled {
			return apperr.New(apperr.Invalid, "auth.error.token_disabled")
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (org_id, user_id, name, token_hash, scope, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.OrgID, u.ID, t.Name, tokenHash(secret), t.Scope, t.CreatedAt, t.ExpiresAt).Scan(&t.ID); err != nil {
			return apperr.Wrap(err, "insert token")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "api_token", EntityID: t.ID, Action: "token.create",
			After: map[string]any{"user_id": u.ID, "login": u.Login, "service_account": u.ServiceAccount, "name": t.Name,
				"scope": t.Scope, "expires_at": t.ExpiresAt}})
		return err
	})
	if err != nil {
		return APIToken{}, "", err
	}
	return t, secret, nil
}

// Tokens lists the tokens of a user that are not revoked, newest first, expired ones included.
// Users see their own; administrators anyone's of their organisation.
func (s *Service) Tokens(ctx context.Context, who access.Actor, userID int64) ([]APIToken, error) {
	if userID != who.UserID && !who.CanAdminister() {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, user_id, name, scope, created_at, expires_at, last_used_at, last_used_addr
		FROM api_tokens WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL ORDER BY id DESC`, who.OrgID, userID)
	if err != nil {
		return nil, apperr.Wrap(err, "tokens")
	}
	defer rows.Close()
	now := s.now()
	out := []APIToken{}
	for rows.Next() {
		var t APIToken
		var expires, used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Scope, &t.CreatedAt, &expires, &used, &t.LastUsedAddr); err != nil {
			return nil, apperr.Wrap(err, "tokens")
		}
		t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), expires.Time.UTC()
		t.Expired = !expires.Valid || !now.Before(t.ExpiresAt)
		if used.Valid {
			u := used.Time.UTC()
			t.LastUsedAt = &u
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AuthenticateToken resolves a bearer token to its user's actor. Revoked and expired tokens are
// refused, and so are the tokens of a locked or disabled account and of a person who has still to
// change a temporary password or enrol in MFA: a token goes no further than a sign-in would.
// The last use (time and address) is written at most once a minute per token.
func (s *Service) AuthenticateToken(ctx context.Context, token string, c Client) (access.Actor, error) {
	unauth := apperr.New(apperr.Unauthenticated, "error.unauthorized")
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return access.Actor{}, unauth
	}
	var id int64
	var scope string
	var expires, lastUsed sql.NullTime
	u, err := scanUser(s.DB.SQL.QueryRowContext(ctx, `SELECT t.id, t.scope, t.expires_at, t.last_used_at, `+userCols("u.")+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, tokenHash(token)),
		&id, &scope, &expires, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return access.Actor{}, unauth
	}
	if err != nil {
		return access.Actor{}, apperr.Wrap(err, "token")
	}
	if u.Locked() || u.Disabled {
		return access.Actor{}, unauth
	}
	now := s.now()
	if !expires.Valid || !now.Before(expires.Time) {
		return access.Actor{}, apperr.New(apperr.Unauthenticated, "auth.error.token_expired")
	}
	if u.MustChangePassword && !u.ServiceAccount {
		return access.Actor{}, apperr.New(apperr.Forbidden, "auth.error.token_password_change")
	}
	who, err := s.actor(ctx, u, c)
	if err != nil {
		return access.Actor{}, err
	}
	if !u.MFAEnabled && !u.ServiceAccount {
		must, err := s.mfaRequired(ctx, u, who)
		if err != nil {
			return access.Actor{}, err
		}
		if must {
			return access.Actor{}, apperr.New(apperr.Forbidden, "auth.error.token_mfa_required")
		}
	}
	if !lastUsed.Valid || now.Sub(lastUsed.Time) >= touchEvery {
		s.DB.SQL.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1, last_used_addr = $2 WHERE id = $3`, now, truncateUA(c.RemoteAddr), id)
	}
	who.ViaToken = true
	who.ReadOnly = scope != ScopeReadWrite
	return who, nil
}

// RevokeToken withdraws an API token of a user: the owner withdraws their own, an
// administrator any of the organisation's.
func (s *Service) RevokeToken(ctx context.Context, who access.Actor, userID, id int64) error {
	if userID != who.UserID && !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE id = $1 AND org_id = $2 AND user_id = $3 AND revoked_at IS NULL`,
			id, who.OrgID, userID).Scan(&n)
		if err != nil {
			return apperr.Wrap(err, "token")
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, now, id); err != nil {
			return apperr.Wrap(err, "revoke token")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "api_token", EntityID: id, Action: "token.revoke",
			After: map[string]any{"user_id": userID}})
		return err
	})
}

// revokeAllTokens withdraws every token of a user, in the transaction of the change that calls for
// it (a password reset, disabling, signing out everywhere), and returns how many it withdrew.
func revokeAllTokens(ctx context.Context, tx *sql.Tx, userID int64, at time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, at, userID)
	if err != nil {
		return 0, apperr.Wrap(err, "revoke tokens")
	}
	n, _ := res.RowsAffected()
	return n, nil
}
