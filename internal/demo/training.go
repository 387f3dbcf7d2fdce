package demo

import (
	"fmt"
	"strings"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/training"
)

// The demo's 研修・訓練: a few members become 会計年度任用職員, 非常勤職員 and a contractor's
// worker, two are hired and two transferred at the start of the fiscal year; the year's plan is
// made from the pack's courses, and each course already due has a session whose roll call leaves
// every fourth person absent, a make-up session for the first classroom course that brings back
// half of them, and e-learning completions imported from a sheet — so that the completion
// matrix, the 課長's desk and the committee's report show both attendance and gaps. The members
// who sign in without a role are left their e-learning to confirm on their own page.
func (b *builder) training(p *policy.Compiled) error {
	if len(p.Training.Courses) == 0 || len(b.members) < 8 {
		return nil
	}
	now := b.s.Now()
	fy := training.FiscalYear(now)
	start := time.Date(fy, time.April, 1, 0, 0, 0, 0, i18n.Tokyo).Format(time.DateOnly)
	db := b.s.DB.SQL
	exec := func(q string, args ...any) error {
		_, err := db.ExecContext(b.ctx, q, args...)
		return err
	}
	// The members are listed department by department; take a few from the end, who hold no
	// post, for the other kinds of employment and for the year's joiners.
	var plain []*member
	for _, m := range b.members {
		if !m.head && len(m.roles) == 0 {
			plain = append(plain, m)
		}
	}
	if len(plain) < 7 {
		return nil
	}
	for i, e := range []string{"fiscal_year", "fiscal_year", "part_time", "contractor"} {
		if err := exec(`UPDATE staff SET employment = $1 WHERE id = $2`, e, plain[len(plain)-1-i].id); err != nil {
			return fmt.Errorf("demo training: %w", err)
		}
	}
	for _, m := range plain[:2] {
		if err := exec(`UPDATE staff SET hired_on = $1 WHERE id = $2`, start, m.id); err != nil {
			return fmt.Errorf("demo training: %w", err)
		}
	}
	for _, m := range plain[2:4] {
		to := b.depts[m.dept]
		if err := exec(`INSERT INTO staff_moves (org_id, staff_id, kind, to_department_id, effective_on, source, created_at)
			VALUES ($1, $2, 'transfer', $3, $4, 'manual', $5)`, b.sys.OrgID, m.id, to, start, now); err != nil {
			return fmt.Errorf("demo training: %w", err)
		}
	}
	pl, err := b.s.Trainings.CreatePlan(b.ctx, b.sys, fy)
	if err != nil {
		return fmt.Errorf("demo training plan: %w", err)
	}
	today := now.In(i18n.Tokyo).Format(time.DateOnly)
	// The members who sign in without a role keep their e-learning to confirm themselves.
	keep := map[int64]bool{}
	for _, m := range b.logins() {
		if len(m.roles) == 0 {
			keep[m.id] = true
		}
	}
	var sheet strings.Builder
	sheet.WriteString("職員番号,研修,受講日\n")
	imported := 0
	madeup := false
	for _, c := range pl.Courses {
		held := c.DueOn[:8] + "10" // the 10th of the due month
		if held > today {
			continue // not yet held: its people are not overdue either
		}
		list, err := b.s.Trainings.Assignments(b.ctx, b.sys, training.Filter{PlanID: pl.ID, Course: c.ID})
		if err != nil {
			return err
		}
		if c.Format == policy.FormatELearning {
			for i, a := range list {
				if i%4 != 3 && !keep[a.StaffID] {
					fmt.Fprintf(&sheet, "%s,%s,%s\n", a.EmployeeNo, c.Name, held)
					imported++
				}
			}
			continue
		}
		day, _ := time.ParseInLocation(time.DateOnly, held, i18n.Tokyo)
		at := day.Add(14 * time.Hour)
		ss, err := b.s.Trainings.CreateSession(b.ctx, b.sys, pl.ID, training.SessionInput{CourseID: c.ID, StartsAt: at,
			EndsAt: at.Add(90 * time.Minute), Place: "本庁舎 大会議室", Instructor: c.RunByName})
		if err != nil {
			return fmt.Errorf("demo training session %s: %w", c.ID, err)
		}
		var present, absent []int64
		for i, a := range list {
			if i%4 == 3 {
				absent = append(absent, a.StaffID)
			} else {
				present = append(present, a.StaffID)
			}
		}
		if _, err := b.s.Trainings.RollCall(b.ctx, b.sys, ss.ID, present); err != nil {
			return fmt.Errorf("demo roll call %s: %w", c.ID, err)
		}
		if madeup || len(absent) < 2 || c.Format != policy.FormatClassroom {
			continue
		}
		madeup = true
		later := at.AddDate(0, 0, 14)
		if later.After(now) {
			continue
		}
		mk, err := b.s.Trainings.CreateSession(b.ctx, b.sys, pl.ID, training.SessionInput{CourseID: c.ID, StartsAt: later,
			EndsAt: later.Add(90 * time.Minute), Place: "本庁舎 小会議室", Instructor: c.RunByName, MakeupOf: ss.ID, Note: "欠席者のための補講"})
		if err != nil {
			return fmt.Errorf("demo make-up session: %w", err)
		}
		if _, err := b.s.Trainings.RollCall(b.ctx, b.sys, mk.ID, absent[:len(absent)/2]); err != nil {
			return fmt.Errorf("demo make-up roll call: %w", err)
		}
	}
	if imported == 0 {
		return nil
	}
	im, err := b.s.Trainings.Upload(b.ctx, b.sys, pl.ID, "eラーニング受講記録.csv", []byte(sheet.String()))
	if err != nil {
		return fmt.Errorf("demo attendance upload: %w", err)
	}
	if im, err = b.s.Trainings.Check(b.ctx, b.sys, im.ID, nil); err != nil {
		return fmt.Errorf("demo attendance check: %w", err)
	}
	if len(im.Report.Errors) > 0 {
		return fmt.Errorf("demo attendance sheet: %+v", im.Report.Errors[0])
	}
	_, err = b.s.Trainings.Apply(b.ctx, b.sys, im.ID)
	return err
}
