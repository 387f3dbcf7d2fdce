package web

import (
	"mime/multipart"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/training"
)

// The attendance import, in the register import's steps and words: upload a sheet, confirm
// which field each column is, read the check's report (nothing is recorded yet), then record
// every row — or, when any row has a problem, none.

const maxTrainingUpload = training.MaxImportBytes + 1<<20

type trainingImportData struct {
	Plan   training.Plan
	Import training.Import
	Fields []string
	MaxMB  int
}

func (w *Server) trainingImportForm(rw http.ResponseWriter, r *http.Request) error {
	return w.trainingImportFormPage(rw, r, http.StatusOK, nil)
}

func (w *Server) trainingImportFormPage(rw http.ResponseWriter, r *http.Request, status int, fail error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pl, err := w.s.Trainings.Plan(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.import.title", "trainings")
	p.Crumbs = []crumb{{p.T("training.title"), "/trainings"}, {p.T("training.plan.title"), trainingPath(id)}}
	if fail != nil {
		e := apperr.As(fail)
		p.Errors = []fieldMessage{{Field: "file", Message: p.T(e.Key, e.Args...)}}
	}
	p.Data = trainingImportData{Plan: pl, Fields: training.ImportFields, MaxMB: training.MaxImportBytes >> 20}
	w.render(rw, r, status, "training_import", p)
	return nil
}

func (w *Server) trainingImportUpload(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var im training.Import
	var files []*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File["file"]
	}
	if len(files) == 0 || files[0].Size == 0 {
		err = apperr.InvalidField("file", "import.error.no_file")
	} else {
		var body []byte
		if body, err = readUpload(files[0]); err == nil {
			im, err = w.s.Trainings.Upload(r.Context(), stateOf(r).who, id, files[0].Filename, body)
		}
	}
	switch c := apperr.CodeOf(err); {
	case err == nil:
		return w.redirect(rw, r, trainingImportPath(id, im.ID), "")
	case c == apperr.Invalid || c == apperr.TooLarge:
		return w.trainingImportFormPage(rw, r, http.StatusUnprocessableEntity, err)
	}
	return err
}

func trainingImportPath(planID, id int64) string {
	return trainingPath(planID) + "/imports/" + strconv.FormatInt(id, 10)
}

// importIDs reads the plan and import ids of an import's path.
func importIDs(r *http.Request) (int64, int64, error) {
	planID, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	id, err := strconv.ParseInt(r.PathValue("import"), 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return planID, id, nil
}

// importOf reads the actor's upload of the path, NotFound when it is of another plan.
func (w *Server) importOf(r *http.Request) (training.Import, error) {
	planID, id, err := importIDs(r)
	if err != nil {
		return training.Import{}, err
	}
	im, err := w.s.Trainings.GetImport(r.Context(), stateOf(r).who, id)
	if err == nil && im.PlanID != planID {
		err = apperr.New(apperr.NotFound, "training.error.import_missing")
	}
	return im, err
}

func (w *Server) trainingImport(rw http.ResponseWriter, r *http.Request) error {
	return w.trainingImportPage(rw, r, http.StatusOK, nil, training.Import{})
}

func (w *Server) trainingImportPage(rw http.ResponseWriter, r *http.Request, status int, fail error, im training.Import) error {
	ctx, who := r.Context(), stateOf(r).who
	if im.ID == 0 {
		var err error
		if im, err = w.importOf(r); err != nil {
			return err
		}
	}
	pl, err := w.s.Trainings.Plan(ctx, who, im.PlanID)
	if err != nil {
		return err
	}
	p := w.newPage(r, "training.import.title", "trainings")
	p.Crumbs = []crumb{{p.T("training.title"), "/trainings"}, {p.T("training.plan.title"), trainingPath(pl.ID)}}
	if fail != nil {
		p.withErrors(fail)
	}
	p.Data = trainingImportData{Plan: pl, Import: im, Fields: training.ImportFields}
	w.render(rw, r, status, "training_import_check", p)
	return nil
}

func (w *Server) trainingImportCheck(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	im, err := w.importOf(r)
	if err != nil {
		return err
	}
	id := im.ID
	fields := make([]string, len(im.Columns))
	for i := range im.Columns {
		fields[i] = r.PostForm.Get("col." + strconv.Itoa(i))
	}
	checked, err := w.s.Trainings.Check(ctx, who, id, fields)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.trainingImportPage(rw, r, http.StatusUnprocessableEntity, err, im)
	}
	if err != nil {
		return err
	}
	return w.trainingImportPage(rw, r, http.StatusOK, nil, checked)
}

func (w *Server) trainingImportApply(rw http.ResponseWriter, r *http.Request) error {
	held, err := w.importOf(r)
	if err != nil {
		return err
	}
	im, err := w.s.Trainings.Apply(r.Context(), stateOf(r).who, held.ID)
	if c := apperr.CodeOf(err); c == apperr.Invalid || c == apperr.Conflict {
		return w.trainingImportPage(rw, r, http.StatusUnprocessableEntity, err, training.Import{})
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, trainingImportPath(im.PlanID, im.ID), "training.flash.imported")
}

// RowErrorText is a row's problem in the reader's language.
func (p *page) RowErrorText(e training.RowError) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = a
	}
	return p.T(e.Key, args...)
}
