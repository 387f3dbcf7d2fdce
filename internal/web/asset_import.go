package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// The register import in steps: upload a sheet, confirm which field each column is, read the
// dry run's report, then register all rows or only the valid ones and take the rejected rows
// back to fix. Each upload is an assetio.Job kept in the database; the work of a large file runs
// as the job, whose progress page any server process can show. The downloads and the progress
// status are in asset_import_files.go.

const (
	importErrorsPerPage = 100
	importRecentJobs    = 5
	importMaxMemory     = 8 << 20 // an upload beyond this is spooled to a temporary file while it is read
)

func jobPath(id int64) string { return "/assets/import/jobs/" + strconv.FormatInt(id, 10) }

type importFormData struct {
	MaxMB  int64
	Recent []jobView
}

// jobView is a job as the pages show its state: in words and colour.
type jobView struct{ assetio.Job }

// StateKey is the catalog key of the job's state.
func (j jobView) StateKey() string {
	if j.Interrupted {
		return "import.state.interrupted"
	}
	return "import.state." + j.State
}

// StatusClass is the colour of the job's state (status--ok, --warn, --ng, --neutral).
func (j jobView) StatusClass() string {
	switch {
	case j.Interrupted, j.State == assetio.JobFailed:
		return "ng"
	case j.State == assetio.JobApplied:
		return "ok"
	case j.State == assetio.JobChecked:
		return "warn"
	}
	return "neutral"
}

// assetImportForm is the upload step, with the user's latest imports to return to.
func (w *Server) assetImportForm(rw http.ResponseWriter, r *http.Request) error {
	return w.renderImportForm(rw, r, http.StatusOK, nil)
}

func (w *Server) renderImportForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	who := stateOf(r).who
	if !w.s.Assets.MayCreate(who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	recent, e := w.imports.Recent(r.Context(), who, importRecentJobs)
	if e != nil {
		return e
	}
	p := w.newPage(r, "import.title", "assets")
	p.Crumbs = []crumb{{p.T("assets.title"), "/assets"}}
	if err != nil {
		e := apperr.As(err)
		p.Errors = []fieldMessage{{Field: "file", Message: p.T(e.Key, e.Args...)}}
	}
	d := importFormData{MaxMB: assetio.DefaultMaxBytes >> 20}
	for _, j := range recent {
		d.Recent = append(d.Recent, jobView{j})
	}
	p.Data = d
	w.render(rw, r, status, "asset_import", p)
	return nil
}

// handleUpload is handle for the upload of a sheet: its body may be as large as the importer
// accepts, instead of the 1 MiB of a form, and is read as multipart by the handler.
func (w *Server) handleUpload(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(rw, r.Body, assetio.DefaultMaxBytes+1<<20)
		if err := h(rw, r); err != nil {
			w.fail(rw, r, err)
		}
	})
}

// assetImportUpload keeps the uploaded file as a new job and goes on to its mapping step. A
// file that cannot be read is named on the upload form, and nothing is kept.
func (w *Server) assetImportUpload(rw http.ResponseWriter, r *http.Request) error {
	if !w.s.Assets.MayCreate(stateOf(r).who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if err := r.ParseMultipartForm(importMaxMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return w.renderImportForm(rw, r, http.StatusRequestEntityTooLarge,
				apperr.New(apperr.TooLarge, "import.error.too_large", assetio.DefaultMaxBytes>>20))
		}
		return w.renderImportForm(rw, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, "import.error.no_file"))
	}
	defer r.MultipartForm.RemoveAll()
	if err := formText(r); err != nil {
		return err
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return w.renderImportForm(rw, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, "import.error.no_file"))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, assetio.DefaultMaxBytes+1))
	if err != nil {
		return apperr.Wrap(err, "read upload")
	}
	job, err := w.imports.Start(r.Context(), stateOf(r).who, hdr.Filename, data)
	switch apperr.CodeOf(err) {
	case "":
		return w.redirect(rw, r, jobPath(job.ID), "")
	case apperr.Invalid, apperr.TooLarge:
		return w.renderImportForm(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), err)
	}
	return err
}

// importJob reads the job the path names, for its starter or a platform administrator.
func (w *Server) importJob(r *http.Request) (assetio.Job, error) {
	id, err := pathID(r)
	if err != nil {
		return assetio.Job{}, err
	}
	return w.imports.Get(r.Context(), stateOf(r).who, id)
}

// assetImportJob shows a job at the step it has reached: the mapping, the progress of its
// dry run or apply, or its report.
func (w *Server) assetImportJob(rw http.ResponseWriter, r *http.Request) error {
	job, err := w.importJob(r)
	if err != nil {
		return err
	}
	switch {
	case job.Running():
		return w.renderImportProgress(rw, r, job)
	case job.State == assetio.JobMapping:
		return w.renderImportMapping(rw, r, job)
	}
	return w.renderImportReport(rw, r, job)
}

// assetImportMapping shows the mapping step again from a report, to correct it.
func (w *Server) assetImportMapping(rw http.ResponseWriter, r *http.Request) error {
	job, err := w.importJob(r)
	if err != nil {
		return err
	}
	if job.Running() || job.State == assetio.JobApplied || !job.HasFile {
		return w.redirect(rw, r, jobPath(job.ID), "") // nothing to map: the job's own page says why
	}
	return w.renderImportMapping(rw, r, job)
}

// mappingColumn is one column of the uploaded sheet, the field it is mapped to and up to
// three of its values.
type mappingColumn struct {
	Index          int
	Letter, Header string
	Field          string // "-" for a column left out
	Samples        []string
}

// valueColumn is a column whose values may be mapped, with its distinct values.
type valueColumn struct {
	Index          int
	Letter, Header string
	FieldLabel     string
	Values         []valueRow
}

// valueRow is one distinct value: what it is read as by itself, what it is mapped to, and the
// values it may be mapped to.
type valueRow struct {
	N       int
	Value   string
	Auto    string // the label of what it is read as, "" for nothing
	Mapped  string
	Choices []assetio.Choice
}

type fieldOption struct {
	ID, Label string
	Required  bool
}

type importMappingData struct {
	Job     assetio.Job
	Pack    *policy.Compiled // for the levels the classification columns may hold
	Report  assetio.Report
	Columns []mappingColumn
	Fields  []fieldOption
	Values  []valueColumn
	// The options as the form shows them: updating is on until the user turns it off.
	Update, DisposeMissing bool
}

func (w *Server) renderImportMapping(rw http.ResponseWriter, r *http.Request, job assetio.Job) error {
	ctx, who := r.Context(), stateOf(r).who
	rep, err := w.imports.Report(ctx, who, job.ID)
	if err != nil {
		return err
	}
	fields, err := w.imports.Importer.FieldsFor(ctx, who.OrgID)
	if err != nil {
		return err
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	p := w.newPage(r, "import.mapping.title", "assets")
	p.Crumbs = []crumb{{p.T("assets.title"), "/assets"}, {p.T("import.title"), "/assets/import"}}
	d := importMappingData{Job: job, Pack: pack, Report: rep, Update: job.Options.Update, DisposeMissing: job.Options.DisposeMissing}
	if job.State == assetio.JobMapping && job.Problem == nil && !job.Options.Update {
		d.Update = true // first time at the mapping step: the Excel habit of export, edit, import
	}
	labels := map[string]string{}
	for _, f := range fields {
		label := f.Label
		if p.Lang == i18n.En {
			label = f.LabelEn
		}
		labels[f.ID] = label
		d.Fields = append(d.Fields, fieldOption{ID: f.ID, Label: label, Required: f.Required})
	}
	choices, err := w.imports.Importer.ValueChoices(ctx, who.OrgID)
	if err != nil {
		return err
	}
	n := 0
	for _, vc := range rep.ValueColumns {
		c := valueColumn{Index: vc.Column, Letter: columnLetter(vc.Column), Header: vc.Header, FieldLabel: labels[vc.Field]}
		for _, v := range vc.Values {
			row := valueRow{N: n, Value: v.Value, Mapped: v.Mapped, Choices: choices[vc.Field]}
			if chosen, ok := job.Options.Values[vc.Field][v.Value]; ok {
				row.Mapped = chosen
			}
			for _, ch := range row.Choices {
				if ch.ID == v.Auto {
					row.Auto = ch.Label
				}
			}
			c.Values = append(c.Values, row)
			n++
		}
		d.Values = append(d.Values, c)
	}
	for i, h := range rep.Headers {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		field, chosen := job.Mapping[h]
		if !chosen {
			field = rep.Mapping[h]
		}
		if field == "" {
			field = "-"
		}
		var samples []string
		if i < len(rep.Samples) {
			samples = rep.Samples[i]
		}
		d.Columns = append(d.Columns, mappingColumn{Index: i, Letter: columnLetter(i), Header: h, Field: field, Samples: samples})
	}
	if job.Problem != nil {
		p.Errors = problemMessages(p, job.Problem)
	}
	p.Data = d
	status := http.StatusOK
	if job.Problem != nil {
		status = http.StatusUnprocessableEntity
	}
	w.render(rw, r, status, "asset_import_mapping", p)
	return nil
}

// problemMessages shows a job's problem with the file in the page's language.
func problemMessages(p *page, pr *assetio.Problem) []fieldMessage {
	pick := func(ja, en string) string {
		if p.Lang == i18n.En && en != "" {
			return en
		}
		return ja
	}
	out := []fieldMessage{{Message: pick(pr.Message, pr.MessageEn)}}
	for _, f := range pr.Fields {
		out = append(out, fieldMessage{Message: pick(f.Message, f.MessageEn)})
	}
	return out
}

// columnLetter names a column as a spreadsheet does: A … Z, AA ….
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// assetImportCheck runs the dry run with the mapping the form confirms (col.N is the field of
// column N, "-" to leave it out), its options (update, dispose_missing) and its value mapping
// (val.N is what the value valv.N of column valc.N is mapped to, "" to read it as it is);
// without a mapping, with the job's last mapping and options, to run it again.
func (w *Server) assetImportCheck(rw http.ResponseWriter, r *http.Request) error {
	job, err := w.importJob(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), stateOf(r).who
	mapping, opts := job.Mapping, job.Options
	if hasColumn(r) {
		rep, err := w.imports.Report(ctx, who, job.ID)
		if err != nil {
			return err
		}
		opts = assetio.JobOptions{Update: r.PostForm.Get("update") != "", DisposeMissing: r.PostForm.Get("dispose_missing") != ""}
		opts.Values = formValues(r, rep)
		mapping = map[string]string{}
		for i, h := range rep.Headers {
			h = strings.TrimSpace(h)
			v, ok := r.PostForm["col."+strconv.Itoa(i)]
			if h == "" || !ok {
				continue
			}
			if mapping[h] = v[0]; v[0] == "-" {
				mapping[h] = ""
			}
		}
	}
	if err := w.imports.Check(ctx, who, job.ID, mapping, opts); err != nil {
		return err
	}
	return w.redirect(rw, r, jobPath(job.ID), "")
}

// formValues reads the value mapping of the form: for each value offered (valv.N, of column
// valc.N), its choice val.N, under the field the column is mapped to in the report it was
// offered from; a value of a column now mapped to another field is left out.
func formValues(r *http.Request, rep assetio.Report) map[string]map[string]string {
	out := map[string]map[string]string{}
	for k, v := range r.PostForm {
		n, ok := strings.CutPrefix(k, "valv.")
		if !ok || len(v) == 0 {
			continue
		}
		col, err := strconv.Atoi(r.PostForm.Get("valc." + n))
		if err != nil {
			continue
		}
		for _, vc := range rep.ValueColumns {
			if vc.Column != col || r.PostForm.Get("col."+strconv.Itoa(col)) != vc.Field {
				continue
			}
			if out[vc.Field] == nil {
				out[vc.Field] = map[string]string{}
			}
			out[vc.Field][v[0]] = r.PostForm.Get("val." + n)
		}
	}
	return out
}

func hasColumn(r *http.Request) bool {
	for k := range r.PostForm {
		if strings.HasPrefix(k, "col.") {
			return true
		}
	}
	return false
}

// assetImportApply registers the checked rows as a job: mode=all for every row (refused while
// the report has errors), mode=valid for the valid rows only.
func (w *Server) assetImportApply(rw http.ResponseWriter, r *http.Request) error {
	job, err := w.importJob(r)
	if err != nil {
		return err
	}
	mode := r.PostForm.Get("mode")
	if mode != "all" && mode != "valid" {
		return apperr.InvalidField("mode", "error.choose")
	}
	if err := w.imports.Apply(r.Context(), stateOf(r).who, job.ID, mode == "valid"); err != nil {
		return err
	}
	return w.redirect(rw, r, jobPath(job.ID), "")
}
