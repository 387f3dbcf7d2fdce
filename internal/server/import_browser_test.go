package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/store/storetest"
)

// importSheet writes a 課's register to a file: 呼称 (the name) is not recognised and 区分 (the
// 重要度) is taken for the network segment, so the mapping step corrects both; row 3 has a
// level the pack lacks.
func importSheet(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "台帳.csv")
	csv := "管理番号,呼称,種別,担当課,区分\r\nPC-001,業務用端末 1,端末,総務課,A\r\nPC-002,業務用端末 2,端末,総務課,Z\r\n"
	must(t, os.WriteFile(p, []byte(csv), 0o600))
	return p
}

// importSteps takes the signed-in browser from the register to the dry run's report of file,
// through the upload form and the mapping step; visit is called on each page as it shows.
func importSteps(t *testing.T, ctx context.Context, base, file string, visit func(name string)) {
	t.Helper()
	must(t, do(ctx,
		chromedp.Navigate(base+"/assets"),
		chromedp.Click(chromedp.CSS(`main a[href="/assets/import"]`)),
		chromedp.WaitVisible(chromedp.ID("f-file")),
	))
	visit("/assets/import")
	must(t, do(ctx,
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		chromedp.Submit(chromedp.ID("f-file")),
		chromedp.WaitVisible(chromedp.ID("f-col-1")),
	))
	visit("import mapping")
	must(t, do(ctx,
		chromedp.SetValue(chromedp.ID("f-col-1"), "name"),
		chromedp.SetValue(chromedp.ID("f-col-4"), "class.importance"),
		chromedp.Submit(chromedp.ID("f-col-1")),
		chromedp.WaitVisible(chromedp.CSS("#problems")),
	))
	visit("import report")
}

// runElsewhere makes the organisation's latest import look as if another server process were
// applying it, with a fresh heartbeat, and returns its page.
func runElsewhere(t *testing.T, s *app.Services) string {
	t.Helper()
	var id string
	must(t, s.DB.SQL.QueryRow(`SELECT CAST(max(id) AS TEXT) FROM import_jobs`).Scan(&id))
	_, err := s.DB.SQL.Exec(`UPDATE import_jobs SET state = 'applying', runner = 'elsewhere', heartbeat_at = $1 WHERE id = $2`,
		time.Now().UTC(), id)
	must(t, err)
	return "/assets/import/jobs/" + id
}

// TestBrowserImport drives Chromium through an import: the link on the register, the upload,
// the mapping corrected, a dry run with a bad row, registering the valid row; then the progress
// page of a job another process runs, which reloads itself to the report when the job ends.
func TestBrowserImport(t *testing.T) {
	ctx := browserContext(t)
	s, srv, temp := start(t, storetest.SQLite(t))
	bg := context.Background()
	o, _ := s.Org.First(bg)
	sys := access.System(o.ID, "test")
	_, err := s.Policy.Use(bg, sys, "kishiwada")
	must(t, err)
	_, err = s.Org.CreateDepartment(bg, sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true})
	must(t, err)
	firstSignIn(t, ctx, srv.URL, temp)

	text := func(sel string) string {
		t.Helper()
		s, err := run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(t, err)
		return s
	}
	importSteps(t, ctx, srv.URL, importSheet(t), func(string) {})
	if report := text("main"); !strings.Contains(report, "1 行にエラーがあります") || !strings.Contains(report, "区分") {
		t.Fatalf("report: %s", report)
	}
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/apply"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")), // through the progress page if the apply is still running
	))
	if done := text("main"); !strings.Contains(done, "1 件の資産を台帳に登録しました") {
		t.Fatalf("after the apply: %s", done)
	}
	list, total, err := s.Assets.List(bg, sys, asset.Filter{})
	must(t, err)
	if total != 1 || list[0].Number != "PC-001" {
		t.Fatalf("register: %d assets, %+v", total, list)
	}

	job := runElsewhere(t, s)
	must(t, do(ctx, chromedp.Navigate(srv.URL+job), chromedp.WaitVisible(chromedp.ID("import-progress"))))
	_, err = s.DB.SQL.Exec(`UPDATE import_jobs SET state = 'applied', heartbeat_at = NULL`)
	must(t, err)
	must(t, do(ctx, chromedp.WaitVisible(chromedp.CSS(".notice--success")))) // the script saw the end and reloaded
}
