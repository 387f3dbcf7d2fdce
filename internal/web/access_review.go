package web

import (
	"net/http"
	"net/url"
	"strconv"

	"mamori/internal/accessreview"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// One access review: its accounts with filters (status, flag, system, mine, words), the
// decision and proof forms of the accounts that are the user's, the bulk decision, and closing.

type accessReviewData struct {
	View     accessreview.View
	Items    []accessreview.Item
	Filter   accessreview.ItemFilter
	Statuses []string
	Flags    []string
	Outcomes []string
	Systems  []string
	Rules    []policy.AccessRule
	Decide   int // items on the page the user may decide
	Today    string
	Query    string // the filter as a query string, for the export and print links
}

func itemFilterOf(q url.Values) accessreview.ItemFilter {
	return accessreview.ItemFilter{Status: q.Get("status"), Flag: q.Get("flag"), SystemRef: q.Get("system"), Outcome: q.Get("outcome"),
		Query: q.Get("q"), Mine: q.Get("mine") == "1"}
}

func (w *Server) accessReview(rw http.ResponseWriter, r *http.Request) error {
	return w.accessReviewPage(rw, r, http.StatusOK, nil)
}

func (w *Server) accessReviewPage(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	id, perr := pathID(r)
	if perr != nil {
		return perr
	}
	f := itemFilterOf(r.URL.Query())
	v, items, verr := w.s.AccessReviews.Items(r.Context(), stateOf(r).who, id, f)
	if verr != nil {
		return verr
	}
	p := w.newPage(r, "accessreview.review.title", "access-reviews")
	p.Crumbs = []crumb{{p.T("accessreview.title"), "/access-reviews"}}
	if err != nil {
		p.withErrors(err)
	}
	d := accessReviewData{View: v, Items: items, Filter: f, Statuses: accessreview.Statuses, Flags: policy.AccessFlags,
		Outcomes: policy.AccessOutcomes, Today: w.s.Now().In(i18n.Tokyo).Format("2006-01-02"), Query: r.URL.RawQuery}
	if p.pack != nil {
		d.Rules = p.pack.AccessReview.Rules
	}
	seen := map[string]bool{}
	for _, it := range items {
		if it.Acts.Decide {
			d.Decide++
		}
		if !seen[it.SystemRef] {
			seen[it.SystemRef] = true
			d.Systems = append(d.Systems, it.SystemRef)
		}
	}
	p.Data = d
	w.render(rw, r, status, "access_review", p)
	return nil
}

// reviewActed finishes an act on a review: a field error or a conflict shows the review again
// with the message, success goes back to it with a notice.
func (w *Server) reviewActed(rw http.ResponseWriter, r *http.Request, err error, notice string) error {
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return w.accessReviewPage(rw, r, http.StatusUnprocessableEntity, err)
	case apperr.Conflict, apperr.Forbidden:
		return w.accessReviewPage(rw, r, http.StatusConflict, err)
	}
	if err != nil {
		return err
	}
	back := "/access-reviews/" + r.PathValue("id")
	if q := r.URL.RawQuery; q != "" {
		back += "?" + q
	}
	return w.redirect(rw, r, back, notice)
}

func itemPath(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || item <= 0 {
		return 0, 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, item, nil
}

func (w *Server) accessReviewDecide(rw http.ResponseWriter, r *http.Request) error {
	id, item, err := itemPath(r)
	if err != nil {
		return err
	}
	_, err = w.s.AccessReviews.Decide(r.Context(), stateOf(r).who, id, item, accessreview.Decision{Outcome: r.PostForm.Get("outcome"),
		Reason: r.PostForm.Get("reason"), Version: version(r)})
	return w.reviewActed(rw, r, err, "accessreview.flash.decided")
}

func (w *Server) accessReviewDecideMany(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	b := accessreview.Bulk{Outcome: r.PostForm.Get("outcome"), Reason: r.PostForm.Get("reason")}
	for _, s := range r.PostForm["item_ids"] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return w.reviewActed(rw, r, apperr.InvalidField("item_ids", "error.choose"), "")
		}
		b.ItemIDs = append(b.ItemIDs, n)
	}
	_, err = w.s.AccessReviews.DecideMany(r.Context(), stateOf(r).who, id, b)
	return w.reviewActed(rw, r, err, "accessreview.flash.decided_many")
}

func (w *Server) accessReviewProve(rw http.ResponseWriter, r *http.Request) error {
	id, item, err := itemPath(r)
	if err != nil {
		return err
	}
	_, err = w.s.AccessReviews.Prove(r.Context(), stateOf(r).who, id, item, accessreview.Proof{DoneOn: r.PostForm.Get("done_on"),
		DoneBy: r.PostForm.Get("done_by"), Note: r.PostForm.Get("note")})
	return w.reviewActed(rw, r, err, "accessreview.flash.proved")
}

func (w *Server) accessReviewClose(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	back := "/access-reviews/" + strconv.FormatInt(id, 10)
	if !w.confirmed(rw, r, "accessreview.close.title", "accessreview.close.confirm", back) {
		return nil
	}
	_, err = w.s.AccessReviews.Close(r.Context(), stateOf(r).who, id)
	return w.reviewActed(rw, r, err, "accessreview.flash.closed")
}
