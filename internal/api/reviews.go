package api

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/review"
)

// Reviews (見直し) and procedures (実施手順). The review service decides who reads and acts: the
// organisation-wide security roles propose and submit, the roles the pack names decide, the
// auditors read; a procedure is read by its owner role, the organisation-wide security roles
// and the auditors (and all staff when it is marked so), and is not found by anyone else.

type openReviewInput struct {
	FiscalYear int `json:"fiscal_year"`
}

func (a *api) listReviews(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Reviews.List(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func reviewPath(id int64) string { return "/api/v1/reviews/" + strconv.FormatInt(id, 10) }

func (a *api) openReview(w http.ResponseWriter, r *http.Request) error {
	var in openReviewInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	rv, err := a.s.Reviews.Open(r.Context(), actor(r), in.FiscalYear)
	if err != nil {
		return err
	}
	return created(w, reviewPath(rv.ID), rv)
}

// getReview is the review with every article of its pack, the facts of the year the caller may
// read, and the proposals.
func (a *api) getReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := a.s.Reviews.Gather(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, g)
}

func (a *api) proposeReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in review.ProposalInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	pr, err := a.s.Reviews.Propose(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return ok(w, pr)
}

func (a *api) submitReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rv, err := a.s.Reviews.Submit(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, rv)
}

func (a *api) decideReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pid, err := pathNumber(r, "proposal")
	if err != nil {
		return err
	}
	var in review.DecisionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	rv, err := a.s.Reviews.Decide(r.Context(), actor(r), id, pid, in)
	if err != nil {
		return err
	}
	return ok(w, rv)
}

func (a *api) linkReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pid, err := pathNumber(r, "proposal")
	if err != nil {
		return err
	}
	pr, err := a.s.Reviews.Link(r.Context(), actor(r), id, pid)
	if err != nil {
		return err
	}
	return ok(w, pr)
}

func (a *api) reviewDiff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pid, err := pathNumber(r, "proposal")
	if err != nil {
		return err
	}
	c, err := a.s.Reviews.Diff(r.Context(), actor(r), id, pid)
	if err != nil {
		return err
	}
	return ok(w, c)
}

func (a *api) listProcedures(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := review.ProcedureFilter{OwnerRole: q.Get("owner_role")}
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		return apperr.InvalidField("overdue", "error.invalid")
	}
	list, err := a.s.Reviews.Procedures(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func procedurePath(id int64) string { return "/api/v1/procedures/" + strconv.FormatInt(id, 10) }

// procedureForm is a multipart/form-data body: at most one part "file" and text parts.
type procedureForm struct {
	file   *review.File
	values map[string]string
}

func (a *api) readProcedureForm(w http.ResponseWriter, r *http.Request, fields ...string) (procedureForm, error) {
	form := procedureForm{values: map[string]string{}}
	if !isMultipart(r) {
		return form, apperr.New(codeUnsupportedMediaType, "error.unsupported_media_type")
	}
	err := eachPart(w, r, a.maxBody+review.MaxFileSize+1, func(name string, part *multipart.Part) error {
		if name == "file" {
			if form.file != nil {
				return apperr.InvalidField("file", "error.invalid")
			}
			f, err := readFilePart(part, review.MaxFileSize)
			if err != nil {
				return err
			}
			form.file = &review.File{Name: f.Name, ContentType: f.ContentType, Body: f.Body}
			return nil
		}
		known := false
		for _, f := range fields {
			known = known || f == name
		}
		if _, dup := form.values[name]; dup || !known {
			return apperr.InvalidField(name, "error.unknown_field")
		}
		b, err := io.ReadAll(io.LimitReader(part, a.maxBody+1))
		if err != nil {
			return multipartError(err)
		}
		if int64(len(b)) > a.maxBody {
			return apperr.New(apperr.TooLarge, "error.too_large")
		}
		form.values[name] = string(b)
		return nil
	})
	return form, err
}

// addProcedure registers a procedure with its file; articles are one per line.
func (a *api) addProcedure(w http.ResponseWriter, r *http.Request) error {
	form, err := a.readProcedureForm(w, r, "title", "doc_version", "owner_role", "articles", "all_staff", "review_on")
	if err != nil {
		return err
	}
	v := form.values
	in := review.ProcedureInput{Title: v["title"], DocVersion: v["doc_version"], OwnerRole: v["owner_role"],
		Articles: strings.Split(strings.ReplaceAll(v["articles"], "\r\n", "\n"), "\n"), ReviewOn: v["review_on"]}
	switch v["all_staff"] {
	case "", "false":
	case "true":
		in.AllStaff = true
	default:
		return apperr.InvalidField("all_staff", "error.invalid")
	}
	if form.file != nil {
		in.File = *form.file
	}
	pr, err := a.s.Reviews.AddProcedure(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return created(w, procedurePath(pr.ID), pr)
}

func (a *api) getProcedure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := a.s.Reviews.Procedure(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, pr)
}

func (a *api) procedureFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, body, err := a.s.Reviews.ProcedureFile(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	download(w, pr.ContentType, pr.FileName, body)
	return nil
}

// reviseProcedure records a review of the procedure: the next review date and, with a file, a
// new version.
func (a *api) reviseProcedure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form, err := a.readProcedureForm(w, r, "review_on", "doc_version")
	if err != nil {
		return err
	}
	pr, err := a.s.Reviews.Revise(r.Context(), actor(r), id, review.RevisionInput{ReviewOn: form.values["review_on"],
		DocVersion: form.values["doc_version"], File: form.file})
	if err != nil {
		return err
	}
	return ok(w, pr)
}
