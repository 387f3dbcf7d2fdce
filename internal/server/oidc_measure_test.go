//go:build measure

// The measurement of docs/PERFORMANCE.md §23: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/directory"
	"mamori/internal/oidc"
	"mamori/internal/oidc/oidctest"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestMeasureOIDCSignIn times a sign-in with the identity provider over HTTP on 127.0.0.1 —
// Mamori's start, the provider's authorization, and the callback (code exchange, token
// verification, the directory's mapping and the session) — beside a local sign-in with
// argon2id at DefaultParams, on both engines.
func TestMeasureOIDCSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		s := app.New(db, auth.DefaultParams, nil)
		first, err := s.Bootstrap(bg, app.Setup{OrgCode: "kishiwada", OrgName: "岸和田市", PackID: "kishiwada"})
		must(t, err)
		sys := access.System(first.Org.ID, "test")
		dept, err := s.Org.CreateDepartment(bg, sys, org.DepartmentInput{Code: "A", Name: "総務課", Kind: "section", Active: true})
		must(t, err)
		admin := access.Actor{OrgID: first.Org.ID, UserID: 1, Login: "admin", PlatformAdmin: true}
		_, pw, err := s.Auth.CreateUser(bg, admin, auth.NewUser{Login: "keeper", DisplayName: "緊急用管理者"})
		must(t, err)
		_, err = s.Directory.SaveSettings(bg, admin, directory.SettingsInput{Enabled: true,
			DepartmentFrom: directory.DeptFromAttribute, DepartmentAttribute: "department",
			Departments: []directory.DepartmentRule{{Value: "総務課", DepartmentID: dept.ID}},
			Groups:      []directory.GroupRule{{Group: "csirt", RoleID: "csirt_member", Scope: directory.ScopeOrganization}},
			BreakGlass:  []string{"keeper"}})
		must(t, err)
		idp := oidctest.Start(t)
		svc := oidc.New(db, oidc.Config{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret})
		must(t, svc.Discover(bg))
		srv := httptest.NewServer(New(s, Options{OIDC: svc}))
		t.Cleanup(srv.Close)
		provider := idp.Addr()

		// oidcRound signs p in and returns the time of each leg: Mamori's start, the
		// provider's authorization, the callback up to the session cookie.
		oidcRound := func(p oidctest.Person) [3]time.Duration {
			idp.Next(p)
			jar, _ := cookiejar.New(nil)
			var marks []time.Time
			c := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
				marks = append(marks, time.Now())
				if strings.HasPrefix(r.URL.String(), provider) || r.URL.Path == oidc.CallbackPath {
					return nil
				}
				return http.ErrUseLastResponse // landed: the session is set
			}}
			t0 := time.Now()
			res, err := c.Get(srv.URL + "/login/oidc?next=/")
			must(t, err)
			res.Body.Close()
			end := time.Now()
			if res.StatusCode != http.StatusSeeOther || len(marks) != 3 || !slices.ContainsFunc(res.Cookies(), func(c *http.Cookie) bool { return c.Name == "mamori_session" }) {
				t.Fatalf("round trip ended %d after %d redirects", res.StatusCode, len(marks))
			}
			return [3]time.Duration{marks[0].Sub(t0), marks[1].Sub(marks[0]), end.Sub(marks[1])}
		}
		person := func(i int) oidctest.Person {
			return oidctest.Person{Subject: fmt.Sprintf("sub-%04d", i), Login: fmt.Sprintf("staff%04d", i), Name: fmt.Sprintf("職員%04d", i),
				Extra: map[string]any{"department": "総務課", "groups": []string{"csirt"}, "employee_number": fmt.Sprint(10000 + i), "amr": []string{"pwd", "mfa"}}}
		}
		oidcRound(person(0)) // warm up: the provider's keys are fetched once
		const firsts, repeats, locals = 50, 200, 20
		var firstRounds, again [][3]time.Duration
		for i := 1; i <= firsts; i++ {
			firstRounds = append(firstRounds, oidcRound(person(i)))
		}
		for i := 0; i < repeats; i++ {
			again = append(again, oidcRound(person(1+i%firsts)))
		}
		var local []time.Duration
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for i := 0; i < locals; i++ {
			t0 := time.Now()
			res, err := c.PostForm(srv.URL+"/login", url.Values{"login": {"keeper"}, "password": {pw}})
			must(t, err)
			res.Body.Close()
			local = append(local, time.Since(t0))
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("local sign-in: %d", res.StatusCode)
			}
		}
		report := func(name string, rounds [][3]time.Duration) {
			var total, start, authz, cb []time.Duration
			for _, r := range rounds {
				start, authz, cb = append(start, r[0]), append(authz, r[1]), append(cb, r[2])
				total = append(total, r[0]+r[1]+r[2])
			}
			t.Logf("%s (%d): total median %v p90 %v | start %v, provider %v, callback %v (medians)", name, len(rounds),
				median(total), p90(total), median(start), median(authz), median(cb))
		}
		report("OIDC first sign-in (user, staff, role created)", firstRounds)
		report("OIDC sign-in again", again)
		t.Logf("local argon2id sign-in (%d): median %v p90 %v", locals, median(local), p90(local))
	})
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2].Round(10 * time.Microsecond)
}

func p90(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)*9/10].Round(10 * time.Microsecond)
}
