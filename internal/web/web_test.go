package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var cheap = auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}

// fixture is a running web interface over a fresh database with its first organisation.
type fixture struct {
	t       *testing.T
	s       *app.Services
	web     *Server
	srv     *httptest.Server
	adminPW string
	now     time.Time
	// recovery holds the unused recovery codes of each user who enrolled in MFA, by login, so
	// that tests can sign them in again whatever the clock says.
	recovery map[string][]string
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, now: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), recovery: map[string][]string{}}
	f.s = app.New(db, cheap, func() time.Time { return f.now })
	first, err := f.s.Bootstrap(context.Background(), app.Setup{OrgCode: "t", OrgName: "テスト町"})
	if err != nil {
		t.Fatal(err)
	}
	f.adminPW = first.AdminPassword
	f.web = New(f.s, Options{})
	f.srv = httptest.NewServer(f.web)
	t.Cleanup(f.srv.Close)
	return f
}

// browser is a cookie-keeping client that does not follow redirects, so tests see each step.
type browser struct {
	t *testing.T
	f *fixture
	c *http.Client
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: f.t, f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	status   int
	location string
	body     string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func expect(t *testing.T, r response, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; location %q; body:\n%.1500s", r.status, status, r.location, r.body)
	}
	for _, c := range contains {
		if !strings.Contains(r.body, c) && !strings.Contains(r.location, c) {
			t.Fatalf("response lacks %q; body:\n%.3000s", c, r.body)
		}
	}
}

var secretRe = regexp.MustCompile(`id="mfa-secret">([A-Z2-7]+)<`)
var tempRe = regexp.MustCompile(`id="temp-password">([^<]+)<`)

// signInAdmin takes the administrator through first sign-in: temporary password, forced
// change, MFA enrolment. It returns the TOTP secret.
func (b *browser) signInAdmin(newPW string) string {
	t := b.t
	expect(t, b.post("/login", url.Values{"login": {"admin"}, "password": {b.f.adminPW}}), http.StatusSeeOther, "/account/password")
	expect(t, b.post("/account/password", url.Values{"current": {b.f.adminPW}, "new": {newPW}, "confirm": {newPW}}), http.StatusSeeOther, "/account/mfa")
	r := b.get("/account/mfa")
	expect(t, r, http.StatusOK, "多要素認証の設定")
	m := secretRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page")
	}
	code, _ := auth.TOTPCode(m[1], b.f.now)
	expect(t, b.post("/account/mfa", url.Values{"code": {code}}), http.StatusOK, "リカバリーコード")
	return m[1]
}

// changedPassword finishes a forced password change: where the account must use MFA (a
// platform administrator, or a holder of a role the pack names) it goes on to enrol, as a
// person would at first sign-in.
func (b *browser) changedPassword(r response, login string) {
	b.t.Helper()
	expect(b.t, r, http.StatusSeeOther)
	if r.location == "/account/mfa" {
		b.enrolMFA(login)
	}
}

var recoveryRe = regexp.MustCompile(`<li>([a-zA-Z0-9]{5}-[a-zA-Z0-9]{5})</li>`)

// enrolMFA enrols the signed-in user in MFA, keeps their recovery codes and returns the TOTP
// secret.
func (b *browser) enrolMFA(login string) string {
	t := b.t
	t.Helper()
	r := b.get("/account/mfa")
	expect(t, r, http.StatusOK, "多要素認証の設定")
	m := secretRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page")
	}
	code, _ := auth.TOTPCode(m[1], b.f.now)
	r = b.post("/account/mfa", url.Values{"code": {code}})
	expect(t, r, http.StatusOK, "リカバリーコード")
	for _, c := range recoveryRe.FindAllStringSubmatch(r.body, -1) {
		b.f.recovery[login] = append(b.f.recovery[login], c[1])
	}
	return m[1]
}

// secondFactor completes a sign-in that waits for its second factor with one of the user's
// recovery codes.
func (b *browser) secondFactor(r response, login string) {
	b.t.Helper()
	expect(b.t, r, http.StatusSeeOther)
	if !strings.HasPrefix(r.location, "/login/mfa") {
		return
	}
	codes := b.f.recovery[login]
	if len(codes) == 0 {
		b.t.Fatalf("%s has no recovery code left", login)
	}
	b.f.recovery[login] = codes[1:]
	expect(b.t, b.post("/login/mfa", url.Values{"code": {codes[0]}}), http.StatusSeeOther)
}

func mustSecret(t *testing.T, f *fixture) string {
	t.Helper()
	var s string
	if err := f.s.DB.SQL.QueryRow(`SELECT mfa_secret FROM users WHERE login = 'admin'`).Scan(&s); err != nil || s == "" {
		t.Fatalf("admin secret: %v", err)
	}
	return s
}

// signInAgain signs the administrator in with the password and a current code.
func (b *browser) signInAgain(t *testing.T) {
	t.Helper()
	expect(t, b.post("/login", url.Values{"login": {"admin"}, "password": {adminPW}}), http.StatusSeeOther, "/login/mfa")
	b.f.now = b.f.now.Add(time.Minute)
	code, _ := auth.TOTPCode(mustSecret(t, b.f), b.f.now)
	expect(t, b.post("/login/mfa", url.Values{"code": {code}}), http.StatusSeeOther)
}

func orgRole(role string, staffID int64) org.RoleAssignment {
	return org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: staffID}
}
