package server

import (
	"net/http"
	"strings"

	"mamori/internal/textcheck"
)

// readHeaders are the request headers Mamori reads (the user agent goes into the audit log).
var readHeaders = []string{"Accept-Language", "Authorization", "Content-Type", "Cookie", "User-Agent", "X-Forwarded-For"}

// checkInput refuses, before any route sees it, a request whose path, query parameter names
// and values, or the headers Mamori reads carry text Mamori does not take: a NUL or another
// control character, invalid UTF-8, a surrogate half, a bidirectional override. The answer is
// 400 naming the parameter: JSON under /api/, the error page elsewhere.
func checkInput(next http.Handler, web, api func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := inputProblem(r); err != nil {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				api(w, r, err)
			} else {
				web(w, r, err)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

func inputProblem(r *http.Request) error {
	if p := textcheck.Line(r.URL.Path); p != textcheck.OK {
		return textcheck.Refusal("path", p)
	}
	for _, h := range readHeaders {
		for _, v := range r.Header.Values(h) {
			if p := textcheck.Line(v); p != textcheck.OK {
				return textcheck.Refusal(h, p)
			}
		}
	}
	// url.ParseQuery keeps what it could read of a query with a bad escape; the routes read
	// the same through r.URL.Query().
	return textcheck.Values(r.URL.Query(), false)
}
