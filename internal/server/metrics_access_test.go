package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/store/storetest"
)

// TestMetricsAccess asks for /metrics from different places in each access mode.
func TestMetricsAccess(t *testing.T) {
	s := app.New(storetest.SQLite(t), cheap, nil)
	const token = "s3cret-metrics-token-0123"
	ask := func(h http.Handler, remote string, headers ...string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = remote
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Add(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	served := func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "go_goroutines") {
			t.Fatalf("status %d, want the metrics:\n%.300s", rec.Code, rec.Body.String())
		}
	}
	refused := func(t *testing.T, rec *httptest.ResponseRecorder, code int) {
		t.Helper()
		if rec.Code != code || strings.Contains(rec.Body.String(), "go_goroutines") {
			t.Fatalf("status %d, want %d without metrics:\n%.300s", rec.Code, code, rec.Body.String())
		}
	}

	t.Run("loopback is the default and serves this machine", func(t *testing.T) {
		h := New(s, Options{})
		served(t, ask(h, "127.0.0.1:50000"))
		served(t, ask(h, "[::1]:50000"))
		served(t, ask(h, "127.0.0.1:50000", "X-Forwarded-For", "127.0.0.1"))
	})
	t.Run("loopback refuses other machines", func(t *testing.T) {
		h := New(s, Options{Metrics: MetricsLoopback})
		rec := ask(h, "192.0.2.7:50000")
		refused(t, rec, http.StatusForbidden)
		if !strings.Contains(rec.Body.String(), "この機器からのみ") {
			t.Errorf("body %q does not say why", rec.Body.String())
		}
		refused(t, ask(h, "[2001:db8::1]:50000"), http.StatusForbidden)
	})
	t.Run("loopback refuses a client forwarded by a proxy on this machine", func(t *testing.T) {
		h := New(s, Options{})
		refused(t, ask(h, "127.0.0.1:50000", "X-Forwarded-For", "203.0.113.5"), http.StatusForbidden)
		refused(t, ask(h, "127.0.0.1:50000", "X-Forwarded-For", "127.0.0.1, 203.0.113.5"), http.StatusForbidden)
		refused(t, ask(h, "127.0.0.1:50000", "X-Forwarded-For", "not-an-address"), http.StatusForbidden)
		refused(t, ask(h, "127.0.0.1:50000", "Forwarded", "for=203.0.113.5"), http.StatusForbidden)
	})
	t.Run("loopback judges the real client behind a trusted proxy", func(t *testing.T) {
		h := New(s, Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
		refused(t, ask(h, "10.1.2.3:50000", "X-Forwarded-For", "198.51.100.9"), http.StatusForbidden)
		refused(t, ask(h, "10.1.2.3:50000"), http.StatusForbidden)
	})
	t.Run("off answers 404 to everyone", func(t *testing.T) {
		h := New(s, Options{Metrics: MetricsOff})
		refused(t, ask(h, "127.0.0.1:50000"), http.StatusNotFound)
		refused(t, ask(h, "192.0.2.7:50000", "Authorization", "Bearer "+token), http.StatusNotFound)
	})
	t.Run("token serves whoever presents it", func(t *testing.T) {
		h := New(s, Options{Metrics: MetricsToken, MetricsToken: token})
		served(t, ask(h, "192.0.2.7:50000", "Authorization", "Bearer "+token))
		served(t, ask(h, "127.0.0.1:50000", "Authorization", "Bearer "+token))
	})
	t.Run("token refuses a missing or wrong token, even from this machine", func(t *testing.T) {
		h := New(s, Options{Metrics: MetricsToken, MetricsToken: token})
		for _, auth := range []string{"", "Bearer ", "Bearer " + token[:len(token)-1], "Bearer " + token + "x", "Basic " + token, token} {
			var rec *httptest.ResponseRecorder
			if auth == "" {
				rec = ask(h, "127.0.0.1:50000")
			} else {
				rec = ask(h, "127.0.0.1:50000", "Authorization", auth)
			}
			refused(t, rec, http.StatusUnauthorized)
			if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%q: WWW-Authenticate %q", auth, rec.Header().Get("WWW-Authenticate"))
			}
		}
	})
	t.Run("token mode without a token lets no one in", func(t *testing.T) {
		h := New(s, Options{Metrics: MetricsToken})
		refused(t, ask(h, "127.0.0.1:50000", "Authorization", "Bearer "), http.StatusNotFound)
	})
	t.Run("other routes are not affected", func(t *testing.T) {
		h := New(s, Options{Metrics: MetricsOff})
		if rec := ask(h, "192.0.2.7:50000"); rec.Code != http.StatusNotFound {
			t.Fatalf("metrics: %d", rec.Code)
		}
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.RemoteAddr = "192.0.2.7:50000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("healthz: %d", rec.Code)
		}
	})
}

func TestParseMetricsAccess(t *testing.T) {
	long := strings.Repeat("k", minMetricsToken)
	for _, c := range []struct {
		mode, token string
		want        MetricsAccess
		err         string
	}{
		{"", "", MetricsLoopback, ""},
		{"loopback", "", MetricsLoopback, ""},
		{"OFF", "", MetricsOff, ""},
		{"token", long, MetricsToken, ""},
		{"token", "", "", "--metrics-token"},
		{"token", long[1:], "", "at least"},
		{"loopback", long, "", "only with --metrics token"},
		{"public", "", "", "off, loopback or token"},
	} {
		got, err := ParseMetricsAccess(c.mode, c.token)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("%q/%q: %q, %v; want %q", c.mode, c.token, got, err, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%q/%q: error %v, want one containing %q", c.mode, c.token, err, c.err)
		}
	}
}
