package web

import (
	"net/http"
	"net/url"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// A lock is told in a notice of its own, never as an input error under 「入力内容に誤りがあります」,
// and only to one who has proved the password: at sign-in a locked account is answered as a
// wrong password is (auth.Login), but a wrong current password that locks the account during
// the password change ends the session and says the account is locked.
func TestLockIsToldInANoticeOfItsOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		expect(t, b.post("/login", url.Values{"login": {"admin"}, "password": {f.adminPW}}), http.StatusSeeOther, "/account/password")
		var r response
		for i := 0; i < 10; i++ {
			r = b.post("/account/password", url.Values{"current": {"wrong password!"}, "new": {adminPW}, "confirm": {adminPW}})
			if r.status == http.StatusLocked {
				break
			}
			expect(t, r, http.StatusUnprocessableEntity, "入力内容に誤りがあります")
		}
		expect(t, r, http.StatusLocked, "アカウントがロックされています", "解除されるまでログインできません")
		lacks(t, r, "入力内容に誤りがあります", `class="site-nav"`)
		expect(t, b.get("/"), http.StatusSeeOther, "/login")
		r = b.post("/login", url.Values{"login": {"admin"}, "password": {f.adminPW}})
		expect(t, r, http.StatusUnauthorized, "ログインできませんでした", "ログインIDまたはパスワードが正しくありません")
		lacks(t, r, "アカウントがロックされています", "入力内容に誤りがあります")
		unknown := b.post("/login", url.Values{"login": {"nobody"}, "password": {f.adminPW}})
		expect(t, unknown, http.StatusUnauthorized, "ログインできませんでした", "ログインIDまたはパスワードが正しくありません")
	})
}
