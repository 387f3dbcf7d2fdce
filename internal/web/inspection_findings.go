package web

import (
	"net/http"
	"slices"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
)

// The findings of 未実施 and 一部 answers: owner, due date, state; closing one with a note of
// what was done and an evidence file; the list as .xlsx.

type inspectionFindingsData struct {
	Rows   []inspection.Finding
	State  string
	States []string
}

var inspectionFindingStates = []string{"open", "closed", "all"}

func (w *Server) inspectionFindings(rw http.ResponseWriter, r *http.Request) error {
	return w.inspectionFindingsPage(rw, r, http.StatusOK, nil)
}

func (w *Server) inspectionFindingsPage(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	state := r.URL.Query().Get("state")
	if !slices.Contains(inspectionFindingStates, state) {
		state = "open"
	}
	list, lerr := w.s.Inspections.Findings(r.Context(), stateOf(r).who, inspection.FindingFilter{State: state, Limit: 500})
	if lerr != nil {
		return lerr
	}
	p := w.newPage(r, "inspection.findings.title", "inspections")
	p.Crumbs = []crumb{{p.T("inspection.title"), "/self-inspections"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = inspectionFindingsData{Rows: list, State: state, States: inspectionFindingStates}
	w.render(rw, r, status, "inspection_findings", p)
	return nil
}

func (w *Server) inspectionFindingClose(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var ev *inspection.NewEvidence
	if r.MultipartForm != nil {
		if files := r.MultipartForm.File["evidence"]; len(files) > 0 && (files[0].Filename != "" || files[0].Size > 0) {
			body, err := readUpload(files[0])
			if err != nil {
				return err
			}
			ev = &inspection.NewEvidence{Name: files[0].Filename, Body: body}
		}
	}
	_, err = w.s.Inspections.CloseFinding(r.Context(), stateOf(r).who, id, r.PostForm.Get("note"), ev)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.inspectionFindingsPage(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/self-inspection-findings", "inspection.flash.finding_closed")
}

func (w *Server) inspectionFindingsExport(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	list, err := w.s.Inspections.Findings(r.Context(), st.who, inspection.FindingFilter{State: "all", Limit: 500})
	if err != nil {
		return err
	}
	t := func(k string, a ...any) string { return i18n.T(st.lang, k, a...) }
	return w.xlsx(rw, "self-inspection-findings", inspection.Table{
		Name: t("inspection.findings.title"),
		Head: []string{t("inspection.field.fiscal_year"), t("inspection.field.title"), t("inspection.field.department"), t("inspection.field.question"),
			t("inspection.field.article"), t("inspection.field.answer"), t("inspection.field.owner"), t("inspection.field.due_on"),
			t("inspection.field.state"), t("inspection.field.close_note")},
		Rows: rowsOf(list, func(f inspection.Finding) []any {
			return []any{f.FiscalYear, f.CampaignTitle, f.Name, f.Question, f.Article, t("inspection.answer." + f.Answer), f.Owner, f.DueOn,
				t("inspection.finding_state." + f.State), f.CloseNote}
		}),
	})
}
