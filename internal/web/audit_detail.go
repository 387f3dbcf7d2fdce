package web

import (
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/audit"
)

// One audit: its plan (scope, criteria, team, dates), items and results, findings with their
// corrective actions, and the report; each form shown to whom the audit service lets act.

type engagementData struct {
	D        audit.Detail
	Href     string
	Staff    []audit.Candidate
	Methods  []string
	Results  []string
	Open     []audit.Item // items with a non-conforming result and no finding yet
	Unplaced bool         // the report may not be issued while an item has no result
}

func (w *Server) auditDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.auditDetailPage(rw, r, http.StatusOK, "", nil)
}

func (w *Server) auditDetailPage(rw http.ResponseWriter, r *http.Request, status int, form string, fail error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), stateOf(r).who
	d, err := w.s.Audits.Get(ctx, who, id)
	if err != nil {
		return err
	}
	data := engagementData{D: d, Href: "/audits/" + strconv.FormatInt(id, 10), Methods: audit.Methods, Results: audit.Results}
	if d.Acts.AddAuditor || len(d.Acts.Plan) > 0 {
		if data.Staff, err = w.s.Audits.Candidates(ctx, who); err != nil {
			return err
		}
	}
	found := map[int64]bool{}
	for _, f := range d.Findings {
		found[f.ItemID] = true
	}
	for _, it := range d.Items {
		if it.Result == "" {
			data.Unplaced = true
		} else if it.Result != "conforming" && !found[it.ID] {
			data.Open = append(data.Open, it)
		}
	}
	p := w.newPage(r, "audits.detail.title", "audits")
	p.Crumbs = []crumb{{p.T("audits.title"), "/audits?year=" + strconv.Itoa(d.FiscalYear)}}
	if fail != nil {
		p.withErrors(fail)
		for i := range p.Errors {
			if p.Errors[i].Field != "" {
				p.Errors[i].Field = form + "-" + p.Errors[i].Field
			}
		}
	}
	if p.Form.Get("form") == "" {
		// The report form starts from the saved draft.
		p.Form = url.Values{"form": {"report"}, "intro": {d.Report.Intro}, "summary": {d.Report.Summary}, "opinion": {d.Report.Opinion},
			"remarks": {d.Report.Remarks}}
	}
	p.Data = data
	w.render(rw, r, status, "audit_detail", p)
	return nil
}

// auditAct runs one act of the audit page and shows the page again with the form's errors,
// or goes back to the section with a notice.
func (w *Server) auditAct(rw http.ResponseWriter, r *http.Request, form, section string, act func(id int64, v *apperr.Validation) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var v apperr.Validation
	err = act(id, &v)
	if err == nil {
		err = v.Err()
	}
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return w.auditDetailPage(rw, r, http.StatusUnprocessableEntity, form, err)
	case apperr.Conflict:
		return w.auditDetailPage(rw, r, http.StatusConflict, form, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/audits/"+strconv.FormatInt(id, 10)+"#"+section, "audits.saved")
}

func subID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, nil
}

// uploads reads the form's evidence files; an empty file input gives none.
func uploads(r *http.Request) ([]audit.NewEvidence, error) {
	var files []*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File["evidence"]
	}
	var out []audit.NewEvidence
	for _, h := range files {
		if h.Filename == "" && h.Size == 0 {
			continue
		}
		if h.Size > audit.MaxEvidenceSize {
			return nil, apperr.InvalidField("evidence", "audits.error.evidence_size", h.Filename, audit.MaxEvidenceSize>>20)
		}
		body, err := readUpload(h)
		if err != nil {
			return nil, err
		}
		out = append(out, audit.NewEvidence{Name: h.Filename, ContentType: h.Header.Get("Content-Type"), Body: body})
	}
	return out, nil
}

func (w *Server) auditAuditorAdd(rw http.ResponseWriter, r *http.Request) error {
	return w.auditAct(rw, r, "auditor", "team", func(id int64, v *apperr.Validation) error {
		st := formID(v, r, "staff_id")
		if st == 0 {
			v.Add("staff_id", "error.choose")
			return nil
		}
		_, err := w.s.Audits.AddAuditor(r.Context(), stateOf(r).who, id, st)
		return err
	})
}

func (w *Server) auditItemAdd(rw http.ResponseWriter, r *http.Request) error {
	return w.auditAct(rw, r, "item", "items", func(id int64, v *apperr.Validation) error {
		f := r.PostForm
		in := audit.NewItem{DepartmentID: formID(v, r, "department_id"), Title: f.Get("title"), Article: f.Get("article"), Method: f.Get("method")}
		if v.Err() != nil {
			return nil
		}
		_, err := w.s.Audits.AddItem(r.Context(), stateOf(r).who, id, in)
		return err
	})
}

func (w *Server) auditItemResult(rw http.ResponseWriter, r *http.Request) error {
	item, err := subID(r, "item")
	if err != nil {
		return err
	}
	return w.auditAct(rw, r, "result-"+strconv.FormatInt(item, 10), "items", func(id int64, v *apperr.Validation) error {
		ev, err := uploads(r)
		if err != nil {
			return err
		}
		_, err = w.s.Audits.RecordResult(r.Context(), stateOf(r).who, id, item, audit.ResultInput{Result: r.PostForm.Get("result"),
			Note: r.PostForm.Get("note"), Evidence: ev})
		return err
	})
}

func (w *Server) auditFindingAdd(rw http.ResponseWriter, r *http.Request) error {
	return w.auditAct(rw, r, "finding", "findings", func(id int64, v *apperr.Validation) error {
		f := r.PostForm
		in := audit.NewFinding{ItemID: formID(v, r, "item_id"), Title: f.Get("title"), Detail: f.Get("detail"), RootCause: f.Get("root_cause")}
		if v.Err() != nil {
			return nil
		}
		_, err := w.s.Audits.AddFinding(r.Context(), stateOf(r).who, id, in)
		return err
	})
}

func (w *Server) auditActionPlan(rw http.ResponseWriter, r *http.Request) error {
	fid, err := subID(r, "finding")
	if err != nil {
		return err
	}
	return w.auditAct(rw, r, "action-"+strconv.FormatInt(fid, 10), "findings", func(id int64, v *apperr.Validation) error {
		in := audit.NewAction{Plan: r.PostForm.Get("plan"), OwnerStaffID: formID(v, r, "owner_staff_id"), DueOn: r.PostForm.Get("due_on")}
		if v.Err() != nil {
			return nil
		}
		_, err := w.s.Audits.PlanAction(r.Context(), stateOf(r).who, id, fid, in)
		return err
	})
}

func (w *Server) auditActionDone(rw http.ResponseWriter, r *http.Request) error {
	aid, err := subID(r, "action")
	if err != nil {
		return err
	}
	return w.auditAct(rw, r, "done-"+strconv.FormatInt(aid, 10), "findings", func(id int64, v *apperr.Validation) error {
		ev, err := uploads(r)
		if err != nil {
			return err
		}
		_, err = w.s.Audits.CompleteAction(r.Context(), stateOf(r).who, id, aid, audit.Completion{Note: r.PostForm.Get("note"), Evidence: ev})
		return err
	})
}

func (w *Server) auditActionCheck(rw http.ResponseWriter, r *http.Request) error {
	aid, err := subID(r, "action")
	if err != nil {
		return err
	}
	return w.auditAct(rw, r, "check-"+strconv.FormatInt(aid, 10), "findings", func(id int64, v *apperr.Validation) error {
		f := r.PostForm
		if f.Get("effective") == "" {
			v.Add("effective", "error.choose")
			return nil
		}
		_, err := w.s.Audits.CheckAction(r.Context(), stateOf(r).who, id, aid, audit.CheckInput{Effective: f.Get("effective") == "yes",
			Note: f.Get("note"), FollowUp: f.Get("follow_up")})
		return err
	})
}

func (w *Server) auditFindingClose(rw http.ResponseWriter, r *http.Request) error {
	fid, err := subID(r, "finding")
	if err != nil {
		return err
	}
	return w.auditAct(rw, r, "close-"+strconv.FormatInt(fid, 10), "findings", func(id int64, v *apperr.Validation) error {
		_, err := w.s.Audits.CloseFinding(r.Context(), stateOf(r).who, id, fid)
		return err
	})
}

func (w *Server) auditReport(rw http.ResponseWriter, r *http.Request) error {
	return w.auditAct(rw, r, "report", "report", func(id int64, v *apperr.Validation) error {
		f := r.PostForm
		in := audit.ReportInput{Intro: f.Get("intro"), Summary: f.Get("summary"), Opinion: f.Get("opinion"), Remarks: f.Get("remarks")}
		var err error
		if f.Get("issue") == "yes" {
			_, err = w.s.Audits.IssueReport(r.Context(), stateOf(r).who, id, in)
		} else {
			_, err = w.s.Audits.SaveReport(r.Context(), stateOf(r).who, id, in)
		}
		return err
	})
}

// auditEvidence sends an evidence file as an attachment, never as active content.
func (w *Server) auditEvidence(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	eid, err := subID(r, "evidence")
	if err != nil {
		return err
	}
	ev, body, err := w.s.Audits.EvidenceBody(r.Context(), stateOf(r).who, id, eid)
	if err != nil {
		return err
	}
	h := rw.Header()
	h.Set("Content-Type", ev.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err = rw.Write(body)
	return err
}

// auditPrint is the audit report (監査報告書) or the audit's plan (監査実施計画書) on A4.
func (w *Server) auditPrint(name string) handlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		d, err := w.s.Audits.Get(r.Context(), stateOf(r).who, id)
		if err != nil {
			return err
		}
		p := w.newPage(r, "audits."+name+".title", "audits")
		p.Crumbs = []crumb{{p.T("audits.title"), "/audits"}, {d.Title, "/audits/" + strconv.FormatInt(id, 10)}}
		p.Data = auditPrintData{D: d, PrintedOn: p.Date(w.s.Now()), Href: "/audits/" + strconv.FormatInt(id, 10)}
		w.render(rw, r, http.StatusOK, "audit_"+name, p)
		return nil
	}
}

type auditPrintData struct {
	D         audit.Detail
	PrintedOn string
	Href      string
}

// Grades counts the results of the audit's items by result, for the report's summary table.
func (d auditPrintData) Grades() map[string]int {
	out := map[string]int{}
	for _, it := range d.D.Items {
		out[it.Result]++
	}
	return out
}

type yearPlanData struct {
	Plan      audit.Plan
	Audits    []audit.Audit
	PrintedOn string
}

// auditPlanPrint is a multi-year or yearly audit plan (監査計画書) on A4, with the audits planned
// under it.
func (w *Server) auditPlanPrint(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pl, audits, err := w.s.Audits.PlanOf(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "audits.year_plan.title", "audits")
	p.Crumbs = []crumb{{p.T("audits.title"), "/audits?year=" + strconv.Itoa(pl.FromYear)}}
	p.Data = yearPlanData{Plan: pl, Audits: audits, PrintedOn: p.Date(w.s.Now())}
	w.render(rw, r, http.StatusOK, "audit_year_plan", p)
	return nil
}
