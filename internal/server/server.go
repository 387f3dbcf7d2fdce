// Package server puts Mamori's surfaces behind one handler: the HTML interface, the JSON API,
// static files, health checks and metrics, with the security headers and cross-origin
// protection that apply to all of them.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"mamori/internal/api"
	"mamori/internal/app"
	"mamori/internal/oidc"
	"mamori/internal/web"
	"mamori/internal/web/static"
)

// Options configure the server.
type Options struct {
	Logger        *slog.Logger
	SecureCookies bool
	Version       string
	// TrustedProxies are reverse proxies whose X-Forwarded-For names the real client.
	TrustedProxies []netip.Prefix
	// Metrics says who may read /metrics: loopback (the zero value), off, or token, which
	// needs MetricsToken.
	Metrics      MetricsAccess
	MetricsToken string
	// OIDC signs staff in with the organisation's identity provider; nil when none is configured.
	OIDC *oidc.Service
}

// New returns the root handler. Middleware, outermost first: recovery, the real client address
// behind trusted proxies, metrics, security headers, the check of the path, query and read
// headers for text Mamori does not take (input.go), cross-origin (CSRF) protection, then the
// route table below.
func New(s *app.Services, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newMetrics(reg)

	mux := http.NewServeMux()
	mux.Handle(static.Prefix, static.Handler())
	mux.Handle("/api/", api.New(s, api.Options{Logger: opts.Logger}))
	mux.Handle("GET /healthz", http.HandlerFunc(healthz))
	mux.Handle("GET /readyz", readyz(s))
	mux.Handle("GET /metrics", guardMetrics(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), opts.Metrics, opts.MetricsToken))
	html := web.New(s, web.Options{Logger: opts.Logger, SecureCookies: opts.SecureCookies, OIDC: opts.OIDC})
	mux.Handle("/", html)

	csrf := http.NewCrossOriginProtection()
	var h http.Handler = csrf.Handler(mux)
	h = checkInput(h, html.Refuse, api.Refuse)
	h = securityHeaders(h, opts.SecureCookies)
	h = m.instrument(mux, h)
	h = realClient(h, opts.TrustedProxies)
	return recoverer(h, opts.Logger)
}

func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 only when the database answers.
func readyz(s *app.Services) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := s.DB.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database unavailable\n"))
			return
		}
		w.Write([]byte("ready\n"))
	})
}

// securityHeaders sets the headers every response carries. The CSP allows no inline script or
// style and nothing from outside.
func securityHeaders(next http.Handler, alwaysTLS bool) http.Handler {
	const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil || alwaysTLS {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

func recoverer(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "システムエラーが発生しました / Internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
