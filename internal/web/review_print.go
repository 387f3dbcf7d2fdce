package web

import (
	"net/http"

	"mamori/internal/review"
)

// The review report for the 委員会 (A4): the year, the pack reviewed, who decides, the facts of
// the year by kind, every proposal with what the records say of its article and its decision,
// and the articles the records bear on.

type reviewPrintData struct {
	review.Gathered
	Kinds     []string
	Proposed  []review.Article
	WithFacts []review.Article
	PrintedOn string
	Back      string
}

func (w *Server) reviewPrint(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := w.s.Reviews.Gather(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "review.print.title", "reviews")
	d := reviewPrintData{Gathered: g, Kinds: kindsOf(g), PrintedOn: p.Date(w.s.Now()), Back: "/reviews/" + r.PathValue("id")}
	for _, a := range g.Articles {
		if a.Proposal != nil {
			d.Proposed = append(d.Proposed, a)
		}
		if len(a.Facts) > 0 {
			d.WithFacts = append(d.WithFacts, a)
		}
	}
	p.Crumbs = []crumb{{p.T("review.title"), "/reviews"}, {p.FiscalYear(g.Review.FiscalYear), d.Back}}
	p.Data = d
	w.render(rw, r, http.StatusOK, "review_print", p)
	return nil
}
