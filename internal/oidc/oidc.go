// Package oidc signs staff in with the organisation's OpenID Connect provider (庁内認証基盤: Entra
// ID, or a prefecture's identity provider): the authorization-code flow with PKCE, state and
// nonce kept server-side, the ID token verified (issuer, audience, expiry, signature, nonce), and
// its claims turned into a directory.Identity, whose mapping to a staff record and pack roles is
// the directory's.
package oidc

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"mamori/internal/store"
)

// Config is the connection to one provider, from serve's flags.
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string // empty for a public client (PKCE alone)
	// RedirectURL is Mamori's callback as registered at the provider
	// (https://mamori.example.lg.jp/login/oidc/callback). Empty: taken from each request's host.
	RedirectURL string
	// The claims that carry the department, the groups and the staff number. Defaults:
	// "department", "groups", "employee_number".
	DepartmentClaim string
	GroupsClaim     string
	EmployeeClaim   string
	// MFAACR are the acr values the organisation counts as multi-factor.
	MFAACR []string
	// Scopes are asked for besides openid; default profile and email. Providers that give
	// groups only for a scope of their own (scope "groups") need it here.
	Scopes []string
	// OrgID is the organisation people sign in to; 0 for the installation's first.
	OrgID int64
}

// Check reports the first missing or malformed setting.
func (c Config) Check() error {
	switch {
	case c.Issuer == "":
		return errors.New("--oidc-issuer is empty")
	case !strings.HasPrefix(c.Issuer, "https://") && !strings.HasPrefix(c.Issuer, "http://"):
		return errors.New("--oidc-issuer must be an http(s) URL")
	case c.ClientID == "":
		return errors.New("--oidc-client-id is required with --oidc-issuer")
	case c.RedirectURL != "" && !strings.HasSuffix(c.RedirectURL, CallbackPath):
		return errors.New("--oidc-redirect-url must end in " + CallbackPath)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.DepartmentClaim == "" {
		c.DepartmentClaim = "department"
	}
	if c.GroupsClaim == "" {
		c.GroupsClaim = "groups"
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"profile", "email"}
	}
	if c.EmployeeClaim == "" {
		c.EmployeeClaim = "employee_number"
	}
	return c
}

// The routes of the flow, as the provider and the login page know them.
const (
	StartPath    = "/login/oidc"
	CallbackPath = "/login/oidc/callback"
)

// FlowTTL is how long a person may stay at the provider before the sign-in must start again.
const FlowTTL = 10 * time.Minute

// Service runs the flow. Its provider is discovered at start; while it cannot be reached the
// service says so (Ready is false) and local sign-in is unaffected.
type Service struct {
	DB  *store.DB
	Now func() time.Time
	Log *slog.Logger
	// HTTP is the client for the provider (discovery, keys, token); nil for a default with a
	// timeout.
	HTTP *http.Client

	cfg Config

	mu       sync.RWMutex
	provider *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	lastErr  error
}

// New makes the service for cfg; Discover connects it.
func New(db *store.DB, cfg Config) *Service {
	return &Service{DB: db, cfg: cfg.withDefaults()}
}

// Config returns the service's settings.
func (s *Service) Config() Config { return s.cfg }

func (s *Service) now() time.Time { return store.Now(s.Now) }

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Service) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return &http.Client{Timeout: 10 * time.Second}
}

func (s *Service) ctx(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, s.client())
}

// Discover reads the provider's discovery document and keys' address. A provider that cannot
// be reached is logged and reported; the service stays usable for Discover again.
func (s *Service) Discover(ctx context.Context) error {
	p, err := gooidc.NewProvider(s.ctx(ctx), s.cfg.Issuer)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastErr = err
	if err != nil {
		s.log().Error("OIDC provider unreachable: sign-in with the identity provider is off until it answers",
			"issuer", s.cfg.Issuer, "err", err)
		return err
	}
	s.provider = p
	s.verifier = p.VerifierContext(s.ctx(context.Background()), &gooidc.Config{ClientID: s.cfg.ClientID, Now: s.now})
	s.log().Info("OIDC provider discovered", "issuer", s.cfg.Issuer, "client_id", s.cfg.ClientID)
	return nil
}

// KeepDiscovering retries discovery every interval until it succeeds or ctx ends, so that a
// provider down at start is used once it answers.
func (s *Service) KeepDiscovering(ctx context.Context, every time.Duration) {
	for !s.Ready() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
		s.Discover(ctx)
	}
}

// Ready reports whether the provider has been discovered.
func (s *Service) Ready() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.provider != nil
}

func (s *Service) connected() (*gooidc.Provider, *gooidc.IDTokenVerifier, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.provider, s.verifier, s.provider != nil
}

// oauth is the OAuth 2.0 client for one request's redirect address.
func (s *Service) oauth(p *gooidc.Provider, redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     s.cfg.ClientID,
		ClientSecret: s.cfg.ClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  redirect,
		Scopes:       append([]string{gooidc.ScopeOpenID}, s.cfg.Scopes...),
	}
}

// redirectFor is the callback address: the configured one, or this request's host.
func (s *Service) redirectFor(base string) string {
	if s.cfg.RedirectURL != "" {
		return s.cfg.RedirectURL
	}
	return strings.TrimSuffix(base, "/") + CallbackPath
}
