package oidc

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
)

// failed records a sign-in the provider's answer did not let through, and returns the notice
// for the login page (oidc.error.<key>). why is the audit log's reason; cause goes to the log
// only.
func (s *Service) failed(ctx context.Context, org int64, c auth.Client, login, key, why string, cause error) error {
	if login == "" { // nobody established yet: the audit page names the provider (audit.actor.oidc)
		login = "oidc"
	}
	if r := []rune(login); len(r) > 64 {
		login = string(r[:64])
	}
	s.log().Warn("OIDC sign-in refused", "reason", why, "login", login, "addr", c.RemoteAddr, "err", cause)
	who := access.Actor{OrgID: org, Login: login, RemoteAddr: c.RemoteAddr, UserAgent: c.UserAgent}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		_, err := auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "user", EntityID: login,
			Action: "auth.login_failed", After: map[string]any{"source": "oidc", "reason": "oidc_" + why}})
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "record sign-in failure")
	}
	return &apperr.Error{Code: apperr.Unauthenticated, Key: "oidc.error." + key, Err: cause}
}

// whyRefused names, for the audit log, what is wrong with a token the verifier refused: another
// client's token, another issuer's, or else a bad signature or form. The token is read without
// trust only to say this; it was refused whatever this says.
func (s *Service) whyRefused(raw string) string {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "token_malformed"
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "token_malformed"
	}
	var c struct {
		Iss string `json:"iss"`
		Aud any    `json:"aud"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return "token_malformed"
	}
	if !slices.Contains(list(c.Aud), s.cfg.ClientID) {
		return "wrong_audience"
	}
	if c.Iss != s.cfg.Issuer {
		return "wrong_issuer"
	}
	return "bad_signature"
}
