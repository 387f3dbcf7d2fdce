package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/training"
)

// 研修・訓練. The training service decides who reads and acts: a plan, its courses and sessions
// are read by every member of the organisation; a person's assignments by the person, their
// department's 課長, those who run the course and those who oversee the organisation's
// training; plans, sessions and imports are made by the roles the pack names.

type trainingPlanInput struct {
	FiscalYear int `json:"fiscal_year"`
}

type trainingSessionInput struct {
	CourseID   string    `json:"course_id"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Place      string    `json:"place"`
	Instructor string    `json:"instructor,omitempty"`
	MakeupOf   int64     `json:"makeup_of,omitempty"` // the session this one makes up for (補講)
	Note       string    `json:"note,omitempty"`
}

type rollCallInput struct {
	Present []int64 `json:"present"` // staff ids of those present
}

type rollCallResult struct {
	Changed int `json:"changed"`
}

// trainingRoll is a session with its roll.
type trainingRoll struct {
	Session training.Session      `json:"session"`
	Roll    []training.Assignment `json:"roll"`
}

type trainingUploadInput struct {
	FileName   string `json:"file_name"`
	FileBase64 string `json:"file_base64"`
}

type trainingCheckInput struct {
	Fields []string `json:"fields,omitempty"` // the field of each column in order (employee_no, course, completed_on or "-"); empty keeps the guess
}

func trainingPath(id int64) string { return "/api/v1/trainings/" + strconv.FormatInt(id, 10) }

func (a *api) listTrainingPlans(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Trainings.Plans(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) createTrainingPlan(w http.ResponseWriter, r *http.Request) error {
	var in trainingPlanInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	pl, err := a.s.Trainings.CreatePlan(r.Context(), actor(r), in.FiscalYear)
	if err != nil {
		return err
	}
	return created(w, trainingPath(pl.ID), pl)
}

func (a *api) getTrainingPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pl, err := a.s.Trainings.Plan(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, pl)
}

func (a *api) assignTraining(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := a.s.Trainings.Assign(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, res)
}

func (a *api) listTrainingSessions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.s.Trainings.Plan(r.Context(), actor(r), id); err != nil {
		return err
	}
	list, err := a.s.Trainings.Sessions(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) createTrainingSession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in trainingSessionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	ss, err := a.s.Trainings.CreateSession(r.Context(), actor(r), id, training.SessionInput{CourseID: in.CourseID, StartsAt: in.StartsAt,
		EndsAt: in.EndsAt, Place: in.Place, Instructor: in.Instructor, MakeupOf: in.MakeupOf, Note: in.Note})
	if err != nil {
		return err
	}
	return created(w, trainingPath(id)+"/sessions/"+strconv.FormatInt(ss.ID, 10), ss)
}

// sessionOf reads the session of the path, not found when it is of another plan.
func (a *api) sessionOf(r *http.Request) (training.Session, []training.Assignment, error) {
	planID, err := pathID(r)
	if err != nil {
		return training.Session{}, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("session"), 10, 64)
	if err != nil {
		return training.Session{}, nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	ss, roll, err := a.s.Trainings.Roster(r.Context(), actor(r), id)
	if err == nil && ss.PlanID != planID {
		err = apperr.New(apperr.NotFound, "training.error.session_missing")
	}
	return ss, roll, err
}

func (a *api) getTrainingSession(w http.ResponseWriter, r *http.Request) error {
	ss, roll, err := a.sessionOf(r)
	if err != nil {
		return err
	}
	return ok(w, trainingRoll{Session: ss, Roll: roll})
}

func (a *api) rollCall(w http.ResponseWriter, r *http.Request) error {
	ss, _, err := a.sessionOf(r)
	if err != nil {
		return err
	}
	var in rollCallInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	n, err := a.s.Trainings.RollCall(r.Context(), actor(r), ss.ID, in.Present)
	if err != nil {
		return err
	}
	return ok(w, rollCallResult{Changed: n})
}

// listTrainingAssignments lists the plan's assignments the caller reads: course, department_id,
// employment, missing=true (not taken), overdue=true (not taken, past due).
func (a *api) listTrainingAssignments(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.s.Trainings.Plan(r.Context(), actor(r), id); err != nil {
		return err
	}
	q := r.URL.Query()
	f := training.Filter{PlanID: id, Course: q.Get("course"), Employment: q.Get("employment"), Missing: isTrue(q.Get("missing")),
		Overdue: isTrue(q.Get("overdue"))}
	if d := q.Get("department_id"); d != "" {
		if f.DepartmentID, err = strconv.ParseInt(d, 10, 64); err != nil {
			return apperr.InvalidField("department_id", "error.number")
		}
	}
	list, err := a.s.Trainings.Assignments(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) trainingMatrix(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.s.Trainings.Matrix(r.Context(), actor(r), id, r.URL.Query().Get("course"))
	if err != nil {
		return err
	}
	return ok(w, m)
}

func (a *api) uploadTrainingImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in trainingUploadInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	body, err := base64.StdEncoding.DecodeString(in.FileBase64)
	if err != nil || len(body) == 0 {
		return apperr.InvalidField("file_base64", "import.error.no_file")
	}
	im, err := a.s.Trainings.Upload(r.Context(), actor(r), id, in.FileName, body)
	if err != nil {
		return err
	}
	return created(w, trainingPath(id)+"/imports/"+strconv.FormatInt(im.ID, 10), im)
}

// importOf is the caller's upload of the path, not found when it is of another plan.
func (a *api) importOf(r *http.Request) (training.Import, error) {
	planID, err := pathID(r)
	if err != nil {
		return training.Import{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("import"), 10, 64)
	if err != nil {
		return training.Import{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	im, err := a.s.Trainings.GetImport(r.Context(), actor(r), id)
	if err == nil && im.PlanID != planID {
		err = apperr.New(apperr.NotFound, "training.error.import_missing")
	}
	return im, err
}

func (a *api) getTrainingImport(w http.ResponseWriter, r *http.Request) error {
	im, err := a.importOf(r)
	if err != nil {
		return err
	}
	return ok(w, im)
}

func (a *api) checkTrainingImport(w http.ResponseWriter, r *http.Request) error {
	im, err := a.importOf(r)
	if err != nil {
		return err
	}
	var in trainingCheckInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	checked, err := a.s.Trainings.Check(r.Context(), actor(r), im.ID, in.Fields)
	if err != nil {
		return err
	}
	return ok(w, checked)
}

func (a *api) applyTrainingImport(w http.ResponseWriter, r *http.Request) error {
	im, err := a.importOf(r)
	if err != nil {
		return err
	}
	applied, err := a.s.Trainings.Apply(r.Context(), actor(r), im.ID)
	if err != nil {
		return err
	}
	return ok(w, applied)
}

func (a *api) myTraining(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Trainings.Mine(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

type trainingConfirmInput struct {
	AssignmentID int64 `json:"assignment_id"`
}

func (a *api) confirmTraining(w http.ResponseWriter, r *http.Request) error {
	var in trainingConfirmInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	as, err := a.s.Trainings.Confirm(r.Context(), actor(r), in.AssignmentID)
	if err != nil {
		return err
	}
	return ok(w, as)
}
