package api

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/audit"
)

// 情報セキュリティ監査 (not the audit log, /api/v1/audit): plans, audits with their team,
// items, results, findings and corrective actions, the report and the suggestion of which
// departments to audit first. The audit service decides who reads and does what; evidence files
// come in the JSON body as base64 (content).

type auditorInput struct {
	StaffID int64 `json:"staff_id"`
}

type evidenceInput struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type,omitempty"`
	Content     []byte `json:"content"` // base64 in JSON
}

type resultInput struct {
	Result   string          `json:"result"`
	Note     string          `json:"note,omitempty"`
	Evidence []evidenceInput `json:"evidence,omitempty"`
}

type completionInput struct {
	Note     string          `json:"note"`
	Evidence []evidenceInput `json:"evidence"`
}

func evidenceOf(in []evidenceInput) []audit.NewEvidence {
	out := make([]audit.NewEvidence, len(in))
	for i, e := range in {
		out[i] = audit.NewEvidence{Name: e.Name, ContentType: e.ContentType, Body: e.Content}
	}
	return out
}

func yearQuery(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.InvalidField("year", "audits.error.year")
	}
	return y, nil
}

func subPathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, nil
}

func (a *api) listAudits(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	year, err := yearQuery(r)
	if err != nil {
		return err
	}
	list, err := a.s.Audits.List(r.Context(), actor(r), year)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) createAudit(w http.ResponseWriter, r *http.Request) error {
	var in audit.NewAudit
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	d, err := a.s.Audits.Create(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/audits/"+strconv.FormatInt(d.ID, 10), d)
}

func (a *api) getAudit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := a.s.Audits.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, d)
}

func (a *api) addAuditor(w http.ResponseWriter, r *http.Request) error {
	var in auditorInput
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	d, err := a.s.Audits.AddAuditor(r.Context(), actor(r), id, in.StaffID)
	if err != nil {
		return err
	}
	return ok(w, d)
}

func (a *api) addAuditItem(w http.ResponseWriter, r *http.Request) error {
	var in audit.NewItem
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	it, err := a.s.Audits.AddItem(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return created(w, "", it)
}

func (a *api) recordAuditResult(w http.ResponseWriter, r *http.Request) error {
	item, err := subPathID(r, "item")
	if err != nil {
		return err
	}
	var in resultInput
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	it, err := a.s.Audits.RecordResult(r.Context(), actor(r), id, item, audit.ResultInput{Result: in.Result, Note: in.Note, Evidence: evidenceOf(in.Evidence)})
	if err != nil {
		return err
	}
	return ok(w, it)
}

func (a *api) addAuditFinding(w http.ResponseWriter, r *http.Request) error {
	var in audit.NewFinding
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	f, err := a.s.Audits.AddFinding(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return created(w, "", f)
}

func (a *api) planCorrectiveAction(w http.ResponseWriter, r *http.Request) error {
	fid, err := subPathID(r, "finding")
	if err != nil {
		return err
	}
	var in audit.NewAction
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	c, err := a.s.Audits.PlanAction(r.Context(), actor(r), id, fid, in)
	if err != nil {
		return err
	}
	return created(w, "", c)
}

func (a *api) closeAuditFinding(w http.ResponseWriter, r *http.Request) error {
	fid, err := subPathID(r, "finding")
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := a.s.Audits.CloseFinding(r.Context(), actor(r), id, fid)
	if err != nil {
		return err
	}
	return ok(w, f)
}

func (a *api) completeCorrectiveAction(w http.ResponseWriter, r *http.Request) error {
	aid, err := subPathID(r, "action")
	if err != nil {
		return err
	}
	var in completionInput
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	c, err := a.s.Audits.CompleteAction(r.Context(), actor(r), id, aid, audit.Completion{Note: in.Note, Evidence: evidenceOf(in.Evidence)})
	if err != nil {
		return err
	}
	return ok(w, c)
}

func (a *api) checkCorrectiveAction(w http.ResponseWriter, r *http.Request) error {
	aid, err := subPathID(r, "action")
	if err != nil {
		return err
	}
	var in audit.CheckInput
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	c, err := a.s.Audits.CheckAction(r.Context(), actor(r), id, aid, in)
	if err != nil {
		return err
	}
	return ok(w, c)
}

func (a *api) draftAuditReport(w http.ResponseWriter, r *http.Request) error {
	var in audit.ReportInput
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	d, err := a.s.Audits.SaveReport(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return ok(w, d)
}

func (a *api) issueAuditReport(w http.ResponseWriter, r *http.Request) error {
	var in audit.ReportInput
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	d, err := a.s.Audits.IssueReport(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return ok(w, d)
}

func (a *api) listAuditPlans(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	year, err := yearQuery(r)
	if err != nil {
		return err
	}
	list, err := a.s.Audits.Plans(r.Context(), actor(r), year)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) createAuditPlan(w http.ResponseWriter, r *http.Request) error {
	var in audit.NewPlan
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	pl, err := a.s.Audits.CreatePlan(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return created(w, "", pl)
}

func (a *api) auditSuggestions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	year, err := yearQuery(r)
	if err != nil {
		return err
	}
	if year == 0 {
		year = audit.FiscalYear(a.s.Now())
	}
	list, err := a.s.Audits.Suggest(r.Context(), actor(r), year)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}
