// Package static embeds Mamori's stylesheets, script and icons and serves them
// under content-hashed names (app.css → /static/app.<hash>.css), so that browsers
// may cache each version for a year and a new build is never served a stale file.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Prefix is the URL path under which Handler must be mounted:
//
//	mux.Handle(static.Prefix, static.Handler())
const Prefix = "/static/"

// hashLen is how many hex digits of the SHA-256 go into a hashed name.
const hashLen = 10

//go:embed files
var embedded embed.FS

// contentTypes lists every file type the package may embed. A file with any
// other extension makes loading fail, so a new kind of asset is a conscious choice.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
	".txt": "text/plain; charset=utf-8",
}

// svgCSP stops an SVG opened directly in the browser from running script or
// fetching anything; it does not affect SVGs used as <img> or favicon.
const svgCSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

type asset struct {
	hashed string // hashed name relative to Prefix, e.g. "app.0123456789.css"
	ctype  string
	etag   string
	body   []byte
}

// assets is one loaded set of files: the package's embedded set, or a test set.
type assets struct {
	byName   map[string]*asset // "app.css" → asset
	byHashed map[string]*asset // "app.0123456789.css" → asset
}

// defaultAssets holds the embedded files; hashes are computed once, here.
var defaultAssets = mustLoad()

func mustLoad() *assets {
	sub, err := fs.Sub(embedded, "files")
	if err != nil {
		panic(err)
	}
	a, err := load(sub)
	if err != nil {
		panic(err)
	}
	return a
}

// load reads every file of fsys and computes its hashed name.
func load(fsys fs.FS) (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := contentTypes[path.Ext(name)]
		if !ok {
			return fmt.Errorf("static: %s: no content type for extension %q", name, path.Ext(name))
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		full := hex.EncodeToString(sum[:])
		x := &asset{
			hashed: hashedName(name, full[:hashLen]),
			ctype:  ctype,
			etag:   `"` + full + `"`,
			body:   body,
		}
		if _, dup := a.byHashed[x.hashed]; dup {
			return fmt.Errorf("static: %s: hashed name %s is not unique", name, x.hashed)
		}
		a.byName[name] = x
		a.byHashed[x.hashed] = x
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// hashedName inserts the hash before the extension: "img/logo.png" → "img/logo.<hash>.png".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// URL returns the path under which the embedded file name (relative to the
// files directory, e.g. "app.css") is served, with its content hash in it.
// It panics when there is no such file: a typo in a template is a build defect,
// and the tests that render every page find it.
func URL(name string) string { return defaultAssets.url(name) }

func (a *assets) url(name string) string {
	x, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("static: no embedded file %q", name))
	}
	return Prefix + x.hashed
}

// Handler serves GET and HEAD requests for the hashed names that URL returns,
// with a one-year immutable cache lifetime. Any other name, including a file's
// plain unhashed name, is 404. Mount it at Prefix; it reads the full request path.
func Handler() http.Handler { return defaultAssets }

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	x := a.byHashed[name]
	if !ok || x == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", x.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", x.etag)
	if strings.HasSuffix(name, ".svg") {
		h.Set("Content-Security-Policy", svgCSP)
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(x.body))
}
