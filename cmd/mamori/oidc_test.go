package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/oidc/oidctest"
)

func TestServeOIDC(t *testing.T) {
	t.Run("an issuer without a client id ends serve before anything is created", func(t *testing.T) {
		dir := t.TempDir()
		_, _, err := cliBounded(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--oidc-issuer", "https://idp.example.lg.jp")
		if err == nil || !strings.Contains(err.Error(), "--oidc-client-id") || exitCode(err) == 0 {
			t.Fatalf("error %v", err)
		}
		if exists(dbFile(dir)) {
			t.Fatal("the database was created despite the misconfiguration")
		}
	})

	t.Run("a provider that cannot be reached: logged, the button off, serve runs", func(t *testing.T) {
		idp := oidctest.Start(t)
		issuer := idp.Issuer()
		idp.Shutdown()
		s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--oidc-issuer", issuer, "--oidc-client-id", "mamori")
		if !strings.Contains(s.Stderr.String(), "OIDC provider unreachable") || !strings.Contains(s.Stderr.String(), issuer) {
			t.Fatalf("no log line naming the provider:\n%s", s.Stderr)
		}
		body := page(t, s.URL+"/login")
		if !strings.Contains(body, `id="oidc-down"`) || !strings.Contains(body, `name="password"`) {
			t.Fatalf("login page:\n%s", body)
		}
	})

	t.Run("a provider: the button sends people to it with PKCE and the configured callback", func(t *testing.T) {
		idp := oidctest.Start(t)
		t.Setenv("MAMORI_OIDC_CLIENT_SECRET", idp.ClientSecret)
		s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--oidc-issuer", idp.Issuer(), "--oidc-client-id", idp.ClientID,
			"--oidc-redirect-url", "https://mamori.example.lg.jp/login/oidc/callback", "--oidc-department-claim", "extension_dept")
		if !strings.Contains(page(t, s.URL+"/login"), `id="oidc-signin" href="/login/oidc"`) {
			t.Fatal("no button on the login page")
		}
		res, err := client.Get(s.URL + "/login/oidc")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		to, _ := res.Location()
		if res.StatusCode != http.StatusSeeOther || to == nil || !strings.HasPrefix(to.String(), idp.AuthorizationEndpoint()) {
			t.Fatalf("%d to %v", res.StatusCode, to)
		}
		q := to.Query()
		if q.Get("client_id") != idp.ClientID || q.Get("code_challenge_method") != "S256" || q.Get("nonce") == "" || q.Get("state") == "" ||
			q.Get("redirect_uri") != "https://mamori.example.lg.jp/login/oidc/callback" || !strings.Contains(q.Get("scope"), "openid") {
			t.Fatalf("authorization request %v", q)
		}
		var flow *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "mamori_oidc" {
				flow = c
			}
		}
		if flow == nil || !flow.HttpOnly || flow.SameSite != http.SameSiteLaxMode || flow.Path != "/login/oidc/callback" || flow.MaxAge != 600 {
			t.Fatalf("flow cookie %+v", flow)
		}
		if strings.Contains(s.Stderr.String(), idp.ClientSecret) || strings.Contains(s.Stdout.String(), idp.ClientSecret) {
			t.Fatal("the client secret was printed")
		}
	})
}

func page(t *testing.T, u string) string {
	t.Helper()
	res, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
