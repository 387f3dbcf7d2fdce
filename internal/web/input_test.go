package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestFormWithBadTextIsRefusedNamingTheField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)
		for name, form := range map[string]url.Values{
			"NUL":                    {"code": {"1000"}, "name": {"総務\x00部"}, "kind": {"division"}},
			"right-to-left override": {"code": {"1000"}, "name": {"総務部\u202E"}, "kind": {"division"}},
			"invalid UTF-8":          {"code": {"1000"}, "name": {"\x91\x8d\x96\xb1"}, "kind": {"division"}}, // 総務 in Shift_JIS
			"CESU-8 surrogate":       {"code": {"1000"}, "name": {"\xed\xa0\x80"}, "kind": {"division"}},
			"newline in a name is text, but a bell is not": {"code": {"1000"}, "name": {"総務部\n\a"}, "kind": {"division"}},
		} {
			t.Run(name, func(t *testing.T) {
				expect(t, b.post("/departments", form), http.StatusBadRequest, "「name」")
			})
		}
		t.Run("a bad field name is named escaped", func(t *testing.T) {
			expect(t, b.post("/departments", url.Values{"code": {"1000"}, "name": {"総務部"}, "kind": {"division"}, "x\x00": {"1"}}),
				http.StatusBadRequest, `「x\u0000」`)
		})
		t.Run("nothing was saved", func(t *testing.T) {
			expect(t, b.get("/departments"), http.StatusOK, "該当するデータはありません")
		})
		t.Run("multi-line text is taken", func(t *testing.T) {
			expect(t, b.post("/departments", url.Values{"code": {"1000"}, "name": {"総務部\t"}, "kind": {"division"}}), http.StatusSeeOther)
		})
	})
}

// A NUL in the sign-in name answered 500 on PostgreSQL and left no trace in the audit log.
func TestSignInWithBadTextInTheNameIsAFailedAttempt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		for name, login := range map[string]string{"NUL": "ad\x00min", "bidi": "admin\u202E", "invalid UTF-8": "ad\xffmin"} {
			t.Run(name, func(t *testing.T) {
				r := b.post("/login", url.Values{"login": {login}, "password": {f.adminPW}})
				expect(t, r, http.StatusUnauthorized)
				if strings.Contains(r.body, "\x00") || strings.Contains(r.body, "\u202E") {
					t.Fatal("the page echoes the bad character")
				}
			})
		}
		var n int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM audit_entries WHERE action = 'auth.login_failed' AND actor IN ($1, $2, $3)`,
			`ad\u0000min`, `admin\u202e`, `ad\xffmin`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Fatalf("%d of the 3 attempts are in the audit log", n)
		}
	})
}
