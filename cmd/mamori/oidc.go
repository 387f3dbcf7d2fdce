package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"strings"
	"time"

	"mamori/internal/oidc"
	"mamori/internal/store"
)

// oidcFlags are serve's settings for signing in with the organisation's OpenID Connect
// provider (庁内認証基盤). The client secret is read from the environment only.
type oidcFlags struct {
	cfg         oidc.Config
	acr, scopes string
}

func addOIDCFlags(fs *flag.FlagSet) *oidcFlags {
	f := &oidcFlags{}
	fs.StringVar(&f.cfg.Issuer, "oidc-issuer", envOr("MAMORI_OIDC_ISSUER", ""), "OpenID Connect provider (issuer URL) staff sign in with, e.g. https://login.microsoftonline.com/<tenant>/v2.0; empty for none [MAMORI_OIDC_ISSUER]")
	fs.StringVar(&f.cfg.ClientID, "oidc-client-id", envOr("MAMORI_OIDC_CLIENT_ID", ""), "Mamori's client id at the provider; the secret is read from MAMORI_OIDC_CLIENT_SECRET [MAMORI_OIDC_CLIENT_ID]")
	fs.StringVar(&f.cfg.RedirectURL, "oidc-redirect-url", envOr("MAMORI_OIDC_REDIRECT_URL", ""), "callback registered at the provider, ending in "+oidc.CallbackPath+"; empty: from each request's host [MAMORI_OIDC_REDIRECT_URL]")
	fs.StringVar(&f.cfg.DepartmentClaim, "oidc-department-claim", envOr("MAMORI_OIDC_DEPARTMENT_CLAIM", "department"), "ID token claim that names the person's department [MAMORI_OIDC_DEPARTMENT_CLAIM]")
	fs.StringVar(&f.cfg.GroupsClaim, "oidc-groups-claim", envOr("MAMORI_OIDC_GROUPS_CLAIM", "groups"), "ID token claim that lists the person's groups [MAMORI_OIDC_GROUPS_CLAIM]")
	fs.StringVar(&f.cfg.EmployeeClaim, "oidc-employee-claim", envOr("MAMORI_OIDC_EMPLOYEE_CLAIM", "employee_number"), "ID token claim that carries the staff number [MAMORI_OIDC_EMPLOYEE_CLAIM]")
	fs.StringVar(&f.acr, "oidc-mfa-acr", envOr("MAMORI_OIDC_MFA_ACR", ""), "comma-separated acr values that mean the provider used a second factor [MAMORI_OIDC_MFA_ACR]")
	fs.StringVar(&f.scopes, "oidc-scopes", envOr("MAMORI_OIDC_SCOPES", "profile,email"), "comma-separated scopes asked for besides openid [MAMORI_OIDC_SCOPES]")
	return f
}

// config is the provider's settings, nil when none is configured.
func (f *oidcFlags) config() (*oidc.Config, error) {
	if f.cfg.Issuer == "" && f.cfg.ClientID == "" {
		return nil, nil
	}
	c := f.cfg
	c.ClientSecret = os.Getenv("MAMORI_OIDC_CLIENT_SECRET")
	c.MFAACR, c.Scopes = commaList(f.acr), commaList(f.scopes)
	return &c, c.Check()
}

// startOIDC discovers the provider. One that cannot be reached is logged and retried every minute
// in the background; until then the login page says so and local sign-in works as ever.
func startOIDC(ctx context.Context, cfg *oidc.Config, db *store.DB, now func() time.Time, log *slog.Logger) *oidc.Service {
	if cfg == nil {
		return nil
	}
	s := oidc.New(db, *cfg)
	s.Now, s.Log = now, log
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if s.Discover(dctx) != nil {
		go s.KeepDiscovering(ctx, time.Minute)
	}
	return s
}

func commaList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
