package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// MetricsAccess says who may read /metrics.
type MetricsAccess string

const (
	// MetricsLoopback serves /metrics only to a client on this machine (the default).
	MetricsLoopback MetricsAccess = "loopback"
	// MetricsOff answers /metrics with 404.
	MetricsOff MetricsAccess = "off"
	// MetricsToken serves /metrics to any client presenting the bearer token.
	MetricsToken MetricsAccess = "token"
)

// minMetricsToken is the shortest bearer token accepted for /metrics.
const minMetricsToken = 16

// ParseMetricsAccess reads --metrics and --metrics-token, and refuses a token that is missing,
// short, or given without token mode.
func ParseMetricsAccess(mode, token string) (MetricsAccess, error) {
	m := MetricsAccess(strings.ToLower(strings.TrimSpace(mode)))
	switch m {
	case "":
		m = MetricsLoopback
	case MetricsOff, MetricsLoopback, MetricsToken:
	default:
		return "", fmt.Errorf("--metrics must be off, loopback or token, not %q", mode)
	}
	switch {
	case m == MetricsToken && len(token) < minMetricsToken:
		return "", fmt.Errorf("--metrics token needs --metrics-token of at least %d characters", minMetricsToken)
	case m != MetricsToken && token != "":
		return "", fmt.Errorf("--metrics-token is used only with --metrics token")
	}
	return m, nil
}

// guardMetrics lets a request through to the metrics handler only as the access mode allows.
// It runs inside realClient, so the address it sees is the real client's behind trusted
// proxies.
func guardMetrics(next http.Handler, mode MetricsAccess, token string) http.Handler {
	if mode == MetricsToken && token == "" {
		mode = MetricsOff // a token mode without a token lets no one in
	}
	want := sha256.Sum256([]byte(token))
	refuse := func(w http.ResponseWriter, code int, msg string) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		w.Write([]byte(msg))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode {
		case MetricsToken:
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			// Both sides are hashed first so that the comparison takes the same time whatever
			// the length of what was sent.
			sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
			if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				refuse(w, http.StatusUnauthorized, "メトリクスの参照にはトークンが必要です / a bearer token is required for metrics\n")
				return
			}
		case MetricsLoopback, "":
			if !fromLoopback(r) {
				refuse(w, http.StatusForbidden, "メトリクスはこの機器からのみ参照できます / metrics are served to this machine only\n")
				return
			}
		default:
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fromLoopback reports whether the request's real client is on this machine. A request that
// carries forwarding headers naming anything but a loopback address came through a proxy from
// elsewhere, even when the proxy itself is on this machine and not configured as trusted.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	if a, err := netip.ParseAddr(host); err != nil || !a.Unmap().IsLoopback() {
		return false
	}
	if len(r.Header.Values("Forwarded")) > 0 {
		return false
	}
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			a, err := netip.ParseAddr(strings.TrimSpace(hop))
			if err != nil || !a.Unmap().IsLoopback() {
				return false
			}
		}
	}
	return true
}
