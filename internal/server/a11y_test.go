package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/store/storetest"
)

// axe-core (MPL-2.0, see testdata/axe-LICENSE.txt) checks pages against WCAG 2.1 AA, the level
// JIS X 8341-3 refers to.
//
//go:embed testdata/axe-4.14.1.min.js
var axeSource string

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// TestPagesPassAccessibilityCheck loads every screen of the shell in Chromium, with the demo
// organisation's data, and runs axe-core on it.
func TestPagesPassAccessibilityCheck(t *testing.T) {
	ctx := browserContext(t)
	s, srv, temp := start(t, storetest.SQLite(t))
	o, _ := s.Org.First(context.Background())
	pack, ok := s.Policy.Library.Get(demo.DefaultPack)
	if !ok {
		t.Fatalf("pack %s is not shipped", demo.DefaultPack)
	}
	if _, err := s.Policy.Use(context.Background(), access.System(o.ID, "test"), pack.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), s, o.ID, pack); err != nil {
		t.Fatal(err)
	}
	filed := fileDemoRequest(t, s, o.ID)
	codes := codesOf(pack)
	check := func(t *testing.T, name string) {
		t.Helper()
		must(t, do(ctx, chromedp.WaitReady(chromedp.CSS("main"))))
		// The page speaks Japanese, not code (TestNoPageShowsACode says what that means).
		page, err := run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		must(t, err)
		for _, p := range screenProblems(page, codes, true) {
			t.Errorf("%s: %s", name, p)
		}
		audit := `(async () => {
			const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
			return JSON.stringify(r.violations);
		})()`
		if _, err := run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
			t.Fatalf("%s: load axe: %v", name, err)
		}
		out, err := run(ctx, chromedp.Evaluate[string](audit, chromedp.EvalAwaitPromise))
		must(t, err)
		var vs []axeViolation
		must(t, json.Unmarshal([]byte(out), &vs))
		for _, v := range vs {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprint(n.Target...))
			}
			t.Errorf("%s: %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(where, ", "))
		}
	}
	visit := func(t *testing.T, path string) {
		t.Helper()
		must(t, do(ctx, chromedp.Navigate(srv.URL+path)))
		check(t, path)
	}

	visit(t, "/login")
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-login"), "admin"),
		chromedp.SendKeys(chromedp.ID("f-password"), "wrong password"),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.CSS(".notice--error")),
	))
	check(t, "login with an error")
	firstSignIn(t, ctx, srv.URL, temp)
	check(t, "/")
	service := tokenPages(t, s)
	for _, path := range []string{service, "/users/new-service", "/policy", "/roles", "/departments", "/departments/new", "/staff", "/staff?q=田中", "/staff/new",
		"/users", "/users/new", "/users/2", "/audit", "/notices", "/account", "/account/password", "/nowhere",
		"/assets", "/assets?q=端末", "/assets/new", "/assets/1", "/assets/labels",
		"/logbooks", "/logbooks/room_access", "/logbooks/room_access/new", "/logbooks/room_access/1", "/logbooks/room_access/print",
		"/logbooks/system_change_record?unconfirmed=1",
		"/requests/new", "/requests/new?kind=take_out", "/requests/inbox", "/requests", filed, filed + "/print",
		"/incidents", "/incidents/new", "/incidents/new?outside=1", "/incidents/contacts", "/incidents/stats",
		"/compliance", "/compliance/findings?state=all", "/compliance/exceptions", "/compliance/report",
		"/pledges", "/pledges/status?state=all", "/pledges/paper", "/pledges/forms/nonregular-consent/print"} {
		t.Run(path, func(t *testing.T) { visit(t, path) })
	}
	t.Run("the register import", func(t *testing.T) {
		importSteps(t, ctx, srv.URL, importSheet(t), func(name string) { check(t, name) })
		visit(t, runElsewhere(t, s))
	})
	t.Run("MFA enrolment and the recovery codes", func(t *testing.T) {
		must(t, do(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("f-login"))))
		enrolmentPages(t, ctx, s, srv.URL, func(name string) { check(t, name) })
	})
	t.Run("a form with errors", func(t *testing.T) {
		must(t, do(ctx,
			chromedp.Navigate(srv.URL+"/departments/new"),
			chromedp.Submit(chromedp.ID("f-code")),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		))
		check(t, "department form with errors")
	})
}

// tokenPages gives the signed-in administrator an API token, so that the account page lists
// one, and creates a service account with a token; it returns the service account's page.
func tokenPages(t *testing.T, s *app.Services) string {
	t.Helper()
	ctx := context.Background()
	admin, err := s.Auth.ActAs(ctx, "admin")
	must(t, err)
	_, _, err = s.Auth.CreateToken(ctx, admin, auth.NewToken{Name: "集計スクリプト", Scope: "read"})
	must(t, err)
	u, err := s.Auth.CreateServiceAccount(ctx, admin, auth.NewServiceAccount{Login: "renkei", DisplayName: "資産台帳連携",
		Roles: []auth.ServiceRole{{RoleID: "network_admin", Scope: "organization"}}})
	must(t, err)
	_, _, err = s.Auth.CreateServiceToken(ctx, admin, u.ID, auth.NewToken{Name: "台帳の夜間同期", Scope: "read-write"})
	must(t, err)
	return "/users/" + strconv.FormatInt(u.ID, 10)
}

// enrolmentPages signs in a second platform administrator for the first time, which MFA is
// required of, and runs check on the enrolment page, on it again after a wrong code, and on the
// recovery codes.
func enrolmentPages(t *testing.T, ctx context.Context, s *app.Services, base string, check func(name string)) {
	t.Helper()
	bg := context.Background()
	o, _ := s.Org.First(bg)
	_, temp, err := s.Auth.CreateUser(bg, access.System(o.ID, "test"), auth.NewUser{Login: "admin2", DisplayName: "第二 管理者", PlatformAdmin: true, Lang: "ja"})
	must(t, err)
	setFirstPassword(t, ctx, base, "admin2", temp)
	must(t, do(ctx, chromedp.WaitVisible(chromedp.ID("mfa-secret"))))
	check("/account/mfa")
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-code"), "12345"), // five digits: never a valid code
		chromedp.Submit(chromedp.ID("f-code")),
		chromedp.WaitVisible(chromedp.ID("e-code")),
	))
	check("/account/mfa after a wrong code")
	secret, err := run(ctx, chromedp.Text(chromedp.ID("mfa-secret")))
	must(t, err)
	code, err := auth.TOTPCode(strings.TrimSpace(secret), time.Now())
	must(t, err)
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-code"), code),
		chromedp.Submit(chromedp.ID("f-code")),
		chromedp.WaitVisible(chromedp.CSS("button[data-print]")),
	))
	check("the recovery codes")
}
