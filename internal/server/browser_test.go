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
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// TestBrowserFirstSignIn drives real Chromium through the administrator's first sign-in: the
// one-time password, the forced password change, MFA enrolment and the Japanese home page.
func TestBrowserFirstSignIn(t *testing.T) {
	ctx := browserContext(t)
	_, srv, temp := start(t, storetest.SQLite(t))
	newPW := "ブラウザで設定する新しいパスワード"
	at := func(want string) {
		t.Helper()
		url, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(url, want) {
			t.Fatalf("browser is at %s, want …%s", url, want)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("f-login"))))
	at("/login")

	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("f-login"), "admin"),
		chromedp.SendKeys(chromedp.ID("f-password"), temp),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.ID("f-current")),
	))
	at("/account/password")

	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("f-current"), temp),
		chromedp.SendKeys(chromedp.ID("f-new"), newPW),
		chromedp.SendKeys(chromedp.ID("f-confirm"), newPW),
		chromedp.Submit(chromedp.ID("f-confirm")),
		chromedp.WaitVisible(chromedp.ID("mfa-secret")),
	))
	at("/account/mfa")
	secret, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("mfa-secret")))
	must(err)
	code, err := auth.TOTPCode(strings.TrimSpace(secret), time.Now())
	must(err)

	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("f-code"), code),
		chromedp.Submit(chromedp.ID("f-code")),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")),
		chromedp.Click(chromedp.CSS("main a.btn--primary")),
		chromedp.WaitVisible(chromedp.CSS(".cards")),
	))
	at("/")
	lang, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	must(err)
	title, err := chromedp.Run(ctx, chromedp.Title())
	must(err)
	home, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(err)
	if lang.Value != "ja" || !strings.HasPrefix(title, "ホーム") || !strings.Contains(home, "こんにちは") {
		t.Fatalf("home page: lang=%q title=%q text=%q", lang.Value, title, home)
	}
}
