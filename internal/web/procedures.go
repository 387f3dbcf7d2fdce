package web

import (
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/review"
)

// The register of 実施手順 (procedures): each document with its owner role, the articles it
// implements and its next review date — those past it marked — readable only by those the
// service lets read it (非公開); the form to register one with its file, the file itself, and
// the record of a review or a new version.

type proceduresData struct {
	Procedures []review.Procedure
	MayAdd     bool
}

func (w *Server) procedures(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	list, err := w.s.Reviews.Procedures(ctx, who, review.ProcedureFilter{Overdue: r.URL.Query().Get("overdue") == "1"})
	if err != nil {
		return err
	}
	p := w.newPage(r, "procedure.title", "procedures")
	p.Data = proceduresData{Procedures: list, MayAdd: w.s.Reviews.MayAddProcedure(ctx, who)}
	w.render(rw, r, http.StatusOK, "procedures", p)
	return nil
}

// proceduresExport downloads the register as the actor may read it.
func (w *Server) proceduresExport(rw http.ResponseWriter, r *http.Request) error {
	list, err := w.s.Reviews.Procedures(r.Context(), stateOf(r).who, review.ProcedureFilter{})
	if err != nil {
		return err
	}
	p := w.newPage(r, "procedure.title", "procedures")
	rows := make([][]any, 0, len(list))
	for _, pr := range list {
		rows = append(rows, []any{pr.Title, pr.DocVersion, p.L().Role(pr.OwnerRole), strings.Join(pr.Articles, "、"), pr.ReviewOn, pr.ReviewedOn,
			yesNo(p, pr.AllStaff), yesNo(p, pr.Overdue), pr.FileName, pr.Size, pr.SHA256})
	}
	return sendXLSX(rw, "procedures", p.T("procedure.title"), []string{p.T("procedure.field.title"), p.T("procedure.field.doc_version"),
		p.T("procedure.field.owner_role"), p.T("procedure.field.articles"), p.T("procedure.field.review_on"), p.T("procedure.field.reviewed_on"),
		p.T("procedure.field.all_staff"), p.T("procedure.overdue"), p.T("procedure.field.file"), p.T("procedure.field.size"), "SHA-256"}, rows)
}

func yesNo(p *page, b bool) string {
	if b {
		return p.T("common.yes")
	}
	return p.T("common.no")
}

type procedureFormData struct {
	Roles    []policy.Role
	Articles []string
	MaxMiB   int
}

func (w *Server) procedureNewForm(rw http.ResponseWriter, r *http.Request) error {
	return w.renderProcedureForm(rw, r, http.StatusOK, nil)
}

func (w *Server) renderProcedureForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	if !w.s.Reviews.MayAddProcedure(r.Context(), stateOf(r).who) {
		return apperr.New(apperr.Forbidden, "procedure.error.not_keeper")
	}
	pack, perr := w.activePack(r)
	if perr != nil {
		return perr
	}
	d := procedureFormData{MaxMiB: review.MaxFileSize >> 20}
	for _, ro := range pack.Roles {
		if !ro.AllStaff {
			d.Roles = append(d.Roles, ro)
		}
	}
	d.Articles = pack.NamedArticles()
	p := w.newPage(r, "procedure.new.title", "procedures")
	p.Crumbs = []crumb{{p.T("procedure.title"), "/procedures"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = d
	w.render(rw, r, status, "procedure_form", p)
	return nil
}

// upload reads the one file of a multipart form's field; nil when none was chosen.
func upload(r *http.Request, field string) (*review.File, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, nil
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Filename == "" && fh.Size == 0 {
		return nil, nil
	}
	body, err := readUpload(fh)
	if err != nil {
		return nil, err
	}
	return &review.File{Name: fh.Filename, ContentType: contentTypeOf(fh), Body: body}, nil
}

func contentTypeOf(fh *multipart.FileHeader) string { return fh.Header.Get("Content-Type") }

func (w *Server) procedureCreate(rw http.ResponseWriter, r *http.Request) error {
	in := review.ProcedureInput{Title: r.PostForm.Get("title"), DocVersion: r.PostForm.Get("doc_version"),
		OwnerRole: r.PostForm.Get("owner_role"), Articles: r.PostForm["articles"], AllStaff: r.PostForm.Get("all_staff") == "on",
		ReviewOn: r.PostForm.Get("review_on")}
	f, err := upload(r, "file")
	if err != nil {
		return err
	}
	if f != nil {
		in.File = *f
	}
	pr, err := w.s.Reviews.AddProcedure(r.Context(), stateOf(r).who, in)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderProcedureForm(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/procedures/"+strconv.FormatInt(pr.ID, 10), "procedure.added")
}

type procedureData struct {
	Procedure review.Procedure
	Actions   review.ProcedureActions
	MaxMiB    int
}

func (w *Server) procedureDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.renderProcedure(rw, r, http.StatusOK, nil)
}

func (w *Server) renderProcedure(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	id, perr := pathID(r)
	if perr != nil {
		return perr
	}
	ctx, who := r.Context(), stateOf(r).who
	pr, perr := w.s.Reviews.Procedure(ctx, who, id)
	if perr != nil {
		return perr
	}
	p := w.newPage(r, "procedure.detail.title", "procedures")
	p.Crumbs = []crumb{{p.T("procedure.title"), "/procedures"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = procedureData{Procedure: pr, Actions: w.s.Reviews.ProcedureActionsFor(ctx, who, pr), MaxMiB: review.MaxFileSize >> 20}
	w.render(rw, r, status, "procedure_detail", p)
	return nil
}

// procedureFile sends the document as a download, never as a page of Mamori.
func (w *Server) procedureFile(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, body, err := w.s.Reviews.ProcedureFile(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	h := rw.Header()
	h.Set("Content-Type", pr.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": pr.FileName}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err = rw.Write(body)
	return err
}

// procedureRevise records a review of the procedure, with a new version when a file is given.
func (w *Server) procedureRevise(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := upload(r, "file")
	if err != nil {
		return err
	}
	_, err = w.s.Reviews.Revise(r.Context(), stateOf(r).who, id, review.RevisionInput{ReviewOn: r.PostForm.Get("review_on"),
		DocVersion: r.PostForm.Get("doc_version"), File: f})
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderProcedure(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/procedures/"+r.PathValue("id"), "procedure.revised")
}
