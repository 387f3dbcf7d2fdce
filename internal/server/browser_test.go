package server

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/auth"
	"mamori/internal/store/storetest"
)

// chromium finds Debian's Chromium; without it the browser tests skip, except in CI.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("MAMORI_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if storetest.InCI() {
		t.Fatal("Chromium is required in CI (apt-get install chromium)")
	}
	t.Skip("Chromium not installed")
	return ""
}

func browserContext(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// The browser and its tab live as long as the context of the first run, so that run has no
	// deadline; each later step has its own (see do).
	must(t, chromedp.Do(ctx))
	return ctx
}

// stepTimeout bounds one browser step: a navigation with its waits, one form, one check of a
// page. It is generous, so that a busy machine makes a step slow rather than failed, and it
// bounds a step, never a whole run: a run of many pages takes as long as its pages take.
const stepTimeout = 2 * time.Minute

// do runs the actions in the browser of ctx, in order, as one step bounded by stepTimeout.
// ctx must have run once (browserContext does that).
func do(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// run runs one action that returns a value in the browser of ctx, bounded by stepTimeout.
func run[T any](ctx context.Context, action chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	return chromedp.Run(ctx, action)
}

// TestBrowserFirstSignIn drives real Chromium through the administrator's first sign-in: the
// one-time password, the forced password change, MFA enrolment and the Japanese home page.
func TestBrowserFirstSignIn(t *testing.T) {
	ctx := browserContext(t)
	_, srv, temp := start(t, storetest.SQLite(t))
	firstSignIn(t, ctx, srv.URL, temp)
	at(t, ctx, "/")
	lang, err := run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	must(t, err)
	title, err := run(ctx, chromedp.Title())
	must(t, err)
	home, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if lang.Value != "ja" || !strings.HasPrefix(title, "ホーム") || !strings.Contains(home, "こんにちは") {
		t.Fatalf("home page: lang=%q title=%q text=%q", lang.Value, title, home)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// at fails unless the browser's address ends with want.
func at(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	url, err := run(ctx, chromedp.Location())
	must(t, err)
	if !strings.HasSuffix(url, want) {
		t.Fatalf("browser is at %s, want …%s", url, want)
	}
}

// firstSignIn signs the administrator in with the one-time password, changes it, enrols MFA and
// goes on to the home page, checking each step's address.
func firstSignIn(t *testing.T, ctx context.Context, base, temp string) {
	t.Helper()
	newPW := "ブラウザで設定する新しいパスワード"
	must(t, do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("f-login"))))
	at(t, ctx, "/login")
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-login"), "admin"),
		chromedp.SendKeys(chromedp.ID("f-password"), temp),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.ID("f-current")),
	))
	at(t, ctx, "/account/password")
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-current"), temp),
		chromedp.SendKeys(chromedp.ID("f-new"), newPW),
		chromedp.SendKeys(chromedp.ID("f-confirm"), newPW),
		chromedp.Submit(chromedp.ID("f-confirm")),
	))
	enrolMFA(t, ctx)
}

// newPassword is what every person sets at the first sign-in.
const newPassword = "ブラウザで設定する新しいパスワード"

// setFirstPassword signs login in at base with the one-time password temp and sets newPassword
// on the forced change; the browser then goes where the account must go next.
func setFirstPassword(t *testing.T, ctx context.Context, base, login, temp string) {
	t.Helper()
	must(t, do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.ID("f-login"), login),
		chromedp.SendKeys(chromedp.ID("f-password"), temp),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.ID("f-current")),
		chromedp.SendKeys(chromedp.ID("f-current"), temp),
		chromedp.SendKeys(chromedp.ID("f-new"), newPassword),
		chromedp.SendKeys(chromedp.ID("f-confirm"), newPassword),
		chromedp.Submit(chromedp.ID("f-confirm")),
		// Wait until the form has gone, so that the next step does not cut short the redirect
		// after the change.
		chromedp.WaitNotPresent(chromedp.ID("f-confirm")),
	))
}

// staffFirstSignIn is the first sign-in of a member of staff whom the pack does not ask for
// MFA: the password change, and the page with the navigation they are sent to.
func staffFirstSignIn(t *testing.T, ctx context.Context, base, login, temp string) {
	t.Helper()
	setFirstPassword(t, ctx, base, login, temp)
	must(t, do(ctx, chromedp.WaitVisible(chromedp.CSS(".site-nav"))))
}

// enrolMFA takes a browser that was sent to MFA enrolment through it: it reads the secret,
// enters the code, sees the printable recovery codes and goes on to the home page.
func enrolMFA(t *testing.T, ctx context.Context) {
	t.Helper()
	must(t, do(ctx, chromedp.WaitVisible(chromedp.ID("mfa-secret"))))
	at(t, ctx, "/account/mfa")
	secret, err := run(ctx, chromedp.Text(chromedp.ID("mfa-secret")))
	must(t, err)
	code, err := auth.TOTPCode(strings.TrimSpace(secret), time.Now())
	must(t, err)
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-code"), code),
		chromedp.Submit(chromedp.ID("f-code")),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")),
		// app.js shows the print button.
		chromedp.WaitVisible(chromedp.CSS("button[data-print]")),
		chromedp.Click(chromedp.CSS("main a.btn--primary")),
		chromedp.WaitVisible(chromedp.CSS(".desk")),
	))
}
