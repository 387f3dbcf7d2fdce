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

// APIToken is a bearer token for the JSON API. Only its hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// CreateToken issues an API token for a user. Administrators may issue for any user of their
// organisation, others only for themselves. The token is returned once.
func (s *Service) CreateToken(ctx context.Context, who access.Actor, userID int64, name string) (APIToken, string, error) {
	if userID != who.UserID && !who.CanAdminister() {
		return APIToken{}, "", apperr.New(apperr.Forbidden, "error.forbidden")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "api"
	}
	if len([]rune(name)) > 100 {
		return APIToken{}, "", apperr.InvalidField("name", "error.too_long", 100)
	}
	raw, _ := newToken()
	token := TokenPrefix + raw
	t := APIToken{UserID: userID, Name: name, CreatedAt: s.now()}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userWhere(ctx, tx, "id = $1 AND org_id = $2", userID, who.OrgID)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (org_id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			u.OrgID, u.ID, t.Name, tokenHash(token), t.CreatedAt).Scan(&t.ID); err != nil {
			return apperr.Wrap(err, "insert token")
		}
		_, err = auditlog.Append(ctx, tx, who, t.CreatedAt, auditlog.Event{Entity: "api_token", EntityID: t.ID, Action: "token.create",
			After: map[string]any{"user_id": u.ID, "login": u.Login, "name": t.Name}})
		return err
	})
	if err != nil {
		return APIToken{}, "", err
	}
	return t, token, nil
}

// AuthenticateToken resolves a bearer token to its user's actor.
func (s *Service) AuthenticateToken(ctx context.Context, token string, c Client) (access.Actor, error) {
	unauth := apperr.New(apperr.Unauthenticated, "error.unauthorized")
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return access.Actor{}, unauth
	}
	var id int64
	var lastUsed sql.NullTime
	u, err := scanUser(s.DB.SQL.QueryRowContext(ctx, `SELECT t.id, t.last_used_at, `+userCols("u.")+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, tokenHash(token)),
		&id, &lastUsed)
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
	if !lastUsed.Valid || now.Sub(lastUsed.Time) > touchEvery {
		s.DB.SQL.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, id)
	}
	who, err := s.actor(ctx, u, c)
	who.ViaToken = true
	return who, err
}

// RevokeToken withdraws an API token.
func (s *Service) RevokeToken(ctx context.Context, who access.Actor, id int64) error {
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM api_tokens WHERE id = $1 AND org_id = $2 AND revoked_at IS NULL`, id, who.OrgID).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err != nil {
			return apperr.Wrap(err, "token")
		}
		if userID != who.UserID && !who.CanAdminister() {
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, now, id); err != nil {
			return apperr.Wrap(err, "revoke token")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "api_token", EntityID: id, Action: "token.revoke"})
		return err
	})
}
