package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/demo"
	"mamori/internal/store/storetest"
)

// axe-core (MPL-2.0, see testdata/axe-LICENSE.txt) checks pages against WCAG 2.1 AA, the level
// JIS X 8341-3 refers to.
//
//go:embed testdata/axe-4.14.1.min.js
var axeSource string

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// TestPagesPassAccessibilityCheck loads every screen of the shell in Chromium, with the demo
// organisation's data, and runs axe-core on it.
func TestPagesPassAccessibilityCheck(t *testing.T) {
	ctx := browserContext(t)
	s, srv, temp := start(t, storetest.SQLite(t))
	o, _ := s.Org.First(context.Background())
	pack, ok := s.Policy.Library.Get(demo.DefaultPack)
	if !ok {
		t.Fatalf("pack %s is not shipped", demo.DefaultPack)
	}
	if _, err := s.Policy.Use(context.Background(), access.System(o.ID, "test"), pack.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), s, o.ID, pack); err != nil {
		t.Fatal(err)
	}
	filed := fileDemoRequest(t, s, o.ID)
	check := func(t *testing.T, name string) {
		t.Helper()
		must(t, chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("main"))))
		run := `(async () => {
			const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
			return JSON.stringify(r.violations);
		})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
			t.Fatalf("%s: load axe: %v", name, err)
		}
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
		must(t, err)
		var vs []axeViolation
		must(t, json.Unmarshal([]byte(out), &vs))
		for _, v := range vs {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprint(n.Target...))
			}
			t.Errorf("%s: %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(where, ", "))
		}
	}
	visit := func(t *testing.T, path string) {
		t.Helper()
		must(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)))
		check(t, path)
	}

	visit(t, "/login")
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("f-login"), "admin"),
		chromedp.SendKeys(chromedp.ID("f-password"), "wrong password"),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	))
	check(t, "login with an error")
	firstSignIn(t, ctx, srv.URL, temp)
	check(t, "/")
	for _, path := range []string{"/policy", "/roles", "/departments", "/departments/new", "/staff", "/staff?q=田中", "/staff/new",
		"/users", "/users/new", "/users/2", "/audit", "/notifications", "/account", "/account/password", "/nowhere",
		"/assets", "/assets?q=端末", "/assets/new", "/assets/1", "/assets/labels",
		"/logbooks", "/logbooks/room_access", "/logbooks/room_access/new", "/logbooks/room_access/1", "/logbooks/room_access/print",
		"/logbooks/system_change_record?unconfirmed=1",
		"/requests/new", "/requests/new?kind=take_out", "/requests/inbox", "/requests", filed, filed + "/print",
		"/incidents", "/incidents/new", "/incidents/new?outside=1", "/incidents/contacts", "/incidents/stats",
		"/compliance", "/compliance/findings?state=all", "/compliance/exceptions", "/compliance/report"} {
		t.Run(path, func(t *testing.T) { visit(t, path) })
	}
	t.Run("the register import", func(t *testing.T) {
		importSteps(t, ctx, srv.URL, importSheet(t), func(name string) { check(t, name) })
		visit(t, runElsewhere(t, s))
	})
	t.Run("a form with errors", func(t *testing.T) {
		must(t, chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/departments/new"),
			chromedp.Submit(chromedp.ID("f-code")),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		))
		check(t, "department form with errors")
	})
}
