package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/url"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/directory"
)

// Started is a sign-in sent to the provider: the address to send the browser to, and the key
// the browser must bring back in its cookie.
type Started struct {
	URL string
	Key string
}

// Start begins a sign-in: a flow row with fresh state, nonce and PKCE verifier, and the
// provider's authorization address. base is Mamori's own address as the browser sees it
// (used for the callback when no redirect URL is configured); next is the local path to
// return to, already checked by the caller.
func (s *Service) Start(ctx context.Context, base, next string) (Started, error) {
	p, _, ok := s.connected()
	if !ok {
		if err := s.Discover(ctx); err != nil {
			return Started{}, &apperr.Error{Code: apperr.Unauthenticated, Key: "oidc.error.unavailable", Err: err}
		}
		p, _, _ = s.connected()
	}
	org, err := s.orgID(ctx)
	if err != nil {
		return Started{}, err
	}
	f := flow{OrgID: org, Key: random(), State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: next}
	if err := s.saveFlow(ctx, f); err != nil {
		return Started{}, err
	}
	u := s.oauth(p, s.redirectFor(base)).AuthCodeURL(f.State, gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return Started{URL: u, Key: f.Key}, nil
}

// Callback is what the browser brought back to CallbackPath.
type Callback struct {
	Query url.Values
	Key   string // the flow cookie's value
	Base  string // Mamori's own address, as for Start
}

// Result is a person the provider vouched for, with where they were going.
type Result struct {
	OrgID    int64
	Identity directory.Identity
	Next     string
}

// Finish checks what came back — the flow's cookie and state, the provider's answer — exchanges
// the code with the PKCE verifier, verifies the ID token (signature, issuer, audience, expiry,
// and the nonce of this flow) and reads its claims. A flow is used once. Every failure is
// recorded in the audit log and answered with a notice for the login page, never the cause.
func (s *Service) Finish(ctx context.Context, cb Callback, c auth.Client) (Result, error) {
	org, err := s.orgID(ctx)
	if err != nil {
		return Result{}, err
	}
	if cb.Key == "" {
		return Result{}, s.failed(ctx, org, c, "", "state", "no_flow_cookie", nil)
	}
	f, err := s.takeFlow(ctx, cb.Key)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		return Result{}, s.failed(ctx, org, c, "", "state", "unknown_flow", nil)
	case err != nil:
		return Result{}, err
	}
	res := Result{OrgID: f.OrgID, Next: f.Next}
	q := cb.Query
	switch {
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1:
		return res, s.failed(ctx, f.OrgID, c, "", "state", "state_mismatch", nil)
	case s.now().Sub(f.CreatedAt) > FlowTTL:
		return res, s.failed(ctx, f.OrgID, c, "", "expired", "flow_expired", nil)
	case q.Get("error") == "access_denied":
		return res, s.failed(ctx, f.OrgID, c, "", "denied", "access_denied", nil)
	case q.Get("error") != "":
		return res, s.failed(ctx, f.OrgID, c, "", "provider", "provider_error", errors.New(q.Get("error")+": "+q.Get("error_description")))
	case q.Get("code") == "":
		return res, s.failed(ctx, f.OrgID, c, "", "provider", "no_code", nil)
	}
	p, verifier, ok := s.connected()
	if !ok {
		return res, s.failed(ctx, f.OrgID, c, "", "unavailable", "provider_unavailable", nil)
	}
	tok, err := s.oauth(p, s.redirectFor(cb.Base)).Exchange(s.ctx(ctx), q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return res, s.failed(ctx, f.OrgID, c, "", "provider", "code_exchange", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return res, s.failed(ctx, f.OrgID, c, "", "token", "no_id_token", nil)
	}
	idt, err := verifier.Verify(s.ctx(ctx), raw)
	if err != nil {
		key, why := "token", s.whyRefused(raw)
		var expired *gooidc.TokenExpiredError
		if errors.As(err, &expired) {
			key, why = "token_expired", "token_expired"
		}
		return res, s.failed(ctx, f.OrgID, c, "", key, why, err)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return res, s.failed(ctx, f.OrgID, c, "", "token", "claims_unreadable", err)
	}
	login := text(claims["preferred_username"])
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return res, s.failed(ctx, f.OrgID, c, login, "token", "nonce_mismatch", nil)
	}
	res.Identity = s.identityOf(idt.Subject, claims)
	if res.Identity.Subject == "" {
		return res, s.failed(ctx, f.OrgID, c, login, "token", "no_subject", nil)
	}
	return res, nil
}

// random is 32 bytes from the system's generator, base64url without padding.
func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
