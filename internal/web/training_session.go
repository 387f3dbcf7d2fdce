package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/training"
)

// One session (開催) of a course: its day, place and instructor, and the roll — everyone
// assigned the course whom the reader reads and who has not taken it elsewhere — ticked by
// whoever runs it; the same roll as an A4 出席簿 to sign on paper.

type trainingSessionData struct {
	Session   training.Session
	Roll      []training.Assignment
	MayRecord bool
	PrintedOn string
	Present   int
}

func (w *Server) trainingSessionData(r *http.Request) (*page, trainingSessionData, error) {
	ctx, who := r.Context(), stateOf(r).who
	planID, id, err := sessionIDs(r)
	if err != nil {
		return nil, trainingSessionData{}, err
	}
	ss, roll, err := w.s.Trainings.Roster(ctx, who, id)
	if err == nil && ss.PlanID != planID {
		err = apperr.New(apperr.NotFound, "training.error.session_missing")
	}
	if err != nil {
		return nil, trainingSessionData{}, err
	}
	p := w.newPage(r, "training.session.title", "trainings")
	p.Crumbs = []crumb{{p.T("training.title"), "/trainings"}, {p.T("training.plan.title"), trainingPath(ss.PlanID)}}
	d := trainingSessionData{Session: ss, Roll: roll, PrintedOn: p.Date(w.s.Now())}
	if p.pack != nil {
		if c, ok := p.pack.Course(ss.CourseID); ok {
			d.MayRecord = training.MaySchedule(who, p.pack.Pack, c) == nil
		}
	}
	for _, a := range roll {
		if a.SessionID == ss.ID {
			d.Present++
		}
	}
	return p, d, nil
}

func (w *Server) trainingSession(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.trainingSessionData(r)
	if err != nil {
		return err
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "training_session", p)
	return nil
}

// trainingAttendancePrint is the session's 出席簿 on A4: the roll with a column to sign.
func (w *Server) trainingAttendancePrint(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.trainingSessionData(r)
	if err != nil {
		return err
	}
	p.Title = "training.print.attendance"
	p.Data = d
	w.render(rw, r, http.StatusOK, "training_attendance_print", p)
	return nil
}

func (w *Server) trainingRollCall(rw http.ResponseWriter, r *http.Request) error {
	planID, id, err := sessionIDs(r)
	if err != nil {
		return err
	}
	if ss, err := w.s.Trainings.Session(r.Context(), stateOf(r).who, id); err != nil || ss.PlanID != planID {
		return apperr.New(apperr.NotFound, "training.error.session_missing")
	}
	var present []int64
	for _, s := range r.PostForm["present"] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return apperr.InvalidField("present", "training.error.not_on_roll")
		}
		present = append(present, n)
	}
	if _, err := w.s.Trainings.RollCall(r.Context(), stateOf(r).who, id, present); err != nil {
		return err
	}
	return w.redirect(rw, r, sessionPath(planID, id), "training.flash.roll_call")
}

// sessionIDs reads the plan and session ids of a session's path.
func sessionIDs(r *http.Request) (int64, int64, error) {
	planID, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	id, err := strconv.ParseInt(r.PathValue("session"), 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return planID, id, nil
}

func sessionPath(planID, id int64) string {
	return trainingPath(planID) + "/sessions/" + strconv.FormatInt(id, 10)
}

// trainingSessionExport downloads the session's roll as .xlsx.
func (w *Server) trainingSessionExport(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.trainingSessionData(r)
	if err != nil {
		return err
	}
	return sendXLSX(rw, "training-session-"+strconv.FormatInt(d.Session.ID, 10), p.T("training.session.title"), assignmentHeader(p), assignmentRows(p, d.Roll))
}
