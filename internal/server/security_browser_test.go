package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store/storetest"
)

// town is 上毛町 (koge pack) with the people the security pages are for: a clerk of 住民課, the
// CISO, the 情報セキュリティ監査統括責任者, the ネットワーク管理者 of 総務課, and a request of
// the clerk about a terminal of the highest class (重要性分類 I). Temps holds each login's
// one-time password; the administrator's is under "admin".
type town struct {
	s       *app.Services
	srv     string
	orgID   int64
	temps   map[string]string
	request string // the address of the clerk's request
	anchor  *auditlog.Anchor
}

// securityTown builds the town on SQLite behind a real server, with audit checkpoints kept in a
// temporary folder as serve keeps them in its data folder.
func securityTown(t *testing.T) *town {
	t.Helper()
	s, srv, adminPW := start(t, storetest.SQLite(t))
	ctx := context.Background()
	o, _ := s.Org.First(ctx)
	sys := access.System(o.ID, "test")
	_, err := s.Policy.Use(ctx, sys, "koge")
	must(t, err)
	dir := t.TempDir()
	an := &auditlog.Anchor{KeyFile: filepath.Join(dir, "audit-key.pem"), File: filepath.Join(dir, "audit-checkpoints.jsonl")}
	_, _, err = auditlog.LoadOrCreateKey(an.KeyFile)
	must(t, err)
	s.Audit.Anchor = an
	tw := &town{s: s, srv: srv.URL, orgID: o.ID, temps: map[string]string{"admin": adminPW}, anchor: an}

	general, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true})
	must(t, err)
	civic, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "200", Name: "住民課", Kind: "section", Active: true})
	must(t, err)
	person := func(dept int64, no, name, login, role string) org.Staff {
		st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: no, Name: name, Employment: "regular", Active: true})
		must(t, err)
		if role != "" {
			_, err = s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: st.ID})
			must(t, err)
		}
		_, temp, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: name, StaffID: st.ID, Lang: "ja"})
		must(t, err)
		tw.temps[login] = temp
		return st
	}
	clerk := person(civic.ID, "2001", "住民 花子", "clerk", "")
	person(general.ID, "1001", "最高 責任", "ciso", "ciso")
	person(general.ID, "1002", "監査 統括", "kansa", "chief_auditor")
	person(general.ID, "1003", "網 管理", "network", "network_admin")

	secret, err := s.Assets.Create(ctx, sys, asset.Input{Number: "SEC-9", Name: "極秘端末", Kind: "terminal", DepartmentID: civic.ID,
		Class: map[string]string{"importance": "I"}, Location: "地下金庫", Note: "秘密のメモ"})
	must(t, err)
	day := func(n int) string { return s.Now().AddDate(0, 0, n).Format(time.DateOnly) }
	rq, err := s.Requests.Submit(ctx, access.Actor{OrgID: o.ID, StaffID: clerk.ID, DepartmentID: civic.ID, Name: clerk.Name},
		request.Input{Kind: "take_out", AssetIDs: []int64{secret.ID},
			Fields: map[string]any{"destination": "県庁別館B棟", "out_date": day(7), "return_date": day(8)}})
	must(t, err)
	tw.request = "/requests/" + strconv.FormatInt(rq.ID, 10)
	return tw
}

// changeFirstPassword signs login in with the one-time password and sets newPassword on the
// forced change; the browser then goes where the account must go next.
func changeFirstPassword(t *testing.T, ctx context.Context, tw *town, login string) {
	t.Helper()
	setFirstPassword(t, ctx, tw.srv, login, tw.temps[login])
}

// signOut presses the sign-out button of the header.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	must(t, do(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("f-login"))))
}

// text is the visible text of the first element sel matches.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := run(ctx, chromedp.Text(chromedp.CSS(sel)))
	must(t, err)
	return s
}

// html is the page's whole markup as the browser has it.
func html(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	must(t, err)
	return s
}

// callAPI sends one request with a bearer token, as an integration would, and returns the
// status and body.
func callAPI(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	must(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestBrowserStaffIssuesReadOnlyToken: a clerk opens アカウント, issues a read-only API token and
// sees its secret once; the account page lists the token but never shows the secret again. An
// integration reads /api/v1/me with it and is refused a write; the clerk revokes it through the
// confirmation step, and the token is refused from then on.
func TestBrowserStaffIssuesReadOnlyToken(t *testing.T) {
	ctx := browserContext(t)
	tw := securityTown(t)
	changeFirstPassword(t, ctx, tw, "clerk")
	must(t, do(ctx,
		chromedp.WaitVisible(chromedp.CSS(".site-nav")),
		chromedp.Click(chromedp.CSS(`.site-nav a[href="/account"]`)),
		chromedp.WaitVisible(chromedp.ID("tokens")),
	))
	if s := text(t, ctx, "main"); !strings.Contains(s, "APIトークンはありません") {
		t.Fatalf("the account page before any token reads:\n%s", s)
	}
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-name"), "集計スクリプト"),
		chromedp.Click(chromedp.ID("f-scope-read")),
		chromedp.Click(chromedp.CSS(`form[action="/account/tokens"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.ID("token-secret")),
	))
	secret := strings.TrimSpace(text(t, ctx, "#token-secret"))
	if !strings.HasPrefix(secret, "mmr_") {
		t.Fatalf("the secret shown is %q", secret)
	}
	if s := text(t, ctx, "main"); !strings.Contains(s, "今回だけ表示されます") || !strings.Contains(s, "読み取り") {
		t.Fatalf("the page with the secret reads:\n%s", s)
	}

	// Back to the account page, and once more: the token is listed, its secret is not.
	must(t, do(ctx, chromedp.Click(chromedp.CSS(`main a[href="/account"]`)), chromedp.WaitVisible(chromedp.ID("tokens"))))
	for range 2 {
		page := html(t, ctx)
		if strings.Contains(page, secret) || strings.Contains(page, secret[4:12]) {
			t.Fatal("the account page shows the secret again")
		}
		if s := text(t, ctx, "main table"); !strings.Contains(s, "集計スクリプト") || !strings.Contains(s, "読み取り") || !strings.Contains(s, "未使用") {
			t.Fatalf("the token list reads:\n%s", s)
		}
		must(t, do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("tokens"))))
	}

	code, body := callAPI(t, http.MethodGet, tw.srv+"/api/v1/me", secret, "")
	var me struct {
		Login    string `json:"login"`
		Scope    string `json:"scope"`
		ReadOnly bool   `json:"read_only"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &me) != nil || me.Login != "clerk" || !me.ReadOnly {
		t.Fatalf("GET /api/v1/me with the token: %d %s", code, body)
	}
	if code, body := callAPI(t, http.MethodPost, tw.srv+"/api/v1/requests", secret, `{"kind":"take_out"}`); code != http.StatusForbidden {
		t.Fatalf("a write with a read-only token: %d %s", code, body)
	}
	must(t, do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("tokens"))))
	if s := text(t, ctx, "main table"); strings.Contains(s, "未使用") || !strings.Contains(s, "127.0.0.1") {
		t.Fatalf("after its use the token list reads:\n%s", s)
	}

	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button`)),
		chromedp.WaitReady(chromedp.CSS(`input[name="confirmed"]`)),
	))
	if s := text(t, ctx, "main"); !strings.Contains(s, "APIトークンの取り消し") || !strings.Contains(s, "「集計スクリプト」を取り消します") {
		t.Fatalf("the confirmation step reads:\n%s", s)
	}
	// Before confirming, the token still works: the first press changed nothing.
	if code, _ := callAPI(t, http.MethodGet, tw.srv+"/api/v1/me", secret, ""); code != http.StatusOK {
		t.Fatalf("the token is refused before the revocation is confirmed: %d", code)
	}
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`form:has(input[name="confirmed"]) .btn--danger`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	))
	at(t, ctx, "/account")
	if s := text(t, ctx, "main"); !strings.Contains(s, "APIトークンはありません") {
		t.Fatalf("after revoking the account page reads:\n%s", s)
	}
	if code, body := callAPI(t, http.MethodGet, tw.srv+"/api/v1/me", secret, ""); code != http.StatusUnauthorized {
		t.Fatalf("the revoked token: %d %s", code, body)
	}
}

// TestBrowserAdministratorCreatesServiceAccount: the platform administrator creates a service
// account holding the ネットワーク管理者 role, issues its token on its page, and finds it marked
// サービスアカウント in the list of users. Its token answers for it on the API; on the sign-in
// page it gets the very words a wrong password gets.
func TestBrowserAdministratorCreatesServiceAccount(t *testing.T) {
	ctx := browserContext(t)
	tw := securityTown(t)
	firstSignIn(t, ctx, tw.srv, tw.temps["admin"])
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`.site-nav a[href="/users"]`)),
		chromedp.Click(chromedp.CSS(`main a[href="/users/new-service"]`)),
		chromedp.WaitVisible(chromedp.ID("f-role-network_admin")),
		chromedp.SendKeys(chromedp.ID("f-login"), "renkei"),
		chromedp.SendKeys(chromedp.ID("f-display_name"), "資産台帳連携"),
		chromedp.Click(chromedp.ID("f-role-network_admin")),
		chromedp.Click(chromedp.CSS(`form[action="/users/new-service"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	))
	page := text(t, ctx, "main")
	if !strings.Contains(page, "サービスアカウント") || !strings.Contains(page, "ネットワーク管理者") || !strings.Contains(page, "APIトークンはありません") {
		t.Fatalf("the new service account's page reads:\n%s", page)
	}
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-name"), "台帳の夜間同期"),
		chromedp.Click(chromedp.ID("f-scope-rw")),
		chromedp.Click(chromedp.CSS(`form[action$="/tokens"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.ID("token-secret")),
	))
	secret := strings.TrimSpace(text(t, ctx, "#token-secret"))
	code, body := callAPI(t, http.MethodGet, tw.srv+"/api/v1/me", secret, "")
	if code != http.StatusOK || !strings.Contains(body, `"login":"renkei"`) {
		t.Fatalf("GET /api/v1/me with the service account's token: %d %s", code, body)
	}
	must(t, do(ctx, chromedp.Click(chromedp.CSS(`main a.btn--secondary`)), chromedp.WaitVisible(chromedp.ID("tokens"))))
	if s := text(t, ctx, "main table"); !strings.Contains(s, "台帳の夜間同期") || !strings.Contains(s, "読み書き") {
		t.Fatalf("the service account's tokens read:\n%s", s)
	}

	must(t, do(ctx, chromedp.Click(chromedp.CSS(`.site-nav a[href="/users"]`)), chromedp.WaitVisible(chromedp.CSS("main table"))))
	row := text(t, ctx, `main tr:has(a[href$="/users/`+strconv.FormatInt(serviceID(t, tw, "renkei"), 10)+`"])`)
	if !strings.Contains(row, "renkei") || !strings.Contains(row, "サービスアカウント") {
		t.Fatalf("the service account's row in the users list reads:\n%s", row)
	}
	if other := text(t, ctx, `main tr:has(a[href="/users/1"])`); strings.Contains(other, "サービスアカウント") {
		t.Fatalf("the administrator's own row is marked a service account:\n%s", other)
	}
	signOut(t, ctx)

	refused := func(login, password string) string {
		t.Helper()
		must(t, do(ctx,
			chromedp.Navigate(tw.srv+"/login"),
			chromedp.SendKeys(chromedp.ID("f-login"), login),
			chromedp.SendKeys(chromedp.ID("f-password"), password),
			chromedp.Submit(chromedp.ID("f-password")),
			chromedp.WaitVisible(chromedp.CSS(".notice--error")),
		))
		at(t, ctx, "/login")
		return text(t, ctx, "main")
	}
	service, wrong := refused("renkei", "なにかのパスワード"), refused("clerk", "なにかのパスワード")
	if service != wrong {
		t.Fatalf("the service account's sign-in reads\n%s\nand a wrong password\n%s", service, wrong)
	}
}

// serviceID is the user id of a login.
func serviceID(t *testing.T, tw *town, login string) int64 {
	t.Helper()
	var id int64
	must(t, tw.s.DB.SQL.QueryRow(`SELECT id FROM users WHERE login = $1`, login).Scan(&id))
	return id
}

// TestBrowserCISOEnrolsMFAAtFirstSignIn: 上毛町's pack requires MFA of the CISO (第2章 4(4)②).
// At the first sign-in the CISO is taken to the enrolment, enters a wrong code, is shown the
// same secret again, then enrols with the right one and is given the recovery codes with a
// print button.
func TestBrowserCISOEnrolsMFAAtFirstSignIn(t *testing.T) {
	ctx := browserContext(t)
	tw := securityTown(t)
	changeFirstPassword(t, ctx, tw, "ciso")
	must(t, do(ctx, chromedp.WaitVisible(chromedp.ID("mfa-secret"))))
	at(t, ctx, "/account/mfa")
	if s := text(t, ctx, "main"); !strings.Contains(s, "多要素認証の設定が必須です") {
		t.Fatalf("the enrolment page does not say it is required:\n%s", s)
	}
	first := strings.TrimSpace(text(t, ctx, "#mfa-secret"))
	qr, err := run(ctx, chromedp.AttributeValue(chromedp.CSS(".qr img"), "src"))
	must(t, err)
	right, err := auth.TOTPCode(first, time.Now())
	must(t, err)
	wrong := "000000"
	if wrong == right {
		wrong = "111111"
	}
	must(t, do(ctx,
		chromedp.SendKeys(chromedp.ID("f-code"), wrong),
		chromedp.Submit(chromedp.ID("f-code")),
		chromedp.WaitVisible(chromedp.ID("e-code")),
	))
	at(t, ctx, "/account/mfa")
	again := strings.TrimSpace(text(t, ctx, "#mfa-secret"))
	qrAgain, err := run(ctx, chromedp.AttributeValue(chromedp.CSS(".qr img"), "src"))
	must(t, err)
	if again != first || qrAgain.Value != qr.Value {
		t.Fatalf("after a wrong code the secret is %q (QR code same: %v), before it was %q", again, qrAgain.Value == qr.Value, first)
	}
	// No recovery codes exist before enrolment: the message asks for the app's code only.
	if s := text(t, ctx, ".error-summary"); !strings.Contains(s, "確認コードが正しくありません") || strings.Contains(s, "リカバリーコード") {
		t.Fatalf("the error summary reads:\n%s", s)
	}
	must(t, do(ctx,
		chromedp.Navigate(tw.srv+"/"),
		chromedp.WaitVisible(chromedp.ID("mfa-secret")),
	))
	at(t, ctx, "/account/mfa")
	if s := strings.TrimSpace(text(t, ctx, "#mfa-secret")); s != first {
		t.Fatalf("coming back to the enrolment the secret is %q, before it was %q", s, first)
	}
	enrolMFA(t, ctx)
	// enrolMFA saw the recovery codes and their print button, and went on to the home page.
	at(t, ctx, "/")
	must(t, do(ctx, chromedp.Navigate(tw.srv+"/account"), chromedp.WaitVisible(chromedp.ID("tokens"))))
	if s := text(t, ctx, "main dl"); !strings.Contains(s, "設定済み") {
		t.Fatalf("the account page after enrolment reads:\n%s", s)
	}
}

// TestBrowserAuditorSeesCheckpoint: a checkpoint of the chain is signed as serve signs them;
// the 情報セキュリティ監査統括責任者 signs in (enrolling MFA, which the pack requires of the
// role) and reads on the audit page its sequence number, hash and the key's fingerprint.
func TestBrowserAuditorSeesCheckpoint(t *testing.T) {
	ctx := browserContext(t)
	tw := securityTown(t)
	cps, err := tw.anchor.CheckpointAll(context.Background(), tw.s.DB.SQL, true, tw.s.Now())
	must(t, err)
	if len(cps) != 1 || cps[0].Org != tw.orgID {
		t.Fatalf("checkpoints written: %+v", cps)
	}
	c := cps[0]
	changeFirstPassword(t, ctx, tw, "kansa")
	enrolMFA(t, ctx)
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`.site-nav a[href="/audit"]`)),
		chromedp.WaitVisible(chromedp.CSS("section.audit-anchor")),
	))
	block := text(t, ctx, "section.audit-anchor")
	for _, want := range []string{"署名付きチェックポイント", "#" + strconv.FormatInt(c.Seq, 10), c.Hash, c.Key, "紙に控えて"} {
		if !strings.Contains(block, want) {
			t.Errorf("the checkpoint block lacks %q:\n%s", want, block)
		}
	}
	if s := text(t, ctx, "main .notice"); !strings.Contains(s, "改ざんなし") {
		t.Errorf("the audit page's verdict reads:\n%s", s)
	}
}
