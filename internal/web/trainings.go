package web

import (
	"net/http"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/training"
)

// 研修・訓練: the fiscal years' plans, and one plan — its courses with the article each rests
// on and how far each is completed, its sessions and make-up sessions, the form that adds a
// session, and the links to the completion matrix, the attendance import and the exports.

type trainingsData struct {
	Plans   []training.Plan
	Year    int
	Years   []int
	MayPlan bool
	Courses []policy.Course // the pack's courses, from which a plan is made
}

func (w *Server) trainings(rw http.ResponseWriter, r *http.Request) error {
	return w.trainingsPage(rw, r, http.StatusOK, nil)
}

func (w *Server) trainingsPage(rw http.ResponseWriter, r *http.Request, status int, fail error) error {
	ctx, who := r.Context(), stateOf(r).who
	plans, err := w.s.Trainings.Plans(ctx, who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.title", "trainings")
	fy := training.FiscalYear(w.s.Now())
	d := trainingsData{Plans: plans, Year: fy, Years: []int{fy - 1, fy, fy + 1}}
	if p.pack != nil {
		d.MayPlan = training.MayPlan(who, p.pack.Pack) == nil
		d.Courses = p.pack.Training.Courses
	}
	if fail != nil {
		p.withErrors(fail)
	}
	p.Data = d
	w.render(rw, r, status, "trainings", p)
	return nil
}

func (w *Server) trainingPlanCreate(rw http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PostForm.Get("fiscal_year"))
	if err != nil {
		return w.trainingsPage(rw, r, http.StatusUnprocessableEntity, apperr.InvalidField("fiscal_year", "error.number"))
	}
	pl, err := w.s.Trainings.CreatePlan(r.Context(), stateOf(r).who, year)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.trainingsPage(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, trainingPath(pl.ID), "training.flash.planned")
}

func trainingPath(id int64) string { return "/trainings/" + strconv.FormatInt(id, 10) }

type trainingPlanData struct {
	Plan       training.Plan
	Sessions   []training.Session
	Courses    []trainingCourse
	MayPlan    bool
	Schedule   []training.Course // the courses the reader may add a session of
	Oversees   bool
	Routes     []policy.Route // the incident plan a drill rehearses
	PlanCourse map[string]training.Course
}

type trainingCourse struct {
	training.Course
	Sessions []training.Session
}

func (w *Server) trainingPlan(rw http.ResponseWriter, r *http.Request) error {
	return w.trainingPlanPage(rw, r, http.StatusOK, nil)
}

func (w *Server) trainingPlanPage(rw http.ResponseWriter, r *http.Request, status int, fail error) error {
	ctx, who := r.Context(), stateOf(r).who
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pl, err := w.s.Trainings.Plan(ctx, who, id)
	if err != nil {
		return err
	}
	sessions, err := w.s.Trainings.Sessions(ctx, who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.plan.title", "trainings")
	p.Crumbs = []crumb{{p.T("training.title"), "/trainings"}}
	d := trainingPlanData{Plan: pl, Sessions: sessions}
	if p.pack != nil {
		d.MayPlan = training.MayPlan(who, p.pack.Pack) == nil
		d.Oversees = training.Oversees(who, p.pack.Pack)
		d.Routes = p.pack.Incident.Routes
	}
	for _, c := range pl.Courses {
		tc := trainingCourse{Course: c}
		for _, s := range sessions {
			if s.CourseID == c.ID {
				tc.Sessions = append(tc.Sessions, s)
			}
		}
		d.Courses = append(d.Courses, tc)
		if p.pack != nil {
			if pc, ok := p.pack.Course(c.ID); ok && training.MaySchedule(who, p.pack.Pack, pc) == nil {
				d.Schedule = append(d.Schedule, c)
			}
		}
	}
	if fail != nil {
		p.withErrors(fail)
	}
	p.Data = d
	w.render(rw, r, status, "training_plan", p)
	return nil
}

func (w *Server) trainingAssign(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := w.s.Trainings.Assign(r.Context(), stateOf(r).who, id); err != nil {
		return err
	}
	return w.redirect(rw, r, trainingPath(id), "training.flash.assigned")
}

// sessionInput reads a session from the form: the day, the hours (JST), place, instructor and
// the session it makes up for.
func sessionInput(r *http.Request) (training.SessionInput, error) {
	f := r.PostForm
	var v apperr.Validation
	in := training.SessionInput{CourseID: f.Get("course_id"), Place: f.Get("place"), Instructor: f.Get("instructor"), Note: f.Get("note")}
	if in.CourseID == "" {
		v.Add("course_id", "error.required")
	}
	day, err := time.ParseInLocation(time.DateOnly, f.Get("date"), i18n.Tokyo)
	if err != nil {
		v.Add("date", "error.date")
	}
	at := func(field string) time.Time {
		t, err := time.ParseInLocation("15:04", f.Get(field), i18n.Tokyo)
		if err != nil {
			v.Add(field, "training.error.time")
			return time.Time{}
		}
		return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, i18n.Tokyo)
	}
	in.StartsAt, in.EndsAt = at("starts_at"), at("ends_at")
	if s := f.Get("makeup_of"); s != "" {
		in.MakeupOf, err = strconv.ParseInt(s, 10, 64)
		if err != nil {
			v.Add("makeup_of", "training.error.makeup_of")
		}
	}
	return in, v.Err()
}

func (w *Server) trainingSessionCreate(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := sessionInput(r)
	if err == nil {
		var ss training.Session
		ss, err = w.s.Trainings.CreateSession(r.Context(), stateOf(r).who, id, in)
		if err == nil {
			return w.redirect(rw, r, sessionPath(id, ss.ID), "training.flash.session")
		}
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.trainingPlanPage(rw, r, http.StatusUnprocessableEntity, err)
	}
	return err
}

// trainingPlanExport downloads the plan's assignments — one row per person and course, with
// whether and when each was taken — as .xlsx.
func (w *Server) trainingPlanExport(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pl, err := w.s.Trainings.Plan(ctx, who, id)
	if err != nil {
		return err
	}
	list, err := w.s.Trainings.Assignments(ctx, who, training.Filter{PlanID: id, Course: r.URL.Query().Get("course")})
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.plan.title", "trainings")
	return sendXLSX(rw, "training-"+strconv.Itoa(pl.FiscalYear), p.T("training.export.sheet"), assignmentHeader(p), assignmentRows(p, list))
}

func assignmentHeader(p *page) []string {
	return []string{p.T("training.field.course"), p.T("staff.employee_no"), p.T("staff.name"), p.T("staff.department"),
		p.T("staff.employment"), p.T("training.field.reason"), p.T("training.field.due_on"), p.T("training.field.completed_on"),
		p.T("training.field.how"), p.T("training.field.recorded_by")}
}

func assignmentRows(p *page, list []training.Assignment) [][]any {
	rows := make([][]any, 0, len(list))
	for _, a := range list {
		how := ""
		if a.How != "" {
			how = p.T("training.how." + a.How)
		}
		rows = append(rows, []any{a.CourseName, a.EmployeeNo, a.Name, a.Department, p.T("staff.employment." + a.Employment),
			p.T("training.reason." + a.Reason), a.DueOn, a.CompletedOn, how, a.RecordedBy})
	}
	return rows
}

// trainingsExport downloads the list of plans with their courses' completion.
func (w *Server) trainingsExport(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	plans, err := w.s.Trainings.Plans(ctx, who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.title", "trainings")
	var rows [][]any
	for _, x := range plans {
		pl, err := w.s.Trainings.Plan(ctx, who, x.ID)
		if err != nil {
			return err
		}
		for _, c := range pl.Courses {
			rows = append(rows, []any{pl.FiscalYear, c.Name, p.T("training.format." + c.Format), c.RunByName, c.DueOn, c.Cite,
				c.Assigned, c.Completed, c.Overdue})
		}
	}
	header := []string{p.T("training.field.fiscal_year"), p.T("training.field.course"), p.T("training.field.format"),
		p.T("training.field.run_by"), p.T("training.field.due_on"), p.T("training.field.cite"), p.T("training.field.assigned"),
		p.T("training.field.completed"), p.T("training.field.overdue")}
	return sendXLSX(rw, "trainings", p.T("training.title"), header, rows)
}
