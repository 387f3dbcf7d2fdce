package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMFAEnrolmentKeepsItsSecretAndPrintsItsCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		expect(t, b.post("/login", url.Values{"login": {"admin"}, "password": {f.adminPW}}), http.StatusSeeOther, "/account/password")
		expect(t, b.post("/account/password", url.Values{"current": {f.adminPW}, "new": {adminPW}, "confirm": {adminPW}}), http.StatusSeeOther, "/account/mfa")
		r := b.get("/account/mfa")
		m := secretRe.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatal("no secret shown")
		}
		secret := m[1]

		t.Run("a wrong code shows the same secret again, kept on the server", func(t *testing.T) {
			r := b.post("/account/mfa", url.Values{"code": {"000000"}, "secret": {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}})
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-code"`, `id="mfa-secret">`+secret+`<`)
			expect(t, b.get("/account/mfa"), http.StatusOK, `id="mfa-secret">`+secret+`<`)
			if strings.Contains(r.body, `name="secret"`) || strings.Count(r.body, secret) != 1 {
				t.Fatalf("the secret travels in the form:\n%s", r.body)
			}
		})

		t.Run("the code of the secret first shown enrols, and the codes page prints", func(t *testing.T) {
			code, _ := auth.TOTPCode(secret, f.now)
			r := b.post("/account/mfa", url.Values{"code": {code}})
			expect(t, r, http.StatusOK, "リカバリーコード", `<button class="btn btn--secondary" type="button" data-print hidden>印刷する</button>`,
				`<p class="print-only">Mamori リカバリーコード（ログインID admin、令和8年4月1日 発行）</p>`)
			if n := len(recoveryRe.FindAllString(r.body, -1)); n != auth.RecoveryCodeCount {
				t.Fatalf("%d recovery codes shown", n)
			}
			css, err := os.ReadFile("static/files/app.css")
			if err != nil {
				t.Fatal(err)
			}
			// On paper: A4, and no header, navigation or buttons around the codes.
			for _, rule := range []string{"@page { size: A4;", "body:has(ul.codes) .site-header", ".site-nav, .site-header__user", ".btn, button, .no-print { display: none !important; }"} {
				if !strings.Contains(string(css), rule) {
					t.Errorf("the print style lacks %q", rule)
				}
			}
			js, err := os.ReadFile("static/files/app.js")
			if err != nil || !strings.Contains(string(js), `querySelectorAll("button[data-print]")`) || !strings.Contains(string(js), "window.print()") {
				t.Fatalf("app.js does not make the print button work: %v", err)
			}
		})
	})
}

func TestChangePasswordForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		admin := f.browser()
		admin.signInAdmin(adminPW)

		t.Run("a common password is refused with a message that reads right", func(t *testing.T) {
			for pw, want := range map[string]string{
				"password1234":           "よく使われているパスワード",
				"qwertyuiop12":           "よく使われているパスワード",
				"abcabcabcabcabc":        "推測されやすいパスワード",
				"admin-is-my-name-ok":    "ログインIDを含める",
				strings.Repeat("長", 300): "256文字以内",
			} {
				r := admin.post("/account/password", url.Values{"current": {adminPW}, "new": {pw}, "confirm": {pw}})
				expect(t, r, http.StatusUnprocessableEntity, `href="#f-new"`, want)
				if strings.Contains(r.body, "%!") {
					t.Fatalf("%s: the message has a stray argument:\n%s", pw, r.body)
				}
			}
		})

		t.Run("wrong guesses of the current password count and lock the account", func(t *testing.T) {
			ctx := context.Background()
			o, _ := f.s.Org.First(ctx)
			sys := access.System(o.ID, "test")
			st, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{EmployeeNo: "9", Name: "窓口 次郎", Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			u, temp, err := f.s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: "madoguchi", DisplayName: "窓口 次郎", StaffID: st.ID})
			if err != nil {
				t.Fatal(err)
			}
			b := f.browser()
			expect(t, b.post("/login", url.Values{"login": {"madoguchi"}, "password": {temp}}), http.StatusSeeOther, "/account/password")
			b.changedPassword(b.post("/account/password", url.Values{"current": {temp}, "new": {staffPW}, "confirm": {staffPW}}), "madoguchi")
			o2, _ := f.s.Org.Organization(ctx, o.ID)
			for i := 1; i < o2.LockoutAfterFailures; i++ {
				expect(t, b.post("/account/password", url.Values{"current": {"guess-" + strconv.Itoa(i)}, "new": {"Another-Long-Pass-2027"}, "confirm": {"Another-Long-Pass-2027"}}),
					http.StatusUnprocessableEntity, "現在のパスワードが正しくありません")
			}
			expect(t, b.post("/account/password", url.Values{"current": {"last-guess"}, "new": {"Another-Long-Pass-2027"}, "confirm": {"Another-Long-Pass-2027"}}),
				http.StatusLocked, "アカウントがロックされています")
			expect(t, b.get("/"), http.StatusSeeOther, "/login")
			expect(t, admin.get("/users/"+strconv.FormatInt(u.ID, 10)), http.StatusOK, `action="/users/`+strconv.FormatInt(u.ID, 10)+`/unlock"`)
			expect(t, admin.get("/notices"), http.StatusOK, "アカウントのロック: madoguchi")
		})
	})
}

func TestSignInThrottleAndPolicyPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		admin := f.browser()
		admin.signInAdmin(adminPW)

		t.Run("the policy page says who must use MFA, how a lock lifts and how addresses are held back", func(t *testing.T) {
			expect(t, admin.post("/policy/use", url.Values{"pack_id": {"kishiwada"}, "confirmed": {"yes"}}), http.StatusSeeOther, "/policy")
			r := admin.get("/policy")
			expect(t, r, http.StatusOK, "3回続けて認証に失敗するとアカウントを停止します",
				"停止されたアカウントは、管理者が解除します", "運用上の設定",
				"同じ接続元（IPv6は/64単位）からのログインの失敗が10回に達すると、最初の失敗から15分が過ぎるまで",
				"プラットフォーム管理者は、Mamoriへのログインに多要素認証が必須です", "ＣＩＳＯ（情報セキュリティ統括責任者）", "ＣＳＩＲＴ責任者",
				"第2章 6(1)②(ア)", "二つ以上を併用する認証（多要素認証）を利用すること")
		})

		t.Run("an address that failed too often is told to wait", func(t *testing.T) {
			b := f.browser()
			for range auth.ThrottleFailures {
				expect(t, b.post("/login", url.Values{"login": {"nobody"}, "password": {"wrong-password-1234"}}), http.StatusUnauthorized,
					"ログインIDまたはパスワードが正しくありません")
			}
			r := b.post("/login", url.Values{"login": {"admin"}, "password": {adminPW}})
			expect(t, r, http.StatusTooManyRequests, "この接続元からのログインの失敗が続いたため", "約15分後")
		})
	})
}
