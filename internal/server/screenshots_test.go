//go:build screenshots

// Pictures of the security pages for a person to look at: built only with -tags screenshots,
// so that a plain go test neither runs nor skips it.
//
//	MAMORI_SCREENSHOTS=/tmp/shots go test -tags screenshots -run TestScreenshots ./internal/server/

package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/auth"
)

// TestScreenshots takes pictures of the security pages at desktop (1280 px) and tablet (768 px)
// width, and of their printed form, into the folder MAMORI_SCREENSHOTS names, for a person to
// look at.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MAMORI_SCREENSHOTS")
	if dir == "" {
		t.Fatal("set MAMORI_SCREENSHOTS to the folder for the screenshots of the security pages")
	}
	must(t, os.MkdirAll(dir, 0o755))
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900), chromedp.Flag("lang", "ja-JP"),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	root, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The browser, and each person's tab, live as long as the context of their first run, so
	// those runs have no deadline; each later step has its own (see do).
	must(t, chromedp.Do(root))
	person := func() context.Context {
		ctx, _ := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		must(t, chromedp.Do(ctx))
		must(t, do(ctx, chromedp.EmulateViewport(1280, 900)))
		return ctx
	}
	tw := securityTown(t)
	_, err := tw.anchor.CheckpointAll(context.Background(), tw.s.DB.SQL, true, tw.s.Now())
	must(t, err)

	// shoot saves the whole page at both widths, or when from is an element's id the screen
	// from that element down.
	shoot := func(ctx context.Context, name, from string) {
		t.Helper()
		for _, w := range []int64{1280, 768} {
			must(t, do(ctx, chromedp.EmulateViewport(w, 900)))
			var png []byte
			if from == "" {
				png, err = run(ctx, chromedp.FullScreenshot(100))
			} else {
				_, err = run(ctx, chromedp.Evaluate[bool](`document.getElementById("`+from+`").scrollIntoView(); true`))
				must(t, err)
				png, err = run(ctx, chromedp.CaptureScreenshot())
			}
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644))
		}
		must(t, do(ctx, chromedp.EmulateViewport(1280, 900)))
	}
	// print saves the page as the browser prints it on A4, and each sheet as a picture.
	print := func(ctx context.Context, name string) {
		t.Helper()
		pdf, err := run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
		must(t, err)
		file := filepath.Join(dir, name+".pdf")
		must(t, os.WriteFile(file, pdf, 0o644))
		if out, err := exec.Command("pdftoppm", "-png", "-r", "70", file, filepath.Join(dir, name+"-print")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
	open := func(ctx context.Context, path, wait string) {
		t.Helper()
		must(t, do(ctx, chromedp.Navigate(tw.srv+path), chromedp.WaitVisible(chromedp.CSS(wait))))
	}

	// The administrator: a service account with a token.
	admin := person()
	firstSignIn(t, admin, tw.srv, tw.temps["admin"])
	open(admin, "/users/new-service", "#f-login")
	shoot(admin, "service-account-new", "")
	must(t, do(admin,
		chromedp.SendKeys(chromedp.ID("f-login"), "renkei"),
		chromedp.SendKeys(chromedp.ID("f-display_name"), "資産台帳連携（人事・財務システム）"),
		chromedp.Click(chromedp.ID("f-role-network_admin")),
		chromedp.Click(chromedp.CSS(`form[action="/users/new-service"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
		chromedp.SendKeys(chromedp.ID("f-name"), "台帳の夜間同期"),
		chromedp.Click(chromedp.ID("f-scope-rw")),
		chromedp.Click(chromedp.CSS(`form[action$="/tokens"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.ID("token-secret")),
	))
	shoot(admin, "service-token-issued", "")
	svc := strings.TrimSpace(text(t, admin, "#token-secret"))
	callAPI(t, http.MethodGet, tw.srv+"/api/v1/me", svc, "")
	must(t, do(admin, chromedp.Click(chromedp.CSS(`main a.btn--secondary`)), chromedp.WaitVisible(chromedp.ID("tokens"))))
	shoot(admin, "service-account", "")
	open(admin, "/users", "main table")
	shoot(admin, "users", "")

	// A clerk: two tokens, one used.
	clerk := person()
	changeFirstPassword(t, clerk, tw, "clerk")
	open(clerk, "/account", "#tokens")
	must(t, do(clerk,
		chromedp.SendKeys(chromedp.ID("f-name"), "集計スクリプト"),
		chromedp.Click(chromedp.CSS(`form[action="/account/tokens"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.ID("token-secret")),
	))
	shoot(clerk, "token-issued", "")
	secret := strings.TrimSpace(text(t, clerk, "#token-secret"))
	callAPI(t, http.MethodGet, tw.srv+"/api/v1/me", secret, "")
	open(clerk, "/account", "#tokens")
	must(t, do(clerk,
		chromedp.SendKeys(chromedp.ID("f-name"), "住民課の月次報告を作成するExcelマクロ（共有フォルダ版）"),
		chromedp.Click(chromedp.ID("f-scope-rw")),
		chromedp.SetValue(chromedp.ID("f-expires_in_days"), "30"),
		chromedp.Click(chromedp.CSS(`form[action="/account/tokens"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.ID("token-secret")),
	))
	open(clerk, "/account", "#tokens")
	shoot(clerk, "account", "")
	must(t, do(clerk, chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button`)), chromedp.WaitReady(chromedp.CSS(`input[name="confirmed"]`))))
	shoot(clerk, "token-revoke-confirm", "")
	open(clerk, "/policy", "#auth")
	shoot(clerk, "policy-signin", "auth")

	// The CISO: a wrong code at the enrolment, then the recovery codes.
	ciso := person()
	changeFirstPassword(t, ciso, tw, "ciso")
	must(t, do(ciso,
		chromedp.WaitVisible(chromedp.ID("mfa-secret")),
		chromedp.SendKeys(chromedp.ID("f-code"), "000000"),
		chromedp.Submit(chromedp.ID("f-code")),
		chromedp.WaitVisible(chromedp.ID("e-code")),
	))
	shoot(ciso, "mfa-wrong-code", "")
	code, err := auth.TOTPCode(strings.TrimSpace(text(t, ciso, "#mfa-secret")), time.Now())
	must(t, err)
	must(t, do(ciso,
		chromedp.SendKeys(chromedp.ID("f-code"), code),
		chromedp.Submit(chromedp.ID("f-code")),
		chromedp.WaitVisible(chromedp.CSS("button[data-print]")),
	))
	shoot(ciso, "recovery-codes", "")
	print(ciso, "recovery-codes")

	// The chief auditor: the audit page and the committee's report.
	kansa := person()
	changeFirstPassword(t, kansa, tw, "kansa")
	enrolMFA(t, kansa)
	open(kansa, "/audit", "section.audit-anchor")
	shoot(kansa, "audit", "")
	open(kansa, "/compliance/report", "main")
	shoot(kansa, "compliance-report", "")
	print(kansa, "compliance-report")

	// The ネットワーク管理者 reads the clerk's request about a terminal of the highest class.
	network := person()
	changeFirstPassword(t, network, tw, "network")
	open(network, tw.request, "main")
	shoot(network, "request-withheld", "")
	open(network, tw.request+"/print", "main")
	print(network, "request-withheld")

	// Sign-in from an address that has failed too often.
	for i := range auth.ThrottleFailures {
		res, err := http.PostForm(tw.srv+"/login", url.Values{"login": {fmt.Sprintf("nobody%d", i)}, "password": {"x"}})
		must(t, err)
		res.Body.Close()
	}
	stranger := person()
	must(t, do(stranger,
		chromedp.Navigate(tw.srv+"/login"),
		chromedp.SendKeys(chromedp.ID("f-login"), "clerk"),
		chromedp.SendKeys(chromedp.ID("f-password"), newPassword),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.CSS(".login .notice--error")),
	))
	shoot(stranger, "login-throttled", "")
}
