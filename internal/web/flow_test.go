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

const adminPW = "新しい管理者のパスワードです2026"

func TestFirstSignInIsForcedThroughPasswordChangeAndMFA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()

		t.Run("anonymous visitors are sent to the login page", func(t *testing.T) {
			expect(t, b.get("/"), http.StatusSeeOther, "/login")
			expect(t, b.get("/users"), http.StatusSeeOther, "/login?next=%2Fusers")
			expect(t, b.get("/login"), http.StatusOK, `lang="ja"`, "ログインID", "必須")
		})
		t.Run("a wrong password is refused with a Japanese message", func(t *testing.T) {
			expect(t, b.post("/login", url.Values{"login": {"admin"}, "password": {"wrong password!"}}), http.StatusUnauthorized,
				"ログインIDまたはパスワードが正しくありません", "ログインできませんでした")
			lacks(t, b.post("/login", url.Values{"login": {"admin"}, "password": {"wrong password!"}}), "入力内容に誤りがあります")
		})
		t.Run("the temporary password leads only to the password change", func(t *testing.T) {
			expect(t, b.post("/login", url.Values{"login": {"admin"}, "password": {f.adminPW}}), http.StatusSeeOther, "/account/password")
			expect(t, b.get("/"), http.StatusSeeOther, "/account/password")
			expect(t, b.get("/users"), http.StatusSeeOther, "/account/password")
			r := b.get("/account/password")
			expect(t, r, http.StatusOK, "初期パスワードのままです", `action="/logout"`)
			for _, nav := range []string{`href="/assets"`, `href="/incidents/new"`, `href="/notices"`, `class="site-nav"`} {
				lacks(t, r, nav) // a forced change offers nothing it cannot reach yet
			}
		})
		t.Run("a short new password is refused and names the field", func(t *testing.T) {
			r := b.post("/account/password", url.Values{"current": {f.adminPW}, "new": {"short"}, "confirm": {"short"}})
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-new"`, "12文字以上")
			if strings.Contains(r.body, f.adminPW) {
				t.Fatal("the form echoed a password back")
			}
		})
		t.Run("after the change an administrator must enrol MFA", func(t *testing.T) {
			expect(t, b.post("/account/password", url.Values{"current": {f.adminPW}, "new": {adminPW}, "confirm": {adminPW}}),
				http.StatusSeeOther, "/account/mfa")
			expect(t, b.get("/"), http.StatusSeeOther, "/account/mfa")
		})
		var secret string
		t.Run("a wrong enrolment code is refused", func(t *testing.T) {
			expect(t, b.post("/account/mfa", url.Values{"code": {"000000"}}), http.StatusUnprocessableEntity, `href="#f-code"`)
		})
		t.Run("a valid code enables MFA and shows recovery codes once", func(t *testing.T) {
			r := b.get("/account/mfa")
			m := secretRe.FindStringSubmatch(r.body)
			if m == nil {
				t.Fatal("no secret shown")
			}
			secret = m[1]
			code, _ := auth.TOTPCode(secret, f.now)
			r = b.post("/account/mfa", url.Values{"code": {code}})
			expect(t, r, http.StatusOK, "リカバリーコード")
			if n := strings.Count(r.body, "<li>"); n < auth.RecoveryCodeCount {
				t.Fatalf("%d codes shown", n)
			}
		})
		t.Run("the Japanese home page follows", func(t *testing.T) {
			expect(t, b.get("/"), http.StatusOK, "ホーム", "テスト町", "監査ログ", "令和8年4月1日")
		})
		t.Run("signing in again asks for the second factor", func(t *testing.T) {
			b2 := f.browser()
			expect(t, b2.post("/login", url.Values{"login": {"admin"}, "password": {"guessing wrongly"}}), http.StatusUnauthorized)
			expect(t, b2.post("/login", url.Values{"login": {"admin"}, "password": {adminPW}}), http.StatusSeeOther, "/login/mfa")
			expect(t, b2.get("/"), http.StatusSeeOther, "/login/mfa")
			expect(t, b2.get("/login/mfa"), http.StatusOK, "確認コード")
			expect(t, b2.post("/login/mfa", url.Values{"code": {"123456"}}), http.StatusUnprocessableEntity, "確認コードが正しくありません")
			f.now = f.now.Add(time.Minute)
			code, _ := auth.TOTPCode(secret, f.now)
			expect(t, b2.post("/login/mfa", url.Values{"code": {code}, "next": {"/audit"}}), http.StatusSeeOther, "/audit")
			expect(t, b2.get("/audit"), http.StatusOK, "改ざんなし", "auth.login_failed", "auth.password_changed", "auth.mfa_enabled")
			expect(t, b2.get("/"), http.StatusOK, "前回のログイン：", "ログイン失敗が2回ありました") // the wrong password and the wrong code
		})
		t.Run("logout ends the session", func(t *testing.T) {
			expect(t, b.post("/logout", nil), http.StatusSeeOther, "/login")
			expect(t, b.get("/login"), http.StatusOK, "ログアウトしました")
			expect(t, b.get("/"), http.StatusSeeOther, "/login")
		})
		t.Run("a foreign redirect target after login is ignored", func(t *testing.T) {
			for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil"} {
				if got := safeNext(next); got != "/" {
					t.Errorf("safeNext(%q) = %q", next, got)
				}
			}
		})
	})
}
