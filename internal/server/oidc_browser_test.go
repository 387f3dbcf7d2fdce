package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/directory"
	"mamori/internal/oidc"
	"mamori/internal/oidc/oidctest"
	"mamori/internal/org"
	"mamori/internal/store/storetest"
)

// TestBrowserOIDCSignIn: 岸和田市 signs its staff in with its identity provider. A member of
// staff of 総務課 clicks 「庁内認証基盤でサインイン」, the provider signs them in, and they land on
// their home page as a member of 総務課; a 情報セキュリティ責任者 of 税務課 whose provider used
// only a password is asked to set up Mamori's own second factor before anything else, and then
// appears as the holder of the role.
func TestBrowserOIDCSignIn(t *testing.T) {
	ctx := browserContext(t)
	bg := context.Background()
	db := storetest.SQLite(t)
	s := app.New(db, cheap, nil)
	first, err := s.Bootstrap(bg, app.Setup{OrgCode: "kishiwada", OrgName: "岸和田市", PackID: "kishiwada"})
	must(t, err)
	sys := access.System(first.Org.ID, "test")
	var depts []int64
	for i, name := range []string{"総務課", "税務課"} {
		d, err := s.Org.CreateDepartment(bg, sys, org.DepartmentInput{Code: string(rune('A' + i)), Name: name, Kind: "section", Active: true})
		must(t, err)
		depts = append(depts, d.ID)
	}
	admin := access.Actor{OrgID: first.Org.ID, UserID: 1, Login: "admin", PlatformAdmin: true}
	_, err = s.Directory.SaveSettings(bg, admin, directory.SettingsInput{Enabled: true,
		DepartmentFrom: directory.DeptFromAttribute, DepartmentAttribute: "department",
		Departments: []directory.DepartmentRule{{Value: "総務課", DepartmentID: depts[0]}, {Value: "税務課", DepartmentID: depts[1]}},
		Groups:      []directory.GroupRule{{Group: "sec-officers", RoleID: "security_officer", Scope: directory.ScopeOwnDepartment}}})
	must(t, err)
	idp := oidctest.Start(t)
	svc := oidc.New(db, oidc.Config{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret})
	must(t, svc.Discover(bg))
	srv := httptest.NewServer(New(s, Options{OIDC: svc}))
	t.Cleanup(srv.Close)
	r := &personaRun{t: t, s: s, srv: srv, orgID: first.Org.ID, browser: ctx, tabs: map[string]context.Context{}}

	// signIn opens a browser of the person's own and clicks the button on the login page.
	signIn := func(p oidctest.Person) context.Context {
		tab, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		must(t, chromedp.Do(tab))
		idp.Next(p)
		r.step(tab, "sign in with the identity provider as "+p.Name,
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.WaitVisible(chromedp.ID("oidc-signin")),
			chromedp.Click(chromedp.ID("oidc-signin")),
			chromedp.WaitVisible(chromedp.CSS("main")),
		)
		return tab
	}

	// The login page with the button, and with a refusal's notice, pass the accessibility check.
	look, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	must(t, chromedp.Do(look))
	r.step(look, "open the login page", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("oidc-signin")))
	axeClean(t, look, "login page with the identity provider")
	idp.Deny()
	r.step(look, "be refused by the provider", chromedp.Click(chromedp.ID("oidc-signin")), chromedp.WaitVisible(chromedp.ID("e-oidc")))
	notice, err := run(look, chromedp.Text(chromedp.ID("e-oidc")))
	must(t, err)
	if !strings.Contains(notice, "庁内認証基盤がサインインを認めませんでした") {
		t.Fatalf("notice %q", notice)
	}
	axeClean(t, look, "login page after a refusal")

	clerk := signIn(oidctest.Person{Subject: "entra-0001", Login: "suzuki.ichiro", Name: "鈴木 一郎",
		Extra: map[string]any{"department": "総務課", "employee_number": "10001", "amr": []string{"pwd"}}})
	r.step(clerk, "land on the home page", chromedp.WaitVisible(chromedp.CSS(".desk")))
	at(t, clerk, "/")
	header, err := run(clerk, chromedp.Evaluate[string](`document.querySelector('header').innerText`))
	must(t, err)
	if !strings.Contains(header, "鈴木 一郎") {
		t.Fatalf("the header does not name the person: %q", header)
	}
	who, err := s.Auth.ActAs(bg, "suzuki.ichiro")
	must(t, err)
	if who.DepartmentID != depts[0] || len(who.Roles) != 0 {
		t.Fatalf("mapped as %+v", who)
	}

	officer := signIn(oidctest.Person{Subject: "entra-7f3a", Login: "sato.hanako", Name: "佐藤 花子",
		Extra: map[string]any{"department": "税務課", "groups": []string{"sec-officers"}, "employee_number": "20417", "amr": []string{"pwd"}}})
	// The pack asks MFA of the role and the provider did not use it: Mamori's own TOTP first.
	enrolMFA(t, officer)
	who, err = s.Auth.ActAs(bg, "sato.hanako")
	must(t, err)
	if who.DepartmentID != depts[1] || !who.HasRole("security_officer") {
		t.Fatalf("mapped as %+v", who)
	}
	r.step(officer, "open the roles", chromedp.Navigate(srv.URL+"/roles"), chromedp.WaitVisible(chromedp.CSS("main")))
	text, err := run(officer, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	must(t, err)
	if !strings.Contains(text, "佐藤 花子") {
		t.Fatalf("the roles page does not show the officer:\n%.2000s", text)
	}
}

// axeClean runs axe-core on the page in ctx and fails the test on any WCAG 2.1 AA violation.
func axeClean(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if _, err := run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("%s: load axe: %v", name, err)
	}
	out, err := run(ctx, chromedp.Evaluate[string](`(async () => {
		const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
		return JSON.stringify(r.violations);
	})()`, chromedp.EvalAwaitPromise))
	must(t, err)
	var vs []axeViolation
	must(t, json.Unmarshal([]byte(out), &vs))
	for _, v := range vs {
		t.Errorf("%s: %s (%s): %s", name, v.ID, v.Impact, v.Help)
	}
}
