package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRealClientBehindTrustedProxies(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.5")
	if err != nil {
		t.Fatal(err)
	}
	var seen string
	h := realClient(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.RemoteAddr }), trusted)
	for _, c := range []struct {
		name, remote, xff, want string
	}{
		{"a direct client keeps its address", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9:5000"},
		{"a trusted proxy passes on the client", "10.1.2.3:5000", "198.51.100.7", "198.51.100.7:5000"},
		{"a forged hop left of the real client is ignored", "10.1.2.3:5000", "1.2.3.4, 198.51.100.7", "198.51.100.7:5000"},
		{"chains of trusted proxies are walked", "192.168.1.5:5000", "198.51.100.7, 10.9.9.9", "198.51.100.7:5000"},
		{"garbage leaves the proxy's address", "10.1.2.3:5000", "not-an-ip", "10.1.2.3:5000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			r.Header.Set("X-Forwarded-For", c.xff)
			h.ServeHTTP(httptest.NewRecorder(), r)
			if seen != c.want {
				t.Fatalf("remote = %q, want %q", seen, c.want)
			}
		})
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix was accepted")
	}
}
