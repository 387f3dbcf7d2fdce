package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestSafeNext: only a path on this site survives as the target after login; a browser must not
// be able to read anything that passes as leading elsewhere.
func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/":       "/",
		"/assets": "/assets",
		"/assets?q=%E7%AB%AF%E6%9C%AB&kind=terminal": "/assets?q=%E7%AB%AF%E6%9C%AB&kind=terminal",
		"/requests/12#decide":                        "/requests/12#decide",
		"/audit?entity_id=a%2Fb":                     "/audit?entity_id=a%2Fb",
		"":                                           "/",
		"/\t/evil.example":                           "/",
		"/%09/evil.example":                          "/",
		"/\n/evil.example":                           "/",
		"/\r\n/evil.example":                         "/",
		"/%0a/evil.example":                          "/",
		"/\x00/evil.example":                         "/",
		"/\x7f/evil.example":                         "/",
		"/\\evil.example":                            "/",
		"/%5Cevil.example":                           "/",
		"\\\\evil.example":                           "/",
		"//evil.example":                             "/",
		"//evil.example/path":                        "/",
		"///evil.example":                            "/",
		"/%2F%2Fevil.example":                        "/",
		"/%2f/evil.example":                          "/",
		"https://evil.example":                       "/",
		"http:/evil.example":                         "/",
		"javascript:alert(1)":                        "/",
		"evil.example":                               "/",
		" /assets":                                   "/",
		"/ /evil.example":                            "/",
		"/\u3000/evil.example":                       "/",
		"/\u200b/evil.example":                       "/",
		"/\u202e/evil.example":                       "/",
		"/\xff/evil.example":                         "/",
		"/%zz":                                       "/",
		"/" + strings.Repeat("a", 3000):              "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// The sign-in steps carry only a safe target on: the password step to the second factor, and
// the second factor to the page itself.
func TestLoginRedirectStaysOnTheSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.browser().signInAdmin(adminPW)
		for _, next := range []string{"/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"} {
			b := f.browser()
			r := b.get("/login?next=" + url.QueryEscape(next))
			expect(t, r, http.StatusOK)
			if strings.Contains(r.body, "evil.example") {
				t.Fatalf("the sign-in form carries %q on", next)
			}
			r = b.post("/login", url.Values{"login": {"admin"}, "password": {adminPW}, "next": {next}})
			expect(t, r, http.StatusSeeOther)
			if r.location != "/login/mfa?next=%2F" {
				t.Fatalf("next %q: to the second factor by %q", next, r.location)
			}
			r = b.get("/login/mfa?next=" + url.QueryEscape(next))
			if expect(t, r, http.StatusOK); strings.Contains(r.body, "evil.example") {
				t.Fatalf("the second-factor form carries %q on", next)
			}
			f.now = f.now.Add(time.Minute)
			code, _ := auth.TOTPCode(mustSecret(t, f), f.now)
			r = b.post("/login/mfa", url.Values{"code": {code}, "next": {next}})
			if expect(t, r, http.StatusSeeOther); r.location != "/" {
				t.Fatalf("next %q: after the second factor to %q", next, r.location)
			}
		}
		b := f.browser()
		expect(t, b.post("/login", url.Values{"login": {"admin"}, "password": {adminPW}, "next": {"/audit?action=auth.login"}}),
			http.StatusSeeOther, "/login/mfa?next=%2Faudit%3Faction%3Dauth.login")
		f.now = f.now.Add(time.Minute)
		code, _ := auth.TOTPCode(mustSecret(t, f), f.now)
		if r := b.post("/login/mfa", url.Values{"code": {code}, "next": {"/audit?action=auth.login"}}); r.location != "/audit?action=auth.login" {
			t.Fatalf("a local target is lost: %q", r.location)
		}
	})
}
