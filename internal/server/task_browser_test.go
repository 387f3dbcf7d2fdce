package server

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/policy"
	"mamori/internal/task"
)

// TestBrowserTasksKoge runs 上毛町's recurring duties (定期業務) in Chromium on its demo: a
// holder finds an overdue task on their home page and closes one with the evidence its duty
// names, and the 情報セキュリティ管理者 of 企画開発課 (the organisation-wide security role that
// keeps the policy) reads the year's calendar.
func TestBrowserTasksKoge(t *testing.T) {
	r := startPersonas(t, "koge")
	bg := context.Background()
	overdue, _, err := r.s.Tasks.List(bg, r.sys(), task.Filter{Status: task.StatusOverdue, Limit: task.MaxLimit})
	must(t, err)
	// The holder: the first demo account that holds an overdue task whose evidence a page can
	// give without another record (a note, a file or a checklist).
	var login string
	var shown, closing task.Task
	for _, x := range overdue {
		for _, a := range r.accounts {
			if task.MayComplete(r.actor(a.Login), x) != nil {
				continue
			}
			if login == "" {
				login, shown = a.Login, x
			}
			if a.Login == login && x.Evidence != policy.EvidenceLogbook && closing.ID == 0 {
				closing = x
			}
		}
	}
	if login == "" || closing.ID == 0 {
		t.Fatalf("the demo has no overdue task a holder can close: %d overdue", len(overdue))
	}

	ctx := r.open(login, "/")
	home, err := run(ctx, chromedp.Text(chromedp.ID("desk-tasks")))
	must(t, err)
	section, err := run(ctx, chromedp.Evaluate[string](`document.querySelector('[aria-labelledby="desk-tasks"]').innerText`))
	must(t, err)
	if !strings.Contains(home, "期限を過ぎた定期業務") || !strings.Contains(section, shown.Text) || !strings.Contains(section, "期限超過") {
		t.Fatalf("the home page of %s does not show the overdue task %q:\n%s", login, shown.Text, section)
	}

	path := "/tasks/" + strconv.FormatInt(closing.ID, 10)
	r.step(ctx, "open the task", chromedp.Navigate(r.srv.URL+path), chromedp.WaitVisible(chromedp.ID("complete")))
	// Closed without its evidence first: refused, with the message at the field.
	r.step(ctx, "complete without evidence", chromedp.Click(chromedp.CSS(`form[action$="/complete"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	var fs []field
	switch closing.Evidence {
	case policy.EvidenceFile:
		// The harness uploads it as 記録.txt, a kind of file a task accepts.
		fs = append(fs, field{id: "f-file", value: "訓練の記録\n", file: true})
	case policy.EvidenceChecklist:
		for i := range closing.Checklist {
			fs = append(fs, ticked("f-ticked-"+strconv.Itoa(i)))
		}
	}
	fs = append(fs, typed("f-note", "実施し、結果を確認した"))
	r.fill(ctx, fs)
	r.step(ctx, "complete with evidence", chromedp.Click(chromedp.CSS(`form[action$="/complete"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	got, err := r.s.Tasks.Get(bg, r.sys(), closing.ID)
	must(t, err)
	if got.State != task.Done || got.DoneBy == "" {
		t.Fatalf("the task was not closed: %+v", got)
	}
	if closing.Evidence == policy.EvidenceFile && (got.File == nil || got.File.ContentType != "text/plain") {
		t.Fatalf("the file was not kept: %+v", got.File)
	}

	keeper := r.holder("security_manager")
	cal := r.open(keeper, "/tasks/calendar")
	r.step(cal, "the calendar", chromedp.WaitVisible(chromedp.CSS(".task-calendar")))
	text, err := run(cal, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "年間計画") || !strings.Contains(text, "4月") || !strings.Contains(text, "期限超過") ||
		!strings.Contains(text, "緊急時対応を想定した訓練を定期的に実施する") {
		t.Fatalf("the calendar reads:\n%s", text)
	}
}
