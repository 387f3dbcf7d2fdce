package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/auth"
	"mamori/internal/directory"
	"mamori/internal/oidc"
	"mamori/internal/oidc/oidctest"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// startDirectoryOIDC is 岸和田市's pack with departments 総務課 and 税務課, sign-in from the
// directory on, and the provider's groups "sec-officers" mapped to 情報セキュリティ責任者 of the
// person's department (a role the pack asks MFA of) and "csirt" to a CSIRT member.
func startDirectoryOIDC(t *testing.T, db *store.DB) (*oidcSite, *apptest.Env) {
	t.Helper()
	ctx := context.Background()
	e := apptest.New(t, db, "kishiwada", apptest.Options{Roles: func(policy.Role) bool { return false }})
	admin := access.Actor{OrgID: e.Org, UserID: 1, Login: "admin", PlatformAdmin: true}
	cur, err := e.S.Directory.Settings(ctx, admin)
	must(t, err)
	_, err = e.S.Directory.SaveSettings(ctx, admin, directory.SettingsInput{Enabled: true, Version: cur.Version,
		DepartmentFrom: directory.DeptFromAttribute, DepartmentAttribute: "department",
		Departments: []directory.DepartmentRule{{Value: "総務課", DepartmentID: e.DeptA}, {Value: "税務課", DepartmentID: e.DeptB}},
		Groups: []directory.GroupRule{
			{Group: "sec-officers", RoleID: "security_officer", Scope: directory.ScopeOwnDepartment},
			{Group: "csirt", RoleID: "csirt_member", Scope: directory.ScopeOrganization},
		}})
	must(t, err)
	o := &oidcSite{t: t, s: e.S, idp: oidctest.Start(t), org: e.Org}
	o.svc = oidc.New(db, oidc.Config{Issuer: o.idp.Issuer(), ClientID: o.idp.ClientID, ClientSecret: o.idp.ClientSecret})
	must(t, o.svc.Discover(ctx))
	o.srv = httptest.NewServer(New(e.S, Options{OIDC: o.svc}))
	t.Cleanup(o.srv.Close)
	return o, e
}

// signIn runs the whole flow from the login page's button to wherever Mamori lands the person.
func (o *oidcSite) signIn(b *http.Client, p oidctest.Person, next string) (*http.Response, string) {
	o.t.Helper()
	o.idp.Next(p)
	return o.visit(b, o.srv.URL+"/login/oidc?next="+url.QueryEscape(next))
}

func officer(amr ...string) oidctest.Person {
	return oidctest.Person{Subject: "entra-7f3a", Login: "sato.hanako", Name: "佐藤 花子", Email: "sato@city.example.lg.jp",
		Extra: map[string]any{"department": "税務課", "groups": []string{"sec-officers"}, "employee_number": "20417", "amr": amr}}
}

func TestOIDCSignInMapsThePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o, e := startDirectoryOIDC(t, db)
		ctx := context.Background()
		b := o.browser()
		clerk := oidctest.Person{Subject: "entra-0001", Login: "suzuki.ichiro", Name: "鈴木 一郎",
			Extra: map[string]any{"department": "総務課", "employee_number": "10001", "amr": []string{"pwd"}}}
		res, _ := o.signIn(b, clerk, "/assets?q=端末")
		if res.StatusCode != 200 || res.Request.URL.Path != "/assets" || res.Request.URL.Query().Get("q") != "端末" {
			t.Fatalf("landed at %s (%d)", res.Request.URL, res.StatusCode)
		}
		who, err := e.S.Auth.ActAs(ctx, "suzuki.ichiro")
		must(t, err)
		if who.DepartmentID != e.DeptA || len(who.Roles) != 0 || who.Name != "鈴木 一郎" {
			t.Fatalf("mapped as %+v", who)
		}
		// The session is the directory's: the home page answers without a password ever given.
		if res, _ := o.visit(b, o.srv.URL+"/"); res.StatusCode != 200 || res.Request.URL.Path != "/" {
			t.Fatalf("home: %d at %s", res.StatusCode, res.Request.URL)
		}
	})
}

func TestOIDCSignInAsksForMamorisTOTPUnlessTheProviderUsedMFA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o, e := startDirectoryOIDC(t, db)
		ctx := context.Background()

		// First sign-in with a password alone: the role needs MFA, so Mamori's own is enrolled.
		b := o.browser()
		res, _ := o.signIn(b, officer("pwd"), "/requests/inbox")
		if res.Request.URL.Path != "/account/mfa" {
			t.Fatalf("a security officer without MFA landed at %s", res.Request.URL)
		}
		who, err := e.S.Auth.ActAs(ctx, "sato.hanako")
		must(t, err)
		if who.DepartmentID != e.DeptB || !who.HasRole("security_officer") {
			t.Fatalf("mapped as %+v", who)
		}
		en, err := e.S.Auth.BeginMFA(ctx, who, "Mamori")
		must(t, err)
		code, err := auth.TOTPCode(en.Secret, e.Clock.Now())
		must(t, err)
		_, err = e.S.Auth.ConfirmMFA(ctx, who, code)
		must(t, err)

		// Again with a password alone: Mamori asks for the code before anything else.
		b = o.browser()
		res, _ = o.signIn(b, officer("pwd"), "/requests/inbox")
		if res.Request.URL.Path != "/login/mfa" || res.Request.URL.Query().Get("next") != "/requests/inbox" {
			t.Fatalf("landed at %s, want the code", res.Request.URL)
		}
		if res, _ := o.visit(b, o.srv.URL+"/requests/inbox"); res.Request.URL.Path != "/login/mfa" {
			t.Fatalf("a page opened before the code: %s", res.Request.URL)
		}
		e.Clock.T = e.Clock.T.Add(time.Minute) // a code is taken once: the next one
		code, err = auth.TOTPCode(en.Secret, e.Clock.Now())
		must(t, err)
		res, err = b.PostForm(o.srv.URL+"/login/mfa", url.Values{"code": {code}, "next": {"/requests/inbox"}})
		must(t, err)
		res.Body.Close()
		if res.Request.URL.Path != "/requests/inbox" || res.StatusCode != 200 {
			t.Fatalf("after the code: %d at %s", res.StatusCode, res.Request.URL)
		}

		// The provider says a second factor was used: no code asked.
		b = o.browser()
		res, _ = o.signIn(b, officer("pwd", "mfa"), "/requests/inbox")
		if res.Request.URL.Path != "/requests/inbox" {
			t.Fatalf("with amr mfa landed at %s", res.Request.URL)
		}
	})
}

func TestOIDCSignInRefusedByTheDirectory(t *testing.T) {
	o, _ := startDirectoryOIDC(t, storetest.SQLite(t))
	p := officer("pwd")
	p.Extra["department"] = "企画課" // mapped to no department
	b := o.browser()
	res, body := o.signIn(b, p, "/")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Mamoriへのサインインは認められませんでした") {
		t.Fatalf("%d\n%s", res.StatusCode, body)
	}
	if o.session(b) != "" || o.failures(directory.RefusedNoDepartment) != 1 {
		t.Fatal("refusal not kept out or not audited")
	}
}
