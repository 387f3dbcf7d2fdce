package server

import (
	"context"
	"time"

	"mamori/internal/access"
	"mamori/internal/training"
)

// What the matrix plants of 研修・訓練: each organisation's plan with a session whose note only its
// own people may read, an attendance sheet uploaded by the program (a stranger to every actor,
// since an upload is read by its uploader alone), and X's clerk's e-learning assignment, which
// only the clerk confirms.
var seesOrg1 = set(staffX, staffY, secMgrX, cisoKey, auditor, platform, netAdmin)

func (m *matrix) plantTraining(ctx context.Context) {
	fy := training.FiscalYear(m.s.Now())
	plan := func(sys access.Actor, tag string, seenBy map[string]bool) training.Plan {
		pl, err := m.s.Trainings.CreatePlan(ctx, sys, fy)
		m.must(err, "training plan "+tag)
		m.addRecord("training_plan", pl.ID, "training plan "+tag, seenBy)
		at := time.Date(fy, 7, 1, 4, 0, 0, 0, time.UTC)
		ss, err := m.s.Trainings.CreateSession(ctx, sys, pl.ID, training.SessionInput{CourseID: pl.Courses[0].ID, StartsAt: at,
			EndsAt: at.Add(time.Hour), Place: "会議室", Note: m.plant("CNRY-TRSESSION-"+tag+"-Q", "training session "+tag+": note", seenBy)})
		m.must(err, "training session "+tag)
		m.addRecord("training_session", ss.ID, "training session "+tag, seenBy)
		return pl
	}
	pl := plan(m.sys, "1", seesOrg1)
	plan(access.System(m.org2, "test"), "2", seesOther)
	im, err := m.s.Trainings.Upload(ctx, m.sys, pl.ID, m.plant("CNRY-TRIMPORT-FILE-Q", "attendance upload: file name", set(platform, cisoKey, auditor))+".csv",
		[]byte("職員番号,研修,受講日\nX-1,all-staff,2026/7/1\n"))
	m.must(err, "training import")
	m.addRecord("training_import", im.ID, "the program's attendance upload", set())
	var id int64
	err = m.s.DB.SQL.QueryRowContext(ctx, `SELECT id FROM training_assignments WHERE plan_id = $1 AND staff_id = $2 AND course_id = 'all-staff'`,
		pl.ID, m.stXID).Scan(&id)
	m.must(err, "X's clerk's assignment")
	m.addRecord("training_assignment", id, "X's clerk's e-learning", set(staffX))
	for _, kind := range []string{"training_plan", "training_session", "training_import", "training_assignment"} {
		m.addParam(kind, "987654", "an id that names nothing")
	}
}
