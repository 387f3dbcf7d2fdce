package static

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func hash10(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashLen]
}

func mustLoadMap(t *testing.T, m fstest.MapFS) *assets {
	t.Helper()
	a, err := load(m)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestURLStableAndFollowsContent(t *testing.T) {
	a := mustLoadMap(t, fstest.MapFS{
		"app.css":      {Data: []byte("body{color:red}")},
		"img/logo.png": {Data: []byte("PNG")},
	})
	want := "/static/app." + hash10("body{color:red}") + ".css"
	if got := a.url("app.css"); got != want {
		t.Fatalf("url(app.css) = %q, want %q", got, want)
	}
	if again := mustLoadMap(t, fstest.MapFS{"app.css": {Data: []byte("body{color:red}")}}).url("app.css"); again != want {
		t.Errorf("same content, different URL: %q vs %q", again, want)
	}
	changed := mustLoadMap(t, fstest.MapFS{"app.css": {Data: []byte("body{color:blue}")}}).url("app.css")
	if changed == want {
		t.Errorf("URL did not change with the content: %q", changed)
	}
	if got, want := a.url("img/logo.png"), "/static/img/logo."+hash10("PNG")+".png"; got != want {
		t.Errorf("url(img/logo.png) = %q, want %q", got, want)
	}
}

func TestURLPanicsOnUnknownName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("URL of an unknown file did not panic")
		}
	}()
	URL("no-such-file.css")
}

func TestLoadRejectsUnknownExtension(t *testing.T) {
	if _, err := load(fstest.MapFS{"notes.md": {Data: []byte("x")}}); err == nil {
		t.Error("load accepted a file with no known content type")
	}
}

func TestEmbeddedFiles(t *testing.T) {
	for _, name := range []string{"app.css", "tokens.css", "app.js", "favicon.svg", "tokens.LICENSE.txt"} {
		i := strings.LastIndex(name, ".")
		stem, ext := name[:i], name[i+1:]
		re := regexp.MustCompile(`^/static/` + regexp.QuoteMeta(stem) + `\.[0-9a-f]{10}\.` + ext + `$`)
		if got := URL(name); !re.MatchString(got) {
			t.Errorf("URL(%q) = %q, want match for %s", name, got, re)
		}
	}
}

func get(t *testing.T, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerServesHashedNames(t *testing.T) {
	types := map[string]string{
		"app.css":            "text/css; charset=utf-8",
		"tokens.css":         "text/css; charset=utf-8",
		"app.js":             "text/javascript; charset=utf-8",
		"favicon.svg":        "image/svg+xml",
		"tokens.LICENSE.txt": "text/plain; charset=utf-8",
	}
	for name, ctype := range types {
		res := get(t, http.MethodGet, URL(name), nil)
		body, _ := io.ReadAll(res.Body)
		want, err := fs.ReadFile(embedded, "files/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", name, res.StatusCode)
		}
		if string(body) != string(want) {
			t.Errorf("%s: body differs from the embedded file", name)
		}
		for k, v := range map[string]string{
			"Content-Type":           ctype,
			"Cache-Control":          "public, max-age=31536000, immutable",
			"X-Content-Type-Options": "nosniff",
		} {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", name, k, got, v)
			}
		}
	}
	if csp := get(t, http.MethodGet, URL("favicon.svg"), nil).Header.Get("Content-Security-Policy"); csp != svgCSP {
		t.Errorf("favicon.svg: Content-Security-Policy = %q", csp)
	}
}

func TestHandlerHEADAndConditional(t *testing.T) {
	res := get(t, http.MethodHead, URL("app.css"), nil)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || len(body) != 0 {
		t.Errorf("HEAD: status %d, %d body bytes", res.StatusCode, len(body))
	}
	if res.Header.Get("Content-Type") != "text/css; charset=utf-8" || res.Header.Get("Content-Length") == "" {
		t.Errorf("HEAD: headers %v", res.Header)
	}
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if res := get(t, http.MethodGet, URL("app.css"), map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.StatusCode)
	}
}

func TestHandlerRejects(t *testing.T) {
	h := URL("app.css")[len("/static/app.") : len("/static/app.")+hashLen]
	for _, target := range []string{
		"/static/app.css",                   // unhashed
		"/static/app.0000000000.css",        // wrong hash
		"/static/tokens." + h + ".css",      // another file's hash
		"/static/nope." + h + ".css",        // unknown
		"/static/",                          // directory
		"/assets/app." + h + ".css",         // not under the prefix
		"/static/files/app." + h + ".css",   // embed directory is not part of the URL
		"/static/../static/app." + h + ".c", // nonsense
	} {
		res := get(t, http.MethodGet, target, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: 404 marked %q", target, cc)
		}
	}
	res := get(t, http.MethodPost, URL("app.css"), nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestMountedOnMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle(Prefix, Handler())
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, URL("app.js"), nil))
	if rec.Code != http.StatusOK {
		t.Errorf("through ServeMux: status %d", rec.Code)
	}
}

func readEmbedded(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(embedded, "files/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestClosedNetwork guards the closed-network rule: no asset fetches anything.
func TestClosedNetwork(t *testing.T) {
	for _, name := range []string{"app.css", "tokens.css", "app.js", "favicon.svg"} {
		s := readEmbedded(t, name)
		s = strings.ReplaceAll(s, `xmlns="http://www.w3.org/2000/svg"`, "")
		for _, bad := range []string{"@import", "@font-face", "http://", "https://", "url(", "//cdn"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

func TestTokensHeader(t *testing.T) {
	first, _, _ := strings.Cut(readEmbedded(t, "tokens.css"), "\n")
	for _, want := range []string{"@digital-go-jp/design-tokens", "1.1.9", "MIT"} {
		if !strings.Contains(first, want) {
			t.Errorf("tokens.css first line %q lacks %q", first, want)
		}
	}
	if !strings.Contains(readEmbedded(t, "tokens.LICENSE.txt"), "Permission is hereby granted") {
		t.Error("tokens.LICENSE.txt lacks the MIT licence text")
	}
}

// TestAppCSSVariablesDefined checks that every var(--x) in app.css is defined
// in tokens.css or in app.css itself, so a token rename cannot pass silently.
func TestAppCSSVariablesDefined(t *testing.T) {
	app, tokens := readEmbedded(t, "app.css"), readEmbedded(t, "tokens.css")
	defined := map[string]bool{}
	for _, m := range regexp.MustCompile(`(--[a-z0-9-]+)\s*:`).FindAllStringSubmatch(tokens+app, -1) {
		defined[m[1]] = true
	}
	used := regexp.MustCompile(`var\(\s*(--[a-z0-9-]+)`).FindAllStringSubmatch(app, -1)
	if len(used) == 0 {
		t.Fatal("app.css uses no variables")
	}
	for _, m := range used {
		if !defined[m[1]] {
			t.Errorf("app.css uses undefined variable %s", m[1])
		}
	}
}

// TestAppCSSClasses lists the classes the templates rely on.
func TestAppCSSClasses(t *testing.T) {
	app := readEmbedded(t, "app.css")
	for _, c := range strings.Fields(`
		skip-link visually-hidden site-header site-header__inner site-header__title site-header__org
		site-header__user site-nav container site-footer breadcrumbs page-title page-lead page-actions
		card cards card__title card__value card__meta form field field__label badge-required
		badge-optional field__hint field__error is-invalid form__actions error-summary
		error-summary__title notice notice--info notice--success notice--warning notice--error
		btn btn--primary btn--secondary btn--danger btn--small btn--link table-wrap data num
		table-empty status status--ok status--warn status--ng status--neutral tree filters
		pagination props muted mono login codes qr hash choice`) {
		if !regexp.MustCompile(`\.` + regexp.QuoteMeta(c) + `[\s,{:.\[>+)]`).MatchString(app) {
			t.Errorf("app.css has no rule for .%s", c)
		}
	}
}
