package server

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/sysaccount"
)

// TestBrowserSystemAccounts runs 岸和田市's demo through the accounts of a system: its
// 情報システム管理者 (the 市民課長 for the 住民基本台帳システム) opens the system's accounts from the
// navigation — the ID of a member of staff who left flagged on their desk and in the list; imports the system's
// account list — the check first, which changes nothing, then the list applied — and records
// the leaver's ID as removed, after confirming it, so that it stays with who removed it.
func TestBrowserSystemAccounts(t *testing.T) {
	r := startPersonas(t, "kishiwada")
	admin := r.holder("system_admin@市民課")
	bg := context.Background()
	all, err := r.s.SystemAccounts.All(bg, r.sys(), sysaccount.Filter{Flag: "account-owner-left"})
	must(t, err)
	if len(all) != 1 {
		t.Fatalf("the demo has %d leavers' accounts, want 1", len(all))
	}
	leaver := all[0]
	system := leaver.SystemRef
	sysAccounts, err := r.s.SystemAccounts.All(bg, r.sys(), sysaccount.Filter{SystemRef: system})
	must(t, err)

	ctx := r.open(admin, "/")
	r.step(ctx, "the leaver's ID on the desk", chromedp.WaitVisible(chromedp.CSS(`#desk-system-accounts ~ ul [data-flag="account-owner-left"]`)))
	r.step(ctx, "the accounts from the navigation", chromedp.Click(chromedp.CSS(`.site-nav a[href="/system-accounts"]`)),
		chromedp.WaitVisible(chromedp.ID("sysaccount-table")))
	r.step(ctx, "the system's accounts", chromedp.Navigate(r.srv.URL+"/system-accounts?system="+url.QueryEscape(system)),
		chromedp.WaitVisible(chromedp.CSS(`#sysaccount-table [data-flag="account-owner-left"]`)))
	text, err := run(ctx, chromedp.Text(chromedp.ID("sysaccount-table")))
	must(t, err)
	if !strings.Contains(text, leaver.Login) || !strings.Contains(text, "退職") {
		t.Fatalf("the list does not show the leaver's ID %s: %.500s", leaver.Login, text)
	}

	// The list the system exports: every ID it has, and one issued since to a member of staff.
	var csv strings.Builder
	csv.WriteString("ログインID,種別,職員番号,最終ログイン\n")
	for _, a := range sysAccounts {
		csv.WriteString(a.Login + "," + a.Kind + "," + a.OwnerEmployeeNo + ",\n")
	}
	csv.WriteString("s1-new001,個人," + sysAccounts[0].OwnerEmployeeNo + ",2026/12/01\n")
	file := filepath.Join(t.TempDir(), "利用者一覧.csv")
	must(t, os.WriteFile(file, []byte(csv.String()), 0o600))
	r.step(ctx, "the import", chromedp.Click(chromedp.ID("sysaccount-import")), chromedp.WaitVisible(chromedp.ID("sysaccount-import-form")))
	r.step(ctx, "check the list", chromedp.SetValue(chromedp.ID("f-system_ref"), system),
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		chromedp.Click(chromedp.ID("import-check")), chromedp.WaitVisible(chromedp.ID("sysaccount-import-report")))
	added, err := run(ctx, chromedp.Text(chromedp.ID("import-new")))
	must(t, err)
	if strings.TrimSpace(added) != "1" {
		t.Fatalf("the check would add %q accounts, want 1", added)
	}
	if n, _ := r.s.SystemAccounts.All(bg, r.sys(), sysaccount.Filter{SystemRef: system}); len(n) != len(sysAccounts) {
		t.Fatal("the check changed the accounts")
	}
	r.step(ctx, "apply the list", chromedp.Click(chromedp.ID("import-apply")), chromedp.WaitVisible(chromedp.ID("sysaccount-table")),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	if n, _ := r.s.SystemAccounts.All(bg, r.sys(), sysaccount.Filter{SystemRef: system}); len(n) != len(sysAccounts)+1 {
		t.Fatalf("after the import %d accounts, want %d", len(n), len(sysAccounts)+1)
	}

	r.step(ctx, "open the leaver's ID", chromedp.Navigate(r.srv.URL+"/system-accounts/"+itoa(leaver.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#sysaccount-findings [data-flag="account-owner-left"]`)))
	r.step(ctx, "record its removal", chromedp.SendKeys(chromedp.ID("remove-note"), "退職に伴い抹消"),
		chromedp.Click(chromedp.ID("remove-confirmed")), chromedp.Click(chromedp.ID("remove-submit")),
		chromedp.WaitNotPresent(chromedp.ID("remove-submit")), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	state, err := run(ctx, chromedp.Text(chromedp.ID("sysaccount-state")))
	must(t, err)
	if !strings.Contains(state, "抹消済") {
		t.Fatalf("the account's state reads %q", state)
	}
	got, err := r.s.SystemAccounts.Get(bg, r.sys(), leaver.ID)
	must(t, err)
	if got.State != sysaccount.StateRemoved || got.RemovedOn == "" || got.RemovedByName == "" || len(got.Findings) != 0 {
		t.Fatalf("the removal recorded %+v", got)
	}
}
