package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/i18n"
)

// TestBrowserTransfer: the 情報政策課 (an administrator of the organisation) uploads the 人事異動
// list with a department that does not exist, reads the error on the row, uploads the corrected
// list, reads the dry run — the department changes and the role of the old post ends — and
// applies it; the staff record then shows the new department and its move, and the role
// assignment of the old post has ended the day before.
func TestBrowserTransfer(t *testing.T) {
	r := startPersonas(t, "koge")
	office := r.holder("chief")
	bg := context.Background()
	_, err := r.s.DB.SQL.ExecContext(bg, `UPDATE users SET platform_admin = TRUE WHERE login = $1`, office)
	must(t, err)

	// A member of staff holding a department role today, and another department to move to.
	var staffID, assignID int64
	var no, name, from string
	must(t, r.s.DB.SQL.QueryRowContext(bg, `SELECT s.id, s.employee_no, s.name, d.name, a.id FROM role_assignments a
		JOIN staff s ON s.id = a.holder_staff_id JOIN departments d ON d.id = a.department_id
		WHERE a.org_id = $1 AND a.scope = 'department' AND a.valid_to = '' AND s.active = TRUE ORDER BY a.id LIMIT 1`, r.orgID).
		Scan(&staffID, &no, &name, &from, &assignID))
	var to string
	must(t, r.s.DB.SQL.QueryRowContext(bg, `SELECT name FROM departments WHERE org_id = $1 AND name <> $2 AND kind = 'section' ORDER BY id LIMIT 1`,
		r.orgID, from).Scan(&to))
	today := time.Now().In(i18n.Tokyo)
	day := today.Format("2006/1/2")
	dir := t.TempDir()
	write := func(file, dept string) string {
		p := filepath.Join(dir, file)
		csv := "職員番号,氏名,異動区分,旧所属,新所属,新職名,発令日\r\n" + strings.Join([]string{no, name, "異動", from, dept, "主幹", day}, ",") + "\r\n"
		must(t, os.WriteFile(p, []byte(csv), 0o600))
		return p
	}
	upload := func(ctx context.Context, what, file string) {
		r.step(ctx, what,
			chromedp.WaitVisible(chromedp.ID("f-file")),
			chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
			chromedp.Submit(chromedp.ID("f-file")),
			chromedp.WaitVisible(chromedp.ID("rows-caption")),
		)
	}
	mainText := func(ctx context.Context) string {
		text, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
		must(t, err)
		return text
	}

	ctx := r.open(office, "/transfers")
	upload(ctx, "upload the list with an unknown department", write("人事異動.csv", "観光振興課"))
	if text := mainText(ctx); !strings.Contains(text, "所属「観光振興課」は登録されていません") || !strings.Contains(text, "1行に誤りがあります") {
		t.Fatalf("the dry run does not name the unknown department:\n%.2000s", text)
	}
	if n, _ := run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/apply"]').length`)); n != 0 {
		t.Fatal("a list with a wrong row offers to be applied")
	}
	ctx = r.open(office, "/transfers")
	upload(ctx, "upload the corrected list", write("人事異動（訂正）.csv", to))
	text := mainText(ctx)
	for _, want := range []string{"所属を変更する", "役割を前日で終了", from + "（", "→ " + to} {
		if !strings.Contains(text, want) {
			t.Fatalf("the dry run lacks %q:\n%.2000s", want, text)
		}
	}
	r.step(ctx, "apply the list",
		chromedp.Click(chromedp.CSS(`form[action$="/apply"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	if text := mainText(ctx); !strings.Contains(text, "適用済み") || !strings.Contains(text, "発令済み") {
		t.Fatalf("the list does not say it was applied:\n%.2000s", text)
	}
	ctx = r.open(office, fmt.Sprintf("/staff/%d/edit", staffID))
	dept, err := run(ctx, chromedp.Evaluate[string](`document.querySelector('#f-department_id option:checked').textContent`))
	must(t, err)
	if strings.TrimSpace(strings.TrimLeft(dept, "　└ ")) != to {
		t.Fatalf("the staff record's department is %q, want %q", dept, to)
	}
	if text := mainText(ctx); !strings.Contains(text, "異動の履歴") || !strings.Contains(text, from) || !strings.Contains(text, "→ "+to) {
		t.Fatalf("the staff page lacks the move:\n%.2000s", text)
	}
	var validTo string
	must(t, r.s.DB.SQL.QueryRowContext(bg, `SELECT valid_to FROM role_assignments WHERE id = $1`, assignID).Scan(&validTo))
	if want := today.AddDate(0, 0, -1).Format(time.DateOnly); validTo != want {
		t.Fatalf("the old post's role ends %q, want %q", validTo, want)
	}
	ctx = r.open(office, "/roles")
	if text := mainText(ctx); !strings.Contains(text, "担当者のいない役割") {
		t.Fatalf("the roles page does not show the role left vacant:\n%.2000s", text)
	}
}
