package web

import (
	"fmt"
	"net/http"
	"strconv"

	"mamori/internal/i18n"
	"mamori/internal/inspection"
)

// A campaign's results: department (or role) × chapter, each cell the rate this year beside
// the year before; the organisation's summary for the 委員会 on A4; and the matrix as .xlsx.

type inspectionResultsData struct {
	R         inspection.Results
	Findings  []inspection.Finding
	PrintedOn string
}

func (w *Server) inspectionResults(rw http.ResponseWriter, r *http.Request) error {
	return w.resultsPage(rw, r, "inspection.results.title", "inspection_results")
}

func (w *Server) inspectionSummary(rw http.ResponseWriter, r *http.Request) error {
	return w.resultsPage(rw, r, "inspection.summary.title", "inspection_summary")
}

func (w *Server) resultsPage(rw http.ResponseWriter, r *http.Request, title, tmpl string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), stateOf(r).who
	res, err := w.s.Inspections.Results(ctx, who, id)
	if err != nil {
		return err
	}
	d := inspectionResultsData{R: res}
	if tmpl == "inspection_summary" {
		all, err := w.s.Inspections.Findings(ctx, who, inspection.FindingFilter{State: "all", Limit: 500})
		if err != nil {
			return err
		}
		for _, f := range all {
			if f.CampaignID == id {
				d.Findings = append(d.Findings, f)
			}
		}
	}
	p := w.newPage(r, title, "inspections")
	p.Crumbs = []crumb{{p.T("inspection.title"), "/self-inspections"}, {res.Campaign.Title, "/self-inspections/" + strconv.FormatInt(id, 10)}}
	d.PrintedOn = p.Date(w.s.Now())
	p.Data = d
	w.render(rw, r, http.StatusOK, tmpl, p)
	return nil
}

// Rate shows a cell's rate as a percentage, or a dash when nothing applies.
func rateText(c inspection.Counts) string {
	if r := c.Rate(); r >= 0 {
		return fmt.Sprintf("%.0f%%", r)
	}
	return "—"
}

// deltaText shows the change from the year before in points (+5, −3), or "".
func deltaText(c inspection.Cell) string {
	d, ok := c.Delta()
	if !ok {
		return ""
	}
	switch {
	case d >= 0.5:
		return fmt.Sprintf("+%.0f", d)
	case d <= -0.5:
		return fmt.Sprintf("−%.0f", -d)
	}
	return "±0"
}

func (w *Server) inspectionResultsExport(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st := stateOf(r)
	res, err := w.s.Inspections.Results(r.Context(), st.who, id)
	if err != nil {
		return err
	}
	t := func(k string, a ...any) string { return i18n.T(st.lang, k, a...) }
	head := []string{t("inspection.field.department")}
	for _, ch := range res.Chapters {
		head = append(head, ch, ch+" "+t("inspection.results.before"))
	}
	head = append(head, t("inspection.results.sum"), t("inspection.results.sum")+" "+t("inspection.results.before"))
	row := func(x inspection.ResultRow) []any {
		out := []any{x.Name}
		for _, c := range append(x.Cells, x.Sum) {
			out = append(out, rateText(c.Now))
			if c.Before != nil {
				out = append(out, rateText(*c.Before))
			} else {
				out = append(out, "")
			}
		}
		return out
	}
	total := res.Total
	total.Name = t("inspection.results.total")
	return w.xlsx(rw, "self-inspection-results-"+strconv.FormatInt(id, 10), inspection.Table{
		Name: t("inspection.results.title"), Head: head,
		Rows: rowsOf(append(res.Rows, total), row),
	})
}

// Rate and Delta are rateText and deltaText for the templates.
func (inspectionResultsData) Rate(c inspection.Counts) string { return rateText(c) }
func (inspectionResultsData) Delta(c inspection.Cell) string  { return deltaText(c) }

// Low reports whether a rate is below three quarters (shown in warning colour with its text).
func (inspectionResultsData) Low(c inspection.Counts) bool { r := c.Rate(); return r >= 0 && r < 75 }
