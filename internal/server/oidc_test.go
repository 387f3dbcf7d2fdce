package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/oidc"
	"mamori/internal/oidc/oidctest"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// oidcSite is Mamori served with sign-in from an identity provider running in the test.
type oidcSite struct {
	t     *testing.T
	s     *app.Services
	srv   *httptest.Server
	idp   *oidctest.Provider
	admin string // the platform administrator's first password
	org   int64
	svc   *oidc.Service
}

func startOIDC(t *testing.T, db *store.DB, cfg oidc.Config) *oidcSite {
	t.Helper()
	ctx := context.Background()
	site := &oidcSite{t: t, s: app.New(db, cheap, nil), idp: oidctest.Start(t)}
	first, err := site.s.Bootstrap(ctx, app.Setup{OrgCode: "t", OrgName: "テスト町"})
	if err != nil {
		t.Fatal(err)
	}
	site.admin, site.org = first.AdminPassword, first.Org.ID
	if cfg.Issuer == "" {
		cfg.Issuer = site.idp.Issuer()
	}
	if cfg.ClientID == "" {
		cfg.ClientID, cfg.ClientSecret = site.idp.ClientID, site.idp.ClientSecret
	}
	site.svc = oidc.New(db, cfg)
	site.svc.Discover(ctx) // a provider that is down is part of some tests
	site.srv = httptest.NewServer(New(site.s, Options{OIDC: site.svc}))
	t.Cleanup(site.srv.Close)
	return site
}

// browser is a client that keeps cookies and follows redirects, as a person's browser does.
func (o *oidcSite) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

// visit GETs u and returns the final page and address.
func (o *oidcSite) visit(c *http.Client, u string) (*http.Response, string) {
	o.t.Helper()
	res, err := c.Get(u)
	if err != nil {
		o.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// toCallback follows the sign-in until the provider sends the browser back, and returns that
// address without visiting it.
func (o *oidcSite) toCallback(c *http.Client, start string) *url.URL {
	o.t.Helper()
	var back *url.URL
	stop := *c
	stop.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		if r.URL.Path == oidc.CallbackPath {
			back = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}
	res, err := stop.Get(start)
	if err != nil {
		o.t.Fatal(err)
	}
	res.Body.Close()
	if back == nil {
		o.t.Fatalf("never sent back (status %d at %s)", res.StatusCode, res.Request.URL)
	}
	return back
}

func (o *oidcSite) session(c *http.Client) string {
	u, _ := url.Parse(o.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "mamori_session" {
			return ck.Value
		}
	}
	return ""
}

func (o *oidcSite) failures(reason string) int {
	o.t.Helper()
	var n int
	err := o.s.DB.SQL.QueryRow(`SELECT count(*) FROM audit_entries WHERE org_id = $1 AND action = 'auth.login_failed' AND after_json LIKE $2`,
		o.org, `%"reason":"`+reason+`"%`).Scan(&n)
	if err != nil {
		o.t.Fatal(err)
	}
	return n
}

func taro() oidctest.Person {
	return oidctest.Person{Subject: "s-001", Login: "yamada.taro", Name: "山田 太郎", Email: "yamada@town.example.lg.jp",
		Extra: map[string]any{"department": "総務課", "groups": []string{"mamori-staff"}, "amr": []string{"pwd"}}}
}

func TestOIDCLoginPage(t *testing.T) {
	db := storetest.SQLite(t)
	t.Run("configured: the button starts the sign-in", func(t *testing.T) {
		o := startOIDC(t, db, oidc.Config{})
		res, body := o.visit(o.browser(), o.srv.URL+"/login?next=/assets")
		if res.StatusCode != 200 || !strings.Contains(body, `href="/login/oidc?next=%2fassets"`) || !strings.Contains(body, "庁内認証基盤でサインイン") {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	})
	t.Run("not configured: no button, no route", func(t *testing.T) {
		_, srv, _ := start(t, storetest.SQLite(t))
		if _, body := get(t, srv.URL+"/login"); strings.Contains(body, "庁内認証基盤") {
			t.Fatal("button shown without a provider")
		}
		if res, _ := get(t, srv.URL+"/login/oidc"); res.StatusCode != http.StatusNotFound {
			t.Fatalf("start without a provider: %d", res.StatusCode)
		}
	})
}

func TestOIDCProviderDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dead := oidctest.Start(t)
		issuer := dead.Issuer()
		dead.Shutdown()
		o := startOIDC(t, db, oidc.Config{Issuer: issuer, ClientID: "mamori"})
		b := o.browser()
		_, body := o.visit(b, o.srv.URL+"/login")
		if !strings.Contains(body, `id="oidc-down"`) || !strings.Contains(body, "庁内認証基盤に接続できない") || !strings.Contains(body, `disabled>庁内認証基盤でサインイン`) {
			t.Fatalf("no notice of the provider being down:\n%s", body)
		}
		res, body := o.visit(b, o.srv.URL+"/login/oidc")
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "ログインIDとパスワードでログインしてください") {
			t.Fatalf("start while down: %d\n%s", res.StatusCode, body)
		}
		// Local sign-in is unaffected.
		res, err := b.PostForm(o.srv.URL+"/login", url.Values{"login": {"admin"}, "password": {o.admin}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if o.session(b) == "" || res.Request.URL.Path != "/account/password" {
			t.Fatalf("local sign-in: %d at %s", res.StatusCode, res.Request.URL)
		}
	})
}

func TestOIDCRefusalsOnTheLoginPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := startOIDC(t, db, oidc.Config{})
		cases := []struct {
			name   string
			setup  func()
			spoil  func(q url.Values)
			notice string
			reason string
		}{
			{"refused at the provider", o.idp.Deny, nil, "庁内認証基盤がサインインを認めませんでした", "oidc_access_denied"},
			{"a state not of this sign-in", nil, func(q url.Values) { q.Set("state", "forged") }, "ここで始めた手続きと照合できませんでした", "oidc_state_mismatch"},
			{"a token for another client", func() { p := taro(); p.Audience = "other-app"; o.idp.Next(p) }, nil, "IDトークン）を確認できなかった", "oidc_wrong_audience"},
			{"a wrong nonce", func() { p := taro(); p.Nonce = "n"; o.idp.Next(p) }, nil, "IDトークン）を確認できなかった", "oidc_nonce_mismatch"},
			{"an expired token", func() { p := taro(); p.Expired = true; o.idp.Next(p) }, nil, "有効期限が切れていました", "oidc_token_expired"},
			{"a forged token", func() { o.idp.Next(taro()); o.idp.Forge() }, nil, "IDトークン）を確認できなかった", "oidc_bad_signature"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				o.t = t
				if c.setup != nil {
					c.setup()
				}
				b := o.browser()
				back := o.toCallback(b, o.srv.URL+"/login/oidc?next="+url.QueryEscape("/requests?kind=take_out"))
				if c.spoil != nil {
					q := back.Query()
					c.spoil(q)
					back.RawQuery = q.Encode()
				}
				res, body := o.visit(b, back.String())
				if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, c.notice) || !strings.Contains(body, "庁内認証基盤でサインインできませんでした") {
					t.Fatalf("%d\n%s", res.StatusCode, body)
				}
				if strings.Contains(body, "oidc:") || strings.Contains(body, "audience") {
					t.Fatal("internal error text shown")
				}
				if !strings.Contains(body, `value="/requests?kind=take_out"`) {
					t.Fatal("where the person was going is lost")
				}
				if o.session(b) != "" {
					t.Fatal("a session was started")
				}
				if o.failures(c.reason) != 1 {
					t.Fatalf("not audited as %s", c.reason)
				}
			})
		}
	})
}

func TestOIDCNextStaysLocal(t *testing.T) {
	o := startOIDC(t, storetest.SQLite(t), oidc.Config{})
	o.idp.Deny()
	b := o.browser()
	back := o.toCallback(b, o.srv.URL+"/login/oidc?next="+url.QueryEscape("//evil.example/x"))
	_, body := o.visit(b, back.String())
	if strings.Contains(body, "evil.example") || !strings.Contains(body, `name="next" value="/"`) {
		t.Fatalf("next not made safe:\n%s", body)
	}
}
