package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
)

var secretTokenRe = regexp.MustCompile(`id="token-secret">(mmr_[^<]+)<`)

// issueToken posts a token form and returns the secret, shown once on a page not to be cached.
func issueToken(t *testing.T, b *browser, path string, form url.Values) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body)}
	expect(t, r, http.StatusOK, "APIトークンを発行しました", "今回だけ表示されます")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q", cc)
	}
	m := secretTokenRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret shown:\n%.2000s", r.body)
	}
	return m[1]
}

// visitTokenPages runs through the account page's API tokens, service accounts on the users
// pages and signing out everywhere with the tokens, as the signed-in administrator b; staffID is
// a staff member who already has a login (tanaka).
func visitTokenPages(t *testing.T, f *fixture, b *browser, staffID string) {
	ctx := context.Background()
	expect(t, b.post("/account/lang", url.Values{"lang": {"ja"}}), http.StatusSeeOther)

	t.Run("account: API tokens are issued, listed and revoked by their holder", func(t *testing.T) {
		expect(t, b.get("/account"), http.StatusOK, "APIトークン", "APIトークンはありません", `name="expires_in_days"`, `value="90"`)
		expect(t, b.post("/account/tokens", url.Values{"name": {"集計"}, "scope": {"read"}, "expires_in_days": {"400"}}),
			http.StatusUnprocessableEntity, `href="#f-expires_in_days"`, "1〜365日")
		expect(t, b.post("/account/tokens", url.Values{"name": {"集計"}, "scope": {"all"}}), http.StatusUnprocessableEntity, `href="#f-scope"`)
		if l, _ := f.s.Auth.Tokens(ctx, mustActor(t, f, "admin"), mustActor(t, f, "admin").UserID); len(l) != 0 {
			t.Fatalf("refused forms left tokens: %+v", l)
		}
		secret := issueToken(t, b, "/account/tokens", url.Values{"name": {"集計スクリプト"}, "scope": {"read-write"}, "expires_in_days": {"30"}})
		who, err := f.s.Auth.AuthenticateToken(ctx, secret, auth.Client{RemoteAddr: "192.0.2.99"})
		if err != nil || who.Login != "admin" || who.ReadOnly {
			t.Fatalf("token acts as %+v, %v", who, err)
		}
		r := b.get("/account")
		expect(t, r, http.StatusOK, "集計スクリプト", "読み書き", "192.0.2.99")
		if strings.Contains(r.body, secret[4:]) {
			t.Fatal("the account page shows a secret")
		}
		id := lastID(t, r.body, "/account/tokens/")
		expect(t, b.post("/account/tokens/"+id+"/revoke", url.Values{}), http.StatusOK, `name="confirmed" value="yes"`)
		if _, err := f.s.Auth.AuthenticateToken(ctx, secret, auth.Client{}); err != nil {
			t.Fatalf("revoked without confirmation: %v", err)
		}
		expect(t, b.post("/account/tokens/"+id+"/revoke", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther, "/account")
		expect(t, b.get("/account"), http.StatusOK, "APIトークンを取り消しました", "APIトークンはありません")
		_, err = f.s.Auth.AuthenticateToken(ctx, secret, auth.Client{})
		if apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("revoked token: %v", err)
		}
	})

	var svcID string
	t.Run("users: a service account is created with its roles and shows as such", func(t *testing.T) {
		expect(t, b.get("/users"), http.StatusOK, `href="/users/new-service"`)
		expect(t, b.get("/users/new-service"), http.StatusOK, "サービスアカウントの作成", `value="audit_chief"`)
		expect(t, b.post("/users/new-service", url.Values{"display_name": {"監査ツール"}, "role": {"audit_chief"}}),
			http.StatusUnprocessableEntity, `href="#f-login"`, `value="audit_chief" checked`)
		r := b.post("/users/new-service", url.Values{"login": {"kansa-tool"}, "display_name": {"監査ツール"}, "role": {"audit_chief"}})
		expect(t, r, http.StatusSeeOther, "/users/")
		svcID = strings.TrimPrefix(r.location, "/users/")
		r = b.get(r.location)
		expect(t, r, http.StatusOK, "サービスアカウントを作成しました", "サービスアカウント", "情報セキュリティ監査統括責任者（団体全体）", `action="/users/`+svcID+`/tokens"`)
		if strings.Contains(r.body, "/reset-password") {
			t.Fatal("a service account offers a password reset")
		}
		expect(t, b.get("/users"), http.StatusOK, "kansa-tool", "サービスアカウント", "ログイン不可")
	})

	t.Run("users: an administrator issues a service account's token, and none for a person", func(t *testing.T) {
		secret := issueToken(t, b, "/users/"+svcID+"/tokens", url.Values{"name": {"監査"}, "scope": {"read"}})
		who, err := f.s.Auth.AuthenticateToken(ctx, secret, auth.Client{})
		if err != nil || !who.ServiceAccount || who.Login != "kansa-tool" || !who.ReadOnly || !who.CanReadAuditLog() {
			t.Fatalf("token acts as %+v, %v", who, err)
		}
		// Something the service account does shows it as such in the audit log.
		l, _ := f.s.Auth.Tokens(ctx, who, who.UserID)
		if err := f.s.Auth.RevokeToken(ctx, who, who.UserID, l[0].ID); err != nil {
			t.Fatal(err)
		}
		r := b.get("/audit?actor=kansa-tool")
		expect(t, r, http.StatusOK, "token.revoke", "サービスアカウント</span>")

		tanaka, _ := f.s.Auth.UserByLogin(ctx, "tanaka")
		path := "/users/" + strconv.FormatInt(tanaka.ID, 10)
		r = b.get(path)
		expect(t, r, http.StatusOK, "APIトークンは本人がアカウント画面で発行します")
		if strings.Contains(r.body, `action="`+path+`/tokens"`) {
			t.Fatal("a person's page offers to issue a token")
		}
		expect(t, b.post(path+"/tokens", url.Values{"name": {"x"}, "scope": {"read-write"}}), http.StatusForbidden, "本人だけが発行できます")
		if l, _ := f.s.Auth.Tokens(ctx, mustActor(t, f, "admin"), tanaka.ID); len(l) != 0 {
			t.Fatalf("tanaka has tokens: %+v", l)
		}
	})

	t.Run("users: a second login for someone's staff record is refused naming the field", func(t *testing.T) {
		expect(t, b.post("/users", url.Values{"login": {"tanaka2"}, "display_name": {"田中 恵子"}, "staff_id": {staffID}}),
			http.StatusUnprocessableEntity, `href="#f-staff_id"`, "既にログインIDがあります")
		if _, err := f.s.Auth.UserByLogin(ctx, "tanaka2"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("tanaka2: %v", err)
		}
	})

	t.Run("account: signing out everywhere revokes the tokens when asked", func(t *testing.T) {
		secret := issueToken(t, b, "/account/tokens", url.Values{"name": {"一時"}, "scope": {"read"}})
		expect(t, b.get("/account"), http.StatusOK, `name="revoke_tokens"`)
		expect(t, b.post("/account/logout-everywhere", url.Values{"revoke_tokens": {"on"}}), http.StatusSeeOther, "/login")
		if _, err := f.s.Auth.AuthenticateToken(ctx, secret, auth.Client{}); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("token after signing out everywhere: %v", err)
		}
	})
}

func mustActor(t *testing.T, f *fixture, login string) access.Actor {
	t.Helper()
	who, err := f.s.Auth.ActAs(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return who
}
