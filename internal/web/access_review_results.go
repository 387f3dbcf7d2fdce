package web

import (
	"net/http"
	"strconv"

	"mamori/internal/accessreview"
)

// A review's results by system, the review sheet (棚卸し結果) printed on A4 with signature
// blanks, and the review as .xlsx — each of the accounts the user reads.

type accessReviewResultsData struct {
	View    accessreview.View
	Systems []accessreview.SystemResult
	Total   accessreview.Counts
}

func (w *Server) accessReviewResults(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, systems, err := w.s.AccessReviews.Results(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "accessreview.results.title", "access-reviews")
	p.Crumbs = []crumb{{p.T("accessreview.title"), "/access-reviews"}, {v.Review.Title, "/access-reviews/" + strconv.FormatInt(id, 10)}}
	d := accessReviewResultsData{View: v, Systems: systems}
	for _, s := range systems {
		d.Total = addCounts(d.Total, s.Counts)
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "access_review_results", p)
	return nil
}

func addCounts(a, b accessreview.Counts) accessreview.Counts {
	return accessreview.Counts{Total: a.Total + b.Total, Decided: a.Decided + b.Decided, Kept: a.Kept + b.Kept, Removed: a.Removed + b.Removed,
		Changed: a.Changed + b.Changed, Pending: a.Pending + b.Pending, Awaiting: a.Awaiting + b.Awaiting, Proved: a.Proved + b.Proved,
		Flagged: a.Flagged + b.Flagged, Overdue: a.Overdue + b.Overdue}
}

type accessReviewPrintData struct {
	View      accessreview.View
	Items     []accessreview.Item
	Total     accessreview.Counts
	PrintedOn string
}

// accessReviewPrint is the review sheet (棚卸し結果) on A4: the review, every account the user
// reads with its flags, decision and proof, the totals, and blanks for the reviewers' and the
// system administrator's signatures.
func (w *Server) accessReviewPrint(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, items, err := w.s.AccessReviews.Items(r.Context(), stateOf(r).who, id, itemFilterOf(r.URL.Query()))
	if err != nil {
		return err
	}
	p := w.newPage(r, "accessreview.print.title", "access-reviews")
	p.Crumbs = []crumb{{p.T("accessreview.title"), "/access-reviews"}, {v.Review.Title, "/access-reviews/" + strconv.FormatInt(id, 10)}}
	d := accessReviewPrintData{View: v, Items: items, PrintedOn: p.Date(w.s.Now())}
	for _, it := range items {
		d.Total = addCounts(d.Total, countOf(it))
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "access_review_print", p)
	return nil
}

func countOf(it accessreview.Item) accessreview.Counts {
	c := accessreview.Counts{Total: 1}
	switch it.Outcome {
	case "":
		c.Pending = 1
		return c
	case "keep":
		c.Kept = 1
	case "remove":
		c.Removed = 1
	case "change":
		c.Changed = 1
	}
	c.Decided = 1
	return c
}

// accessReviewExport downloads the review's accounts (as filtered) and its results by system.
func (w *Server) accessReviewExport(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st := stateOf(r)
	_, items, err := w.s.AccessReviews.Items(r.Context(), st.who, id, itemFilterOf(r.URL.Query()))
	if err != nil {
		return err
	}
	_, systems, err := w.s.AccessReviews.Results(r.Context(), st.who, id)
	if err != nil {
		return err
	}
	return w.xlsx(rw, "access-review-"+strconv.FormatInt(id, 10), accessreview.ItemTables(st.lang, items, systems)...)
}
