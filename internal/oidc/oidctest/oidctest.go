// Package oidctest starts an OpenID Connect provider in the test process (oauth2-proxy's
// mockoidc on 127.0.0.1) and makes the people it signs in, with the claims a municipal
// provider sends: name, department, groups, staff number, amr and acr.
package oidctest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
)

// Provider is a running provider.
type Provider struct {
	*mockoidc.MockOIDC
	// forge, when set, spoils the signature of the next ID token the token endpoint answers;
	// deny refuses the next authorization.
	forge, deny chan struct{}
}

// Start runs a provider until the test ends.
func Start(t testing.TB) *Provider { return StartOn(t, listen(t)) }

// StartOn runs a provider on ln until the test ends (a provider that comes up at an address
// Mamori already knows).
func StartOn(t testing.TB, ln net.Listener) *Provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{MockOIDC: m, forge: make(chan struct{}, 8), deny: make(chan struct{}, 8)}
	m.AddMiddleware(p.forger)
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

// Person is someone the provider signs in. Extra claims are added to the ID token as they are;
// Audience, Nonce and Expired spoil it as a test needs.
type Person struct {
	Subject  string
	Login    string // preferred_username
	Name     string
	Email    string
	Extra    map[string]any // department, groups, employee_number, amr, acr …
	Audience string         // another client's id instead of Mamori's
	Nonce    string         // another flow's nonce instead of this one's
	Expired  bool           // expired an hour ago
}

// Next makes p the person the provider signs in at the next authorization.
func (pr *Provider) Next(p Person) { pr.QueueUser(&p) }

// Forge spoils the signature of the next ID token.
func (pr *Provider) Forge() { pr.forge <- struct{}{} }

// Deny makes the next authorization answer error=access_denied, as a provider does when the
// person refuses or is not allowed to use Mamori.
func (pr *Provider) Deny() { pr.deny <- struct{}{} }

// ID implements mockoidc.User.
func (p *Person) ID() string { return p.Subject }

// Userinfo implements mockoidc.User.
func (p *Person) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": p.Subject, "preferred_username": p.Login, "name": p.Name, "email": p.Email})
}

// Claims implements mockoidc.User.
func (p *Person) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	c := jwt.MapClaims{}
	for k, v := range p.Extra {
		c[k] = v
	}
	r := base.RegisteredClaims
	c["iss"], c["sub"], c["jti"] = r.Issuer, r.Subject, r.ID
	c["aud"] = []string(r.Audience)
	c["iat"], c["nbf"], c["exp"] = r.IssuedAt.Unix(), r.NotBefore.Unix(), r.ExpiresAt.Unix()
	c["nonce"] = base.Nonce
	c["preferred_username"], c["name"], c["email"] = p.Login, p.Name, p.Email
	if p.Audience != "" {
		c["aud"] = []string{p.Audience}
	}
	if p.Nonce != "" {
		c["nonce"] = p.Nonce
	}
	if p.Expired {
		past := time.Now().Add(-time.Hour)
		c["iat"], c["nbf"], c["exp"] = past.Add(-time.Hour).Unix(), past.Add(-time.Hour).Unix(), past.Unix()
	}
	return c, nil
}

// forger rewrites the token endpoint's answer when a forgery is queued: the ID token keeps its
// header and claims, its signature is another's.
func (pr *Provider) forger(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == mockoidc.AuthorizationEndpoint && pr.denied(w, r) {
			return
		}
		if r.URL.Path != mockoidc.TokenEndpoint {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case <-pr.forge:
		default:
			next.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		var body map[string]any
		if json.Unmarshal(rec.body.Bytes(), &body) == nil {
			if tok, ok := body["id_token"].(string); ok {
				parts := strings.Split(tok, ".")
				parts[2] = strings.Repeat("A", len(parts[2]))
				body["id_token"] = strings.Join(parts, ".")
			} else {
				pr.forge <- struct{}{} // a refused try (the client finding how to authenticate): the next one
			}
		}
		out, _ := json.Marshal(body)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.status)
		w.Write(out)
	})
}

// denied answers an authorization with error=access_denied when a refusal is queued.
func (pr *Provider) denied(w http.ResponseWriter, r *http.Request) bool {
	select {
	case <-pr.deny:
	default:
		return false
	}
	back, err := url.Parse(r.URL.Query().Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return true
	}
	q := back.Query()
	q.Set("error", "access_denied")
	q.Set("error_description", "The user is not assigned to this application")
	q.Set("state", r.URL.Query().Get("state"))
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
	return true
}

func listen(t testing.TB) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

var _ io.Writer = (*recorder)(nil)
