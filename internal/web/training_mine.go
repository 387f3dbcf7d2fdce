package web

import (
	"net/http"

	"mamori/internal/training"
)

// My training: every course the person is assigned, the current year's first, with its due
// month and whether it is taken; an e-learning module the person confirms having taken here.

type trainingMineData struct {
	Rows []training.Assignment
}

func (w *Server) trainingMine(rw http.ResponseWriter, r *http.Request) error {
	list, err := w.s.Trainings.Mine(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.mine.title", "trainings")
	p.Data = trainingMineData{Rows: list}
	w.render(rw, r, http.StatusOK, "training_mine", p)
	return nil
}

func (w *Server) trainingConfirm(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := w.s.Trainings.Confirm(r.Context(), stateOf(r).who, id); err != nil {
		return err
	}
	return w.redirect(rw, r, "/my/training", "training.flash.confirmed")
}

// trainingMineExport downloads the person's own courses as .xlsx.
func (w *Server) trainingMineExport(rw http.ResponseWriter, r *http.Request) error {
	list, err := w.s.Trainings.Mine(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.mine.title", "trainings")
	return sendXLSX(rw, "my-training", p.T("training.mine.title"), assignmentHeader(p), assignmentRows(p, list))
}
