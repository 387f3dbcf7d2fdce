package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"mamori/internal/assetio"
	"mamori/internal/i18n"
)

// The import's report and progress pages, the progress status that import.js polls, and the
// downloads: every problem as a CSV, and the rejected rows to fix and import again.

type rowProblem struct {
	Row             int
	Column, Message string
}

type importReportData struct {
	Job     jobView
	Report  assetio.Report
	Summary []problemCount // the problems by kind and column
	Errors  []rowProblem   // the page of problems shown
	Pager   pager
	Bad     int // rows with a problem
	// The new, changed and missing rows shown (at most importOutcomesShown), their labels in
	// the page's language, and whether more were left out.
	Outcomes    []assetio.RowOutcome
	OutcomesCut bool
}

// problemCount is a line of the summary of problems, in the page's language.
type problemCount struct {
	Column, Example string
	Count, FirstRow int
}

// importOutcomesShown is how many new, changed and missing rows the report page lists.
const importOutcomesShown = 500

func (w *Server) renderImportReport(rw http.ResponseWriter, r *http.Request, job assetio.Job) error {
	rep, err := w.imports.Report(r.Context(), stateOf(r).who, job.ID)
	if err != nil {
		return err
	}
	p := w.newPage(r, "import.report.title", "assets")
	p.Crumbs = []crumb{{p.T("assets.title"), "/assets"}, {p.T("import.title"), "/assets/import"}}
	n, offset := pageQuery(r, importErrorsPerPage)
	d := importReportData{Job: jobView{job}, Report: rep, Pager: newPager(r, n, importErrorsPerPage, len(rep.Errors)), Bad: rep.Rows - rep.Valid}
	if job.State == assetio.JobMapping || rep.Rows == 0 {
		d.Pager, d.Bad = pager{}, 0 // a header only: no rows read yet
	}
	for _, e := range rep.Errors[min(offset, len(rep.Errors)):min(offset+importErrorsPerPage, len(rep.Errors))] {
		msg := e.Message
		if p.Lang == i18n.En && e.MessageEn != "" {
			msg = e.MessageEn
		}
		d.Errors = append(d.Errors, rowProblem{Row: e.Row, Column: e.Column, Message: msg})
	}
	for _, c := range rep.Summary {
		ex := c.Example
		if p.Lang == i18n.En && c.ExampleEn != "" {
			ex = c.ExampleEn
		}
		d.Summary = append(d.Summary, problemCount{Column: c.Column, Example: ex, Count: c.Count, FirstRow: c.FirstRow})
	}
	for _, o := range rep.Outcomes[:min(len(rep.Outcomes), importOutcomesShown)] {
		if p.Lang == i18n.En {
			changes := make([]assetio.FieldChange, len(o.Changes))
			for i, c := range o.Changes {
				c.Label = c.LabelEn
				changes[i] = c
			}
			o.Changes = changes
		}
		d.Outcomes = append(d.Outcomes, o)
	}
	d.OutcomesCut = rep.Cut || len(rep.Outcomes) > importOutcomesShown
	if job.Problem != nil {
		p.Errors = problemMessages(p, job.Problem)
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "asset_import_report", p)
	return nil
}

type importProgressData struct {
	Job       jobView
	StatusURL string
	Message   string
}

func (w *Server) renderImportProgress(rw http.ResponseWriter, r *http.Request, job assetio.Job) error {
	p := w.newPage(r, "import.progress.title", "assets")
	p.Crumbs = []crumb{{p.T("assets.title"), "/assets"}, {p.T("import.title"), "/assets/import"}}
	p.Data = importProgressData{Job: jobView{job}, StatusURL: jobPath(job.ID) + "/status", Message: progressMessage(p.Lang, job)}
	w.render(rw, r, http.StatusOK, "asset_import_progress", p)
	return nil
}

// progressMessage says how far a running job is, in words.
func progressMessage(lang i18n.Lang, j assetio.Job) string {
	switch {
	case j.Interrupted:
		return i18n.T(lang, "import.progress.interrupted")
	case !j.Running():
		return i18n.T(lang, "import.progress.finished")
	case j.Stage == "apply":
		return i18n.T(lang, "import.progress.apply", j.Done, j.Total)
	case j.Stage == "check":
		return i18n.T(lang, "import.progress.check", j.Done)
	}
	return i18n.T(lang, "import.progress.start")
}

// importStatus is what the progress page polls.
type importStatus struct {
	State       string `json:"state"`
	Running     bool   `json:"running"`
	Interrupted bool   `json:"interrupted"`
	Stage       string `json:"stage"`
	Done        int    `json:"done"`
	Total       int    `json:"total"`
	Message     string `json:"message"`
}

// assetImportStatus answers a job's progress as JSON, for its starter (and platform
// administrators); another user's job is not found.
func (w *Server) assetImportStatus(rw http.ResponseWriter, r *http.Request) error {
	job, err := w.importJob(r)
	if err != nil {
		return err
	}
	b, err := json.Marshal(importStatus{State: job.State, Running: job.Running(), Interrupted: job.Interrupted,
		Stage: job.Stage, Done: job.Done, Total: job.Total, Message: progressMessage(stateOf(r).lang, job)})
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.Write(b)
	return nil
}

// assetImportErrors downloads every problem of the job's last report as a CSV, in the page's
// language: the page shows a hundred at a time.
func (w *Server) assetImportErrors(rw http.ResponseWriter, r *http.Request) error {
	job, err := w.importJob(r)
	if err != nil {
		return err
	}
	rep, err := w.imports.Report(r.Context(), stateOf(r).who, job.ID)
	if err != nil {
		return err
	}
	attachment(rw, "import-"+strconv.FormatInt(job.ID, 10)+"-errors.csv")
	return assetio.WriteErrors(rep, stateOf(r).lang == i18n.En, rw)
}

// assetImportRejected downloads the rows the report found bad, as they were, with what is wrong
// with each: the file to fix and import again.
func (w *Server) assetImportRejected(rw http.ResponseWriter, r *http.Request) error {
	job, err := w.importJob(r)
	if err != nil {
		return err
	}
	// Collected before the headers are sent, so that an error is still shown as a page.
	var buf bytes.Buffer
	if err := w.imports.Rejected(r.Context(), stateOf(r).who, job.ID, &buf); err != nil {
		return err
	}
	attachment(rw, "import-"+strconv.FormatInt(job.ID, 10)+"-rejected.csv")
	rw.Write(buf.Bytes())
	return nil
}

func attachment(rw http.ResponseWriter, name string) {
	rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
}
