package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/asset"
	"mamori/internal/store/storetest"
)

// TestBrowserRequestFileAndApprove drives Chromium through a request's life on 上毛町's pack: a
// clerk files a 私物パソコン request through the generated form, the 情報セキュリティ管理者
// finds it waiting on their home page and in the inbox and approves it, and the page then shows
// it approved.
func TestBrowserRequestFileAndApprove(t *testing.T) {
	ctx := browserContext(t)
	s, srv, _ := start(t, storetest.SQLite(t))
	sec := kogeSection(t, s)
	clerkPW, managerPW := sec.person("2001", "住民 花子", "clerk", ""), sec.person("1001", "管理 一郎", "kanri", "security_manager")
	staffFirstSignIn(t, ctx, srv.URL, "clerk", clerkPW)
	must(t, do(ctx,
		chromedp.Navigate(srv.URL+"/requests/new"),
		chromedp.Click(chromedp.CSS(`a[href="/requests/new?kind=private_pc"]`)),
		chromedp.WaitVisible(chromedp.ID("f-fields-device")),
		chromedp.SendKeys(chromedp.ID("f-fields-device"), "私物ノートPC"),
		chromedp.SetValue(chromedp.ID("f-fields-importance"), "IV"),
		chromedp.Click(chromedp.CSS("form .btn--primary")),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	))
	filed, err := run(ctx, chromedp.Location())
	must(t, err)
	if !strings.Contains(filed, "/requests/") {
		t.Fatalf("after filing the browser is at %s", filed)
	}
	must(t, do(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("f-login"))))

	// 上毛町's pack requires the 情報セキュリティ管理者 to sign in with MFA (第2章 4(4)②): the
	// first sign-in goes on to enrolment.
	setFirstPassword(t, ctx, srv.URL, "kanri", managerPW)
	enrolMFA(t, ctx)
	// The approver's home page, the desk, shows the request waiting for them.
	path, _, _ := strings.Cut(strings.TrimPrefix(filed, srv.URL), "?")
	must(t, do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("desk-awaiting")),
	))
	desk, err := run(ctx, chromedp.OuterHTML(chromedp.CSS(`section[aria-labelledby="desk-awaiting"]`)))
	must(t, err)
	if !strings.Contains(desk, `href="`+path+`"`) {
		t.Fatalf("the approver's desk does not show %s:\n%s", path, desk)
	}
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/requests/inbox"]`)),
		chromedp.WaitVisible(chromedp.CSS("#waiting")),
		chromedp.Click(chromedp.CSS(`td a[href^="/requests/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value="approve"]`)),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	))
	text, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "承認しました") || !strings.Contains(text, "承認済み") || !strings.Contains(text, "管理 一郎") {
		t.Fatalf("after approving the page reads:\n%s", text)
	}
}

// TestBrowserTakeOutAndReturnLogsIt drives Chromium through a 持ち出し on 上毛町's pack: a clerk
// picks the terminal (its state shown) and files the take-out, the 情報セキュリティ管理者
// approves it and records the taking out and the return on the request, and the pack's 端末等の
// 持ち出し及び持ち込みの記録 (第2章 5(1)①オ) then holds both, written by nobody by hand.
func TestBrowserTakeOutAndReturnLogsIt(t *testing.T) {
	ctx := browserContext(t)
	s, srv, _ := start(t, storetest.SQLite(t))
	sec := kogeSection(t, s)
	bg, sys, dept := context.Background(), sec.sys, sec.dept
	_, err := s.Assets.Create(bg, sys, asset.Input{Number: "PC-0001", Name: "窓口ノートPC", Kind: "terminal", DepartmentID: dept.ID,
		Class: map[string]string{"importance": "II"}, Location: "住民課"})
	must(t, err)
	clerkPW, managerPW := sec.person("2001", "住民 花子", "clerk", ""), sec.person("1001", "管理 一郎", "kanri", "security_manager")
	jst := time.FixedZone("JST", 9*60*60)
	today, tomorrow := time.Now().In(jst).Format(time.DateOnly), time.Now().In(jst).AddDate(0, 0, 1).Format(time.DateOnly)

	staffFirstSignIn(t, ctx, srv.URL, "clerk", clerkPW)
	must(t, do(ctx,
		chromedp.Navigate(srv.URL+"/requests/new?kind=take_out"),
		chromedp.WaitVisible(chromedp.ID("f-fields-destination")),
	))
	picker, err := run(ctx, chromedp.Text(chromedp.ID("f-asset_ids")))
	must(t, err)
	if !strings.Contains(picker, "PC-0001") || !strings.Contains(picker, "使用中") {
		t.Fatalf("the picker reads:\n%s", picker)
	}
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`input[name="asset_ids"]`)),
		chromedp.SendKeys(chromedp.ID("f-fields-destination"), "福岡県庁"),
		chromedp.SetValue(chromedp.ID("f-fields-out_date"), tomorrow),
		chromedp.SetValue(chromedp.ID("f-fields-return_date"), today),
		chromedp.Click(chromedp.CSS("form .btn--primary")),
		chromedp.WaitVisible(chromedp.ID("e-fields-return_date")),
	))
	msg, err := run(ctx, chromedp.Text(chromedp.ID("e-fields-return_date")))
	must(t, err)
	if !strings.Contains(msg, "返却予定日は持ち出し日より前の日にできません") {
		t.Fatalf("a return before the take-out reads %q", msg)
	}
	must(t, do(ctx,
		chromedp.SetValue(chromedp.ID("f-fields-out_date"), today),
		chromedp.SetValue(chromedp.ID("f-fields-return_date"), tomorrow),
		chromedp.Click(chromedp.CSS("form .btn--primary")),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.ID("f-login")),
	))

	setFirstPassword(t, ctx, srv.URL, "kanri", managerPW)
	enrolMFA(t, ctx)
	must(t, do(ctx,
		chromedp.Navigate(srv.URL+"/requests/inbox"),
		chromedp.WaitVisible(chromedp.CSS("#waiting")),
		chromedp.Click(chromedp.CSS(`td a[href^="/requests/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value="approve"]`)),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.ID("f-taken_out_on")),
	))
	hint, err := run(ctx, chromedp.Text(chromedp.CSS(`form[action$="/take-out"]`)))
	must(t, err)
	if !strings.Contains(hint, "端末等の持ち出し及び持ち込みの記録") {
		t.Fatalf("the take-out form does not say which logbook it writes:\n%s", hint)
	}
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/take-out"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.ID("f-returned_on")),
		chromedp.Click(chromedp.CSS(`form[action$="/return"] .btn--primary`)),
		chromedp.WaitNotPresent(chromedp.ID("f-returned_on")),
		chromedp.Navigate(srv.URL+"/logbooks/take_out_bring_in"),
		chromedp.WaitVisible(chromedp.CSS("main table")),
	))
	ledger, err := run(ctx, chromedp.Text(chromedp.CSS("main table")))
	must(t, err)
	if strings.Count(ledger, "PC-0001") != 2 || !strings.Contains(ledger, "持ち出し") || !strings.Contains(ledger, "持ち込み") || !strings.Contains(ledger, "住民 花子") {
		t.Fatalf("the take-out logbook reads:\n%s", ledger)
	}
}
