package server

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/policy"
	"mamori/internal/training"
)

// TestBrowserTrainingKishiwada runs 岸和田市's 研修・訓練 in Chromium on its demo: the CISO, who
// plans training (第2章 4(4)①), adds a make-up session of a course people still miss and takes
// its roll call; a 職員 confirms on their own page that they took an e-learning module; and a
// 情報セキュリティ責任者 (the 課長) sees who in their department is still missing.
func TestBrowserTrainingKishiwada(t *testing.T) {
	r := startPersonas(t, "kishiwada")
	bg := context.Background()
	pl, err := r.s.Trainings.PlanFor(bg, r.sys(), training.FiscalYear(r.s.Now()))
	must(t, err)
	var course training.Course
	for _, c := range pl.Courses {
		if c.Format != policy.FormatELearning && c.Completed < c.Assigned && course.ID == "" {
			course = c
		}
	}
	if course.ID == "" {
		t.Fatalf("the demo's plan has no classroom course with people missing: %+v", pl.Courses)
	}

	// The person who runs training plans a session and takes roll call.
	planner := r.holder("ciso")
	planPath := "/trainings/" + strconv.FormatInt(pl.ID, 10)
	ctx := r.open(planner, planPath)
	r.fill(ctx, []field{chosen("f-course_id", course.ID), chosen("f-date", day(-1)), chosen("f-starts_at", "14:00"),
		chosen("f-ends_at", "13:00"), typed("f-place", "本庁舎 小会議室"), typed("f-instructor", "ＣＩＳＯ補佐")})
	r.step(ctx, "a session ending before it starts", chromedp.Click(chromedp.CSS(`form[action$="/sessions"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	summary, err := run(ctx, chromedp.Text(chromedp.CSS(".error-summary")))
	must(t, err)
	if !strings.Contains(summary, "終了時刻は開始時刻より後にしてください") {
		t.Fatalf("the refusal does not name the end time:\n%s", summary)
	}
	r.fill(ctx, []field{chosen("f-course_id", course.ID), chosen("f-date", day(-1)), chosen("f-starts_at", "14:00"), chosen("f-ends_at", "15:30")})
	r.step(ctx, "add the session", chromedp.Click(chromedp.CSS(`form[action$="/sessions"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.ID("roll")))
	session := r.idIn(ctx, "/sessions/")
	// Opened again, without the notice of the session added, so that the next notice is the roll call's.
	r.step(ctx, "open the session", chromedp.Navigate(r.srv.URL+planPath+"/sessions/"+strconv.FormatInt(session, 10)),
		chromedp.WaitVisible(chromedp.ID("roll")))
	r.step(ctx, "tick the first on the roll and save", chromedp.Click(chromedp.CSS(`input[name="present"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/roll-call"] .btn--primary`)), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	_, roll, err := r.s.Trainings.Roster(bg, r.sys(), session)
	must(t, err)
	attended := 0
	for _, a := range roll {
		if a.SessionID == session && a.CompletedOn != "" {
			attended++
		}
	}
	if attended != 1 {
		t.Fatalf("the roll call recorded %d attendances, want 1", attended)
	}

	// A 職員 confirms an e-learning module on their own page.
	var clerk string
	var module training.Assignment
	for _, a := range r.accounts {
		mine, err := r.s.Trainings.Mine(bg, r.actor(a.Login))
		must(t, err)
		for _, x := range mine {
			if x.Format == policy.FormatELearning && x.CompletedOn == "" && x.Employment == "regular" && clerk == "" {
				clerk, module = a.Login, x
			}
		}
	}
	if clerk == "" {
		t.Fatal("no demo account has an e-learning module still to take")
	}
	ctx = r.open(clerk, "/my/training")
	r.step(ctx, "confirm the module", chromedp.Click(chromedp.CSS(`form[action="/my/training/`+strconv.FormatInt(module.ID, 10)+`/confirm"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	mine, err := r.s.Trainings.Mine(bg, r.actor(clerk))
	must(t, err)
	for _, x := range mine {
		if x.ID == module.ID && (x.CompletedOn == "" || x.How != training.HowSelf) {
			t.Fatalf("the confirmation was not recorded: %+v", x)
		}
	}

	// The 課長 sees who in their department is missing: on the home page and in the matrix.
	var chief, missing string
	for _, a := range r.accounts {
		who := r.actor(a.Login)
		if training.Oversees(who, r.pack()) {
			continue
		}
		list, n, err := r.s.Trainings.DepartmentOverdue(bg, who, 10)
		must(t, err)
		if n > 0 && chief == "" {
			chief, missing = a.Login, list[0].Name
		}
	}
	if chief == "" {
		t.Fatal("no 課長 of the demo has anyone overdue in their department")
	}
	ctx = r.open(chief, "/")
	desk, err := run(ctx, chromedp.Evaluate[string](`document.querySelector('[aria-labelledby="desk-training"]').innerText`))
	must(t, err)
	if !strings.Contains(desk, "所属の職員で期限を過ぎても受講していない研修") || !strings.Contains(desk, missing) {
		t.Fatalf("the 課長's home does not name %s:\n%s", missing, desk)
	}
	ctx = r.open(chief, planPath+"/matrix")
	text, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "未受講者") || !strings.Contains(text, missing) {
		t.Fatalf("the matrix does not name %s:\n%.2000s", missing, text)
	}
}

// pack is the demo organisation's pack.
func (r *personaRun) pack() *policy.Pack {
	p, _, err := r.s.Policy.Active(context.Background(), r.orgID)
	must(r.t, err)
	return p.Pack
}
