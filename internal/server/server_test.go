package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web/static"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var cheap = auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}

func start(t *testing.T, db *store.DB) (*app.Services, *httptest.Server, string) {
	t.Helper()
	s := app.New(db, cheap, nil)
	first, err := s.Bootstrap(context.Background(), app.Setup{OrgCode: "t", OrgName: "テスト町"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(s, Options{}))
	t.Cleanup(srv.Close)
	return s, srv, first.AdminPassword
}

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestOperationalEndpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, srv, _ := start(t, db)
		t.Run("healthz answers", func(t *testing.T) {
			if res, body := get(t, srv.URL+"/healthz"); res.StatusCode != 200 || body != "ok\n" {
				t.Fatalf("%d %q", res.StatusCode, body)
			}
		})
		t.Run("readyz answers while the database does", func(t *testing.T) {
			if res, _ := get(t, srv.URL+"/readyz"); res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
		})
		t.Run("metrics count requests by route", func(t *testing.T) {
			get(t, srv.URL+"/login")
			res, body := get(t, srv.URL+"/metrics")
			if res.StatusCode != 200 || !strings.Contains(body, `mamori_http_requests_total{code="200",method="GET",route="/"}`) {
				t.Fatalf("metrics lack the login request:\n%.2000s", body)
			}
		})
		t.Run("static files are served under their hashed names", func(t *testing.T) {
			res, _ := get(t, srv.URL+static.URL("app.css"))
			if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
				t.Fatalf("%d %q", res.StatusCode, res.Header.Get("Cache-Control"))
			}
		})
		t.Run("readyz fails when the database is gone", func(t *testing.T) {
			db.Close()
			if res, _ := get(t, srv.URL+"/readyz"); res.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %d", res.StatusCode)
			}
		})
	})
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	_, srv, _ := start(t, storetest.SQLite(t))
	for _, path := range []string{"/login", "/", "/api/v1/me", "/healthz", "/nowhere", static.URL("app.js")} {
		res, _ := get(t, srv.URL+path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if h.Get(k) != want {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), want)
			}
		}
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	s, srv, pw := start(t, storetest.SQLite(t))
	post := func(headers map[string]string) int {
		form := url.Values{"login": {"admin"}, "password": {pw}}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := post(map[string]string{"Sec-Fetch-Site": "cross-site"}); code != http.StatusForbidden {
		t.Errorf("cross-site form post: %d, want 403", code)
	}
	if code := post(map[string]string{"Origin": "http://evil.example"}); code != http.StatusForbidden {
		t.Errorf("foreign origin: %d, want 403", code)
	}
	var n int
	s.DB.SQL.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n)
	if n != 0 {
		t.Fatalf("a refused request created %d sessions", n)
	}
	if code := post(map[string]string{"Sec-Fetch-Site": "same-origin"}); code != http.StatusSeeOther {
		t.Errorf("same-origin post: %d, want 303", code)
	}
}

func deptInput(code string) org.DepartmentInput {
	return org.DepartmentInput{Code: code, Name: "課 " + code, Kind: "section"}
}
