package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// The form of a request: generated from the pack's fields, with the subject assets chosen
// among those the kind covers, attachments, and — after a send back — the same form to edit
// and resubmit.

// maxRequestFiles is how many files one submission takes.
const maxRequestFiles = 5

// maxRequestBody is how large the body of a form with attachments may be: maxRequestFiles files
// of the largest size a request takes, and 1 MiB for the rest of the form.
const maxRequestBody = maxRequestFiles*request.MaxAttachmentSize + 1<<20

// requestField is a pack field as the form shows it: posted as fields.<id> (files as
// files.<id>), with the element id f-fields-<id> that the error summary links to.
type requestField struct {
	policy.Field
	Name, Elem string
}

type requestFormData struct {
	Kind        kindView
	Fields      []requestField
	Tree        []org.Department
	Staff       []org.Staff
	Picker      assetPicker
	Subjects    []assetChoice // a resubmission's subject assets, which do not change
	Attachments []request.Attachment
	Action      string
	Back        string
	Resubmit    int64
	Version     int
	MaxFiles    int
	MaxMB       int
	FilesLost   bool // the submission had files that the redisplayed form no longer holds
}

// kindOf reads the ?kind= of the address against the organisation's pack.
func (w *Server) kindOf(r *http.Request) (*policy.Compiled, policy.Approval, error) {
	pack, err := w.activePack(r)
	if err != nil {
		return nil, policy.Approval{}, err
	}
	if pack != nil {
		for _, a := range pack.Approvals {
			if a.ID == r.URL.Query().Get("kind") {
				return pack, a, nil
			}
		}
	}
	return nil, policy.Approval{}, apperr.New(apperr.NotFound, "error.not_found")
}

// requestForm shows the form for a new request of the path's kind, or for the resubmission of
// request re (with its version).
func (w *Server) requestForm(rw http.ResponseWriter, r *http.Request, status int, pack *policy.Compiled, kind policy.Approval, re *request.Request, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	d := requestFormData{Kind: viewKind(pack, kind), MaxFiles: maxRequestFiles, MaxMB: request.MaxAttachmentSize >> 20,
		Action: kindHref(kind.ID), Back: "/requests/new"}
	for _, f := range kind.Fields {
		name := "fields." + f.ID
		if f.Type == "file" {
			name = "files." + f.ID
		}
		d.Fields = append(d.Fields, requestField{Field: f, Name: name, Elem: fieldID(name)})
	}
	var e error
	if _, d.Tree, e = w.departmentNames(ctx, who); e != nil {
		return e
	}
	if d.Staff, _, e = w.s.Org.ListStaff(ctx, who, org.StaffFilter{Limit: 500}); e != nil {
		return e
	}
	if re != nil {
		d.Action, d.Back = "/requests/"+strconv.FormatInt(re.ID, 10)+"/resubmit", "/requests/"+strconv.FormatInt(re.ID, 10)
		d.Resubmit, d.Version, d.Attachments = re.ID, re.Version, re.Attachments
		for _, id := range re.AssetIDs {
			if a, err := w.s.Assets.Get(ctx, who, id); err == nil {
				d.Subjects = append(d.Subjects, choiceOf(a, true))
			}
		}
	} else if kind.Subject == "asset" {
		if d.Picker, e = w.pickAssets(r, pack, kind); e != nil {
			return e
		}
	}
	title := "requests.new.title"
	if re != nil {
		title = "requests.resubmit.title"
	}
	p := w.newPage(r, title, "requests")
	p.Crumbs = []crumb{{p.T("requests.title"), "/requests"}, {p.T("requests.kinds.title"), "/requests/new"}}
	if err != nil {
		p.withErrors(stateArgs(p.Lang, err))
		for i := range p.Errors {
			p.Errors[i].Field = fieldID(p.Errors[i].Field)
		}
		d.FilesLost = r.MultipartForm != nil && len(r.MultipartForm.File) > 0
	}
	p.Data = d
	w.render(rw, r, status, "request_form", p)
	return nil
}

// requestNewForm is the empty form; ?asset=<id> chooses a subject asset (from its detail page).
func (w *Server) requestNewForm(rw http.ResponseWriter, r *http.Request) error {
	pack, kind, err := w.kindOf(r)
	if err != nil {
		return err
	}
	r.PostForm = url.Values{}
	if a := r.URL.Query().Get("asset"); a != "" && kind.Subject == "asset" {
		r.PostForm.Set("asset_ids", a)
	}
	// ?rules= and ?assets= fill the list fields of an exception (例外措置) from a finding.
	for _, f := range kind.Fields {
		if v := r.URL.Query().Get(f.ID); v != "" && (f.Type == "rule" || f.Type == "assets") {
			r.PostForm.Set("fields."+f.ID, v)
		}
	}
	return w.requestForm(rw, r, http.StatusOK, pack, kind, nil, nil)
}

// requestCreate files the request; "find" only searches the assets again, keeping what was
// typed.
func (w *Server) requestCreate(rw http.ResponseWriter, r *http.Request) error {
	pack, kind, err := w.kindOf(r)
	if err != nil {
		return err
	}
	if r.PostForm.Has("find") {
		return w.requestForm(rw, r, http.StatusOK, pack, kind, nil, nil)
	}
	in, inputs, err := w.requestInput(r, kind)
	var made request.Request
	if err == nil {
		made, err = w.s.Requests.Submit(r.Context(), stateOf(r).who, in)
	}
	err = attachmentFields(err, inputs)
	return w.saved(rw, r, err, func(status int, err error) error { return w.requestForm(rw, r, status, pack, kind, nil, err) },
		"/requests/"+strconv.FormatInt(made.ID, 10), "requests.submitted")
}

// attachmentFields names, in an error about attachments[i], the input the file came from.
func attachmentFields(err error, inputs []string) error {
	e := apperr.As(err)
	if e.Code != apperr.Invalid {
		return err
	}
	for i, f := range e.Fields {
		if n, ok := strings.CutPrefix(f.Field, "attachments["); ok {
			k, _ := strconv.Atoi(strings.TrimSuffix(n, "]"))
			if k >= 0 && k < len(inputs) {
				e.Fields[i].Field = inputs[k]
			}
		}
	}
	return e
}

// requestInput reads the form: empty fields and unticked boxes are left out, an asset field
// is given by its 管理番号 (or, left empty, is the one subject asset chosen), a date and time
// is read in JST. It returns, beside the input, the input each attachment came from.
func (w *Server) requestInput(r *http.Request, kind policy.Approval) (request.Input, []string, error) {
	var v apperr.Validation
	f := r.PostForm
	in := request.Input{Kind: kind.ID, Fields: map[string]any{}, PostHoc: f.Get("post_hoc") == "on",
		Comment: strings.TrimSpace(f.Get("comment"))}
	for _, s := range f["asset_ids"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			in.AssetIDs = append(in.AssetIDs, id)
		}
	}
	in.Fields = w.fieldsInput(r, kind, in.AssetIDs)
	if s := f.Get("acted_at"); in.PostHoc && s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, i18n.Tokyo)
		if err != nil {
			v.Add("acted_at", "request.error.acted_at")
		}
		in.ActedAt = t
	}
	var inputs []string
	var err error
	in.Attachments, inputs, err = filesInput(r, kind)
	if err != nil {
		return in, inputs, err
	}
	return in, inputs, v.Err()
}

// fieldsInput reads the pack's fields of the form.
func (w *Server) fieldsInput(r *http.Request, kind policy.Approval, subjects []int64) map[string]any {
	out := map[string]any{}
	for _, fd := range kind.Fields {
		s := strings.TrimSpace(r.PostForm.Get("fields." + fd.ID))
		switch {
		case fd.Type == "file":
		case fd.Type == "bool":
			if s == "on" {
				out[fd.ID] = true
			}
		case fd.Type == "asset" && s == "" && len(subjects) == 1:
			out[fd.ID] = subjects[0]
		case fd.Type == "asset" && s != "":
			out[fd.ID] = w.assetByNumber(r, s)
		case s != "":
			out[fd.ID] = s
		}
	}
	return out
}

// filesInput reads the files of the form: those of the pack's file fields, then the general
// attachments.
func filesInput(r *http.Request, kind policy.Approval) ([]request.NewAttachment, []string, error) {
	if r.MultipartForm == nil {
		return nil, nil, nil
	}
	var out []request.NewAttachment
	var inputs []string
	read := func(input, field string) error {
		for _, h := range r.MultipartForm.File[input] {
			if h.Filename == "" && h.Size == 0 {
				continue
			}
			if len(out) == maxRequestFiles {
				return apperr.InvalidField(fieldID(input), "requests.error.too_many_files", maxRequestFiles)
			}
			file, err := h.Open()
			if err != nil {
				return apperr.Wrap(err, "attachment")
			}
			body, err := io.ReadAll(io.LimitReader(file, request.MaxAttachmentSize+1))
			file.Close()
			if err != nil {
				return apperr.Wrap(err, "attachment")
			}
			out = append(out, request.NewAttachment{Field: field, Name: h.Filename, ContentType: h.Header.Get("Content-Type"), Body: body})
			inputs = append(inputs, input)
		}
		return nil
	}
	for _, fd := range kind.Fields {
		if fd.Type == "file" {
			if err := read("files."+fd.ID, fd.ID); err != nil {
				return nil, nil, err
			}
		}
	}
	if err := read("attachments", ""); err != nil {
		return nil, nil, err
	}
	return out, inputs, nil
}
