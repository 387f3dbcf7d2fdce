package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var readWrite = auth.NewToken{Name: "rw", Scope: auth.ScopeReadWrite}

// ownToken issues a token to the signed-in actor, failing the test on error.
func (e *env) ownToken(t *testing.T, who access.Actor, in auth.NewToken) (auth.APIToken, string) {
	t.Helper()
	tok, text, err := e.auth.CreateToken(ctx, who, in)
	if err != nil {
		t.Fatalf("token for %s: %v", who.Login, err)
	}
	return tok, text
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.activeUser(t, "tanaka")
		_, clerk := e.signIn(t, "tanaka", password)
		other := e.activeUser(t, "suzuki")

		t.Run("a token is shown once and stored hashed", func(t *testing.T) {
			tok, text := e.ownToken(t, clerk, auth.NewToken{Name: " 資産台帳連携 "})
			if !strings.HasPrefix(text, auth.TokenPrefix) || auth.TokenPrefix != "mmr_" || len(text) < 40 {
				t.Fatalf("token = %q", text)
			}
			if tok.ID == 0 || tok.UserID != u.ID || tok.Name != "資産台帳連携" {
				t.Fatalf("token = %+v", tok)
			}
			rows, err := db.SQL.QueryContext(ctx, `SELECT name, token_hash, scope, last_used_addr FROM api_tokens`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var name, hash, scope, addr string
				if err := rows.Scan(&name, &hash, &scope, &addr); err != nil {
					t.Fatal(err)
				}
				raw := strings.TrimPrefix(text, auth.TokenPrefix)
				if strings.Contains(name+hash+scope+addr, raw) || len(hash) != 64 {
					t.Fatalf("api_tokens row holds the token: %q %q", name, hash)
				}
			}
			created := e.entries(t, "token.create")
			if len(created) != 1 || strings.Contains(created[0].After, strings.TrimPrefix(text, auth.TokenPrefix)) {
				t.Fatalf("audit = %+v", created)
			}
		})

		t.Run("a token is read-only and lasts 90 days unless asked otherwise", func(t *testing.T) {
			tok, text := e.ownToken(t, clerk, auth.NewToken{})
			if tok.Name != "api" || tok.Scope != auth.ScopeRead || !tok.ExpiresAt.Equal(e.clock.Now().AddDate(0, 0, 90)) {
				t.Fatalf("token = %+v", tok)
			}
			who, err := e.auth.AuthenticateToken(ctx, text, client)
			if err != nil || !who.ReadOnly {
				t.Fatalf("actor = %+v, %v", who, err)
			}
			tok, text = e.ownToken(t, clerk, auth.NewToken{Scope: auth.ScopeReadWrite, ExpiresInDays: 365})
			if !tok.ExpiresAt.Equal(e.clock.Now().AddDate(0, 0, 365)) {
				t.Fatalf("token = %+v", tok)
			}
			if who, err := e.auth.AuthenticateToken(ctx, text, client); err != nil || who.ReadOnly {
				t.Fatalf("actor = %+v, %v", who, err)
			}
		})

		t.Run("bad scope, expiry or name is refused naming the field and changes nothing", func(t *testing.T) {
			before := e.count(t, `SELECT count(*) FROM api_tokens`)
			for _, c := range []struct {
				in    auth.NewToken
				field string
			}{
				{auth.NewToken{Scope: "admin"}, "scope"},
				{auth.NewToken{ExpiresInDays: 366}, "expires_in_days"},
				{auth.NewToken{ExpiresInDays: -1}, "expires_in_days"},
				{auth.NewToken{Name: strings.Repeat("名", 101)}, "name"},
			} {
				_, _, err := e.auth.CreateToken(ctx, clerk, c.in)
				wantField(t, err, c.field, "")
			}
			if n := e.count(t, `SELECT count(*) FROM api_tokens`); n != before {
				t.Fatalf("%d tokens, want %d", n, before)
			}
		})

		t.Run("a token resolves to its user and records its last use at most once a minute", func(t *testing.T) {
			tok, text := e.ownToken(t, clerk, readWrite)
			who, err := e.auth.AuthenticateToken(ctx, text, client)
			if err != nil || who.UserID != u.ID || who.Login != "tanaka" || !who.ViaToken || who.SessionID != 0 || who.RemoteAddr != client.RemoteAddr {
				t.Fatalf("actor = %+v, %v", who, err)
			}
			first := e.clock.Now()
			e.clock.Advance(30 * time.Second)
			elsewhere := auth.Client{RemoteAddr: "198.51.100.7"}
			if _, err := e.auth.AuthenticateToken(ctx, text, elsewhere); err != nil {
				t.Fatal(err)
			}
			got := e.tokenOf(t, clerk, tok.ID)
			if got.LastUsedAt == nil || !got.LastUsedAt.Equal(first) || got.LastUsedAddr != client.RemoteAddr {
				t.Fatalf("after 30 s: %+v", got)
			}
			e.clock.Advance(31 * time.Second)
			if _, err := e.auth.AuthenticateToken(ctx, text, elsewhere); err != nil {
				t.Fatal(err)
			}
			got = e.tokenOf(t, clerk, tok.ID)
			if got.LastUsedAt == nil || !got.LastUsedAt.Equal(e.clock.Now()) || got.LastUsedAddr != elsewhere.RemoteAddr {
				t.Fatalf("after 61 s: %+v", got)
			}
		})

		t.Run("an expired token is refused", func(t *testing.T) {
			tok, text := e.ownToken(t, clerk, auth.NewToken{ExpiresInDays: 1})
			e.clock.Advance(24*time.Hour - time.Second)
			if _, err := e.auth.AuthenticateToken(ctx, text, client); err != nil {
				t.Fatalf("a second before expiry: %v", err)
			}
			e.clock.Advance(time.Second)
			_, err := e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
			if got := e.tokenOf(t, clerk, tok.ID); !got.Expired {
				t.Fatalf("listed as %+v", got)
			}
		})

		t.Run("unknown and malformed tokens are refused", func(t *testing.T) {
			_, text := e.ownToken(t, clerk, readWrite)
			for _, bad := range []string{"", "mmr_", "mmr_nonsense", strings.TrimPrefix(text, "mmr_"), "xyz_" + strings.TrimPrefix(text, "mmr_"), text + "a"} {
				_, err := e.auth.AuthenticateToken(ctx, bad, client)
				wantCode(t, err, apperr.Unauthenticated)
			}
		})

		t.Run("a revoked token is refused", func(t *testing.T) {
			tok, text := e.ownToken(t, clerk, readWrite)
			_, intruder := e.signIn(t, "suzuki", password)
			wantCode(t, e.auth.RevokeToken(ctx, intruder, u.ID, tok.ID), apperr.Forbidden)
			wantCode(t, e.auth.RevokeToken(ctx, intruder, intruder.UserID, tok.ID), apperr.NotFound)
			if _, err := e.auth.AuthenticateToken(ctx, text, client); err != nil {
				t.Fatalf("token revoked by another user: %v", err)
			}
			if err := e.auth.RevokeToken(ctx, clerk, u.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			_, err := e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
			wantCode(t, e.auth.RevokeToken(ctx, clerk, u.ID, tok.ID), apperr.NotFound)
			if n := len(e.entries(t, "token.revoke")); n != 1 {
				t.Fatalf("%d revocations audited", n)
			}
			for _, l := range e.list(t, clerk) {
				if l.ID == tok.ID {
					t.Fatalf("revoked token listed: %+v", l)
				}
			}
		})

		t.Run("users list only their own tokens", func(t *testing.T) {
			_, intruder := e.signIn(t, "suzuki", password)
			_, err := e.auth.Tokens(ctx, intruder, u.ID)
			wantCode(t, err, apperr.Forbidden)
			if l := e.list(t, intruder); len(l) != 0 {
				t.Fatalf("suzuki sees %+v", l)
			}
		})

		t.Run("nobody issues a token for another person, not even an administrator", func(t *testing.T) {
			_, _, err := e.auth.CreateServiceToken(ctx, clerk, other.ID, readWrite)
			wantCode(t, err, apperr.Forbidden)
			_, _, err = e.auth.CreateServiceToken(ctx, e.admin, other.ID, readWrite)
			wantCode(t, err, apperr.Forbidden)
			if apperr.As(err).Key != "auth.error.token_for_other" {
				t.Fatalf("error = %v", err)
			}
			_, _, err = e.auth.CreateToken(ctx, e.admin, readWrite) // the command line is nobody
			wantCode(t, err, apperr.Forbidden)
			if n := e.count(t, `SELECT count(*) FROM api_tokens WHERE user_id = $1`, other.ID); n != 0 {
				t.Fatalf("%d tokens for suzuki", n)
			}
		})

		t.Run("a password reset revokes the user's tokens", func(t *testing.T) {
			_, text := e.ownToken(t, clerk, readWrite)
			if _, err := e.auth.ResetPassword(ctx, e.admin, u.ID); err != nil {
				t.Fatal(err)
			}
			_, err := e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
			if n := e.count(t, `SELECT count(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL`, u.ID); n != 0 {
				t.Fatalf("%d tokens left", n)
			}
			reset := e.entries(t, "user.reset_password")
			if len(reset) != 1 || !strings.Contains(reset[0].After, `"tokens_revoked":`) || strings.Contains(reset[0].After, `"tokens_revoked":0`) {
				t.Fatalf("audit = %+v", reset)
			}
		})

		t.Run("disabling revokes the user's tokens, and enabling brings none back", func(t *testing.T) {
			_, who := e.signIn(t, "suzuki", password)
			_, text := e.ownToken(t, who, readWrite)
			if err := e.auth.SetDisabled(ctx, e.admin, other.ID, true); err != nil {
				t.Fatal(err)
			}
			if err := e.auth.SetDisabled(ctx, e.admin, other.ID, false); err != nil {
				t.Fatal(err)
			}
			_, err := e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		t.Run("signing out everywhere revokes tokens only when asked", func(t *testing.T) {
			w := e.activeUser(t, "watanabe")
			_, who := e.signIn(t, "watanabe", password)
			_, text := e.ownToken(t, who, readWrite)
			if _, err := e.auth.LogoutEverywhere(ctx, who, false); err != nil {
				t.Fatal(err)
			}
			if _, err := e.auth.AuthenticateToken(ctx, text, client); err != nil {
				t.Fatalf("token after signing out everywhere without revoking: %v", err)
			}
			_, who = e.signIn(t, "watanabe", password)
			if _, err := e.auth.LogoutEverywhere(ctx, who, true); err != nil {
				t.Fatal(err)
			}
			_, err := e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
			all := e.entries(t, "auth.logout_all")
			if len(all) < 1 || all[0].ActorUserID != w.ID || !strings.Contains(all[0].After, `"tokens_revoked":1`) {
				t.Fatalf("audit = %+v", all)
			}
		})

		e.verifyChain(t)
	})
}

// A token goes no further than a sign-in: while its holder must change a temporary password or
// enrol in MFA, it is refused.
func TestTokensWaitForAReadyAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, temp := e.createUser(t, "kanri", true)
		_, who := e.signIn(t, "kanri", temp)
		_, text := e.ownToken(t, who, readWrite)

		_, err := e.auth.AuthenticateToken(ctx, text, client)
		wantCode(t, err, apperr.Forbidden)
		if apperr.As(err).Key != "auth.error.token_password_change" {
			t.Fatalf("error = %v", err)
		}
		if err := e.auth.ChangePassword(ctx, who, temp, password, password); err != nil {
			t.Fatal(err)
		}
		_, err = e.auth.AuthenticateToken(ctx, text, client)
		wantCode(t, err, apperr.Forbidden)
		if apperr.As(err).Key != "auth.error.token_mfa_required" {
			t.Fatalf("error = %v", err)
		}
		e.enrol(t, who)
		if got, err := e.auth.AuthenticateToken(ctx, text, client); err != nil || !got.PlatformAdmin {
			t.Fatalf("after enrolment: %+v, %v", got, err)
		}
	})
}

func TestServiceAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		dept, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: "100", Name: "情報政策課", Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := e.auth.CreateServiceAccount(ctx, e.admin, auth.NewServiceAccount{Login: " Jinji-Renkei ", DisplayName: "人事システム連携",
			Roles: []auth.ServiceRole{{RoleID: "auditor"}, {RoleID: "security_officer", Scope: "department", DepartmentID: dept.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if !svc.ServiceAccount || svc.Login != "jinji-renkei" || svc.StaffID != 0 || svc.MustChangePassword || svc.PlatformAdmin {
			t.Fatalf("service account = %+v", svc)
		}

		t.Run("its roles are the ones given and it shows as a service account", func(t *testing.T) {
			roles, err := e.auth.ServiceRoles(ctx, e.admin, svc.ID)
			if err != nil || len(roles) != 2 || roles[0] != (auth.ServiceRole{RoleID: "auditor", Scope: "organization"}) ||
				roles[1] != (auth.ServiceRole{RoleID: "security_officer", Scope: "department", DepartmentID: dept.ID}) {
				t.Fatalf("roles = %+v, %v", roles, err)
			}
			if got := e.user(t, svc.ID); !got.ServiceAccount {
				t.Fatalf("user = %+v", got)
			}
			ids, err := e.auth.ServiceAccountIDs(ctx, e.admin)
			if err != nil || len(ids) != 1 || !ids[svc.ID] {
				t.Fatalf("ids = %v, %v", ids, err)
			}
			created := e.entries(t, "user.create_service")
			if len(created) != 1 || !strings.Contains(created[0].After, `"service_account":true`) || !strings.Contains(created[0].After, "security_officer") {
				t.Fatalf("audit = %+v", created)
			}
		})

		t.Run("an administrator issues its tokens, which act with its roles", func(t *testing.T) {
			tok, text, err := e.auth.CreateServiceToken(ctx, e.admin, svc.ID, auth.NewToken{Name: "人事", Scope: auth.ScopeReadWrite, ExpiresInDays: 365})
			if err != nil || tok.UserID != svc.ID {
				t.Fatalf("token = %+v, %v", tok, err)
			}
			who, err := e.auth.AuthenticateToken(ctx, text, client)
			if err != nil || !who.ServiceAccount || who.UserID != svc.ID || !who.CanReadAuditLog() || len(who.Roles) != 2 || who.StaffID != 0 {
				t.Fatalf("actor = %+v, %v", who, err)
			}
			_, _, err = e.auth.CreateToken(ctx, who, readWrite)
			wantCode(t, err, apperr.Forbidden)
			l, err := e.auth.Tokens(ctx, e.admin, svc.ID)
			if err != nil || len(l) != 1 || l[0].ID != tok.ID {
				t.Fatalf("tokens = %+v, %v", l, err)
			}
			if err := e.auth.RevokeToken(ctx, e.admin, svc.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			_, err = e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		t.Run("it cannot sign in, and trying does not lock it", func(t *testing.T) {
			for _, pw := range []string{"", "x", "password1234", "anything at all"} {
				_, err := e.auth.Login(ctx, "jinji-renkei", pw, client)
				wantCode(t, err, apperr.Unauthenticated)
			}
			if got := e.user(t, svc.ID); got.Locked() || got.FailedLogins != 0 {
				t.Fatalf("user = %+v", got)
			}
			_, err := e.auth.ResetPassword(ctx, e.admin, svc.ID)
			wantCode(t, err, apperr.Invalid)
		})

		t.Run("only an administrator creates one, with roles the pack knows", func(t *testing.T) {
			u := e.activeUser(t, "tanaka")
			_, who := e.signIn(t, "tanaka", password)
			_, err := e.auth.CreateServiceAccount(ctx, who, auth.NewServiceAccount{Login: "x-renkei", DisplayName: "x"})
			wantCode(t, err, apperr.Forbidden)
			_, _, err = e.auth.CreateServiceToken(ctx, who, svc.ID, readWrite)
			wantCode(t, err, apperr.Forbidden)
			e.auth.RoleScope = func(_ context.Context, _ int64, id string) (string, bool, error) {
				return map[string]string{"ciso": "organization"}[id], id == "ciso", nil
			}
			defer func() { e.auth.RoleScope = nil }()
			_, err = e.auth.CreateServiceAccount(ctx, e.admin, auth.NewServiceAccount{Login: "y-renkei", DisplayName: "y",
				Roles: []auth.ServiceRole{{RoleID: "nonexistent"}}})
			wantField(t, err, "roles", "org.error.unknown_role")
			_, err = e.auth.CreateServiceAccount(ctx, e.admin, auth.NewServiceAccount{Login: "y-renkei", DisplayName: "y",
				Roles: []auth.ServiceRole{{RoleID: "ciso", Scope: "department", DepartmentID: dept.ID}}})
			wantField(t, err, "roles", "org.error.role_scope")
			_, err = e.auth.CreateServiceAccount(ctx, e.admin, auth.NewServiceAccount{Login: "tanaka", DisplayName: "y"})
			wantField(t, err, "login", "auth.error.login_taken")
			if n := e.count(t, `SELECT count(*) FROM users WHERE login = 'y-renkei'`); n != 0 || u.ID == 0 {
				t.Fatalf("%d accounts y-renkei", n)
			}
		})

		t.Run("disabling it revokes its tokens", func(t *testing.T) {
			_, text, err := e.auth.CreateServiceToken(ctx, e.admin, svc.ID, readWrite)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.auth.SetDisabled(ctx, e.admin, svc.ID, true); err != nil {
				t.Fatal(err)
			}
			_, err = e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
			_, _, err = e.auth.CreateServiceToken(ctx, e.admin, svc.ID, readWrite)
			wantCode(t, err, apperr.Invalid)
		})

		e.verifyChain(t)
	})
}

// A staff member has one login: a second one is created only for the administrator's own staff
// record (a separate administrator account), never for someone else's.
func TestSecondLoginForStaff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		st, err := e.org.CreateStaff(ctx, e.admin, org.StaffInput{EmployeeNo: "2001", Name: "田中 一郎", Employment: "regular"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.auth.CreateUser(ctx, e.admin, auth.NewUser{Login: "tanaka", DisplayName: "田中 一郎", StaffID: st.ID}); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.auth.CreateUser(ctx, e.admin, auth.NewUser{Login: "tanaka2", DisplayName: "田中 一郎", StaffID: st.ID, PlatformAdmin: true})
		wantField(t, err, "staff_id", "auth.error.staff_has_login")
		if n := e.count(t, `SELECT count(*) FROM users WHERE staff_id = $1`, st.ID); n != 1 {
			t.Fatalf("%d logins for the staff member", n)
		}
		self := e.admin
		self.StaffID = st.ID
		if _, _, err := e.auth.CreateUser(ctx, self, auth.NewUser{Login: "tanaka-admin", DisplayName: "田中 一郎（管理）", StaffID: st.ID}); err != nil {
			t.Fatalf("a second login of one's own: %v", err)
		}
	})
}

func (e *env) list(t *testing.T, who access.Actor) []auth.APIToken {
	t.Helper()
	l, err := e.auth.Tokens(ctx, who, who.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (e *env) tokenOf(t *testing.T, who access.Actor, id int64) auth.APIToken {
	t.Helper()
	for _, tok := range e.list(t, who) {
		if tok.ID == id {
			return tok
		}
	}
	t.Fatalf("token %d not listed", id)
	return auth.APIToken{}
}
