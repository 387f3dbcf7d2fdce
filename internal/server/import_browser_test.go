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
	"mamori/internal/assetio"
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

// TestBrowserImportUpdates drives Chromium through the Excel habit: the register exported (as
// its export route writes it), two rows edited, the file imported again with the update
// option the mapping step offers; the dry run shows the two changes old → new and nothing
// else, and registering writes exactly them.
func TestBrowserImportUpdates(t *testing.T) {
	ctx := browserContext(t)
	s, srv, temp := start(t, storetest.SQLite(t))
	bg := context.Background()
	o, _ := s.Org.First(bg)
	sys := access.System(o.ID, "test")
	_, err := s.Policy.Use(bg, sys, "kishiwada")
	must(t, err)
	d, err := s.Org.CreateDepartment(bg, sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true})
	must(t, err)
	for _, n := range []string{"PC-001", "PC-002", "PC-003"} {
		_, err := s.Assets.Create(bg, sys, asset.Input{Number: n, Name: "業務用端末 " + n, Kind: "terminal", DepartmentID: d.ID,
			Class: map[string]string{"importance": "B"}, Zone: "L2", Location: "本庁舎2階"})
		must(t, err)
	}
	var b strings.Builder
	must(t, assetio.Export(bg, s.Assets, sys, asset.Filter{}, assetio.CSV, &b))
	edited := strings.Replace(b.String(), "業務用端末 PC-001", "業務用端末 PC-001（予備機）", 1)
	edited = strings.Replace(edited, "PC-003,業務用端末 PC-003,端末,総務課,100,,B,,区画L2,本庁舎2階", "PC-003,業務用端末 PC-003,端末,総務課,100,,A,,区画L2,本庁舎3階", 1)
	if strings.Count(edited, "（予備機）") != 1 || !strings.Contains(edited, "本庁舎3階") {
		t.Fatalf("the export is not as the test expects:\n%s", b.String())
	}
	file := filepath.Join(t.TempDir(), "台帳.csv")
	must(t, os.WriteFile(file, []byte(edited), 0o600))
	firstSignIn(t, ctx, srv.URL, temp)

	must(t, do(ctx,
		chromedp.Navigate(srv.URL+"/assets/import"),
		chromedp.WaitVisible(chromedp.ID("f-file")),
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		chromedp.Submit(chromedp.ID("f-file")),
		chromedp.WaitVisible(chromedp.ID("f-update")),
	))
	checked, err := run(ctx, chromedp.Evaluate[bool](`document.getElementById("f-update").checked`))
	must(t, err)
	if !checked {
		t.Fatal("the update option is not on by default")
	}
	must(t, do(ctx,
		chromedp.Submit(chromedp.ID("f-update")),
		chromedp.WaitVisible(chromedp.CSS("#outcomes")),
	))
	rows, err := run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#outcomes + .table-wrap tbody tr")].map(r => r.innerText.replace(/\s+/g, " ").trim())`))
	must(t, err)
	want := []string{
		"2 PC-001 変更 名称: 業務用端末 PC-001 → 業務用端末 PC-001（予備機）",
		"4 PC-003 変更 重要度: B → A 設置場所: 本庁舎2階 → 本庁舎3階",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the dry run shows\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	must(t, do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/apply"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	))
	list, _, err := s.Assets.List(bg, sys, asset.Filter{})
	must(t, err)
	got := map[string]asset.Asset{}
	for _, a := range list {
		got[a.Number] = a
	}
	if got["PC-001"].Name != "業務用端末 PC-001（予備機）" || got["PC-003"].Class["importance"] != "A" || got["PC-003"].Location != "本庁舎3階" ||
		got["PC-002"].Name != "業務用端末 PC-002" || !got["PC-002"].UpdatedAt.Equal(got["PC-002"].CreatedAt) {
		t.Fatalf("register after the import: %+v", got)
	}
}
