package web

import (
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/i18n"
	"mamori/internal/inspection"
)

// A campaign's progress: each sheet the user reads — its department (or role), who answers it,
// how many items are answered, its state — and, for the 情報政策課, closing the campaign.

func (w *Server) inspectionProgress(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := w.s.Inspections.Campaign(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "inspection.progress.title", "inspections")
	p.Crumbs = []crumb{{p.T("inspection.title"), "/self-inspections"}}
	p.Data = pr
	w.render(rw, r, http.StatusOK, "inspection_progress", p)
	return nil
}

func (w *Server) inspectionClose(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	back := "/self-inspections/" + strconv.FormatInt(id, 10)
	if !w.confirmed(rw, r, "inspection.close.title", "inspection.close.confirm", back) {
		return nil
	}
	if _, err := w.s.Inspections.Close(r.Context(), stateOf(r).who, id); err != nil {
		return err
	}
	return w.redirect(rw, r, back, "inspection.flash.closed")
}

// inspectionExport downloads the progress by sheet and every answer the user reads.
func (w *Server) inspectionExport(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st := stateOf(r)
	pr, err := w.s.Inspections.Campaign(r.Context(), st.who, id)
	if err != nil {
		return err
	}
	answers, err := w.s.Inspections.AnswersTable(r.Context(), st.who, id, st.lang)
	if err != nil {
		return err
	}
	t := func(k string, a ...any) string { return i18n.T(st.lang, k, a...) }
	progress := inspection.Table{
		Name: t("inspection.progress.title"),
		Head: []string{t("inspection.field.department"), t("inspection.field.answerers"), t("inspection.field.state"), t("inspection.field.answered"),
			t("inspection.field.items"), t("inspection.answer.done"), t("inspection.answer.partial"), t("inspection.answer.not_done"),
			t("inspection.answer.not_applicable"), t("inspection.field.deadline"), t("inspection.field.return_reason")},
		Rows: rowsOf(pr.Sheets, func(s inspection.Sheet) []any {
			return []any{s.Name(), strings.Join(s.Answerers, "、"), t("inspection.sheet_state." + s.State), s.Answered, s.Items,
				s.Counts.Done, s.Counts.Partial, s.Counts.NotDone, s.Counts.NotApplicable, s.Deadline, s.ReturnReason}
		}),
	}
	return w.xlsx(rw, "self-inspection-"+strconv.FormatInt(id, 10), progress, answers)
}
