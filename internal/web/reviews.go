package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/review"
)

// The reviews (見直し): one per fiscal year, with its state and how many of its proposals are
// decided; the 情報政策課 opens this year's from here.

type reviewsData struct {
	Reviews  []review.Review
	MayOpen  bool
	ThisYear int
	Years    []int
}

func (w *Server) reviews(rw http.ResponseWriter, r *http.Request) error {
	return w.renderReviews(rw, r, http.StatusOK, nil)
}

func (w *Server) renderReviews(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	list, lerr := w.s.Reviews.List(ctx, who)
	if lerr != nil {
		return lerr
	}
	year := review.FiscalYear(w.s.Now())
	p := w.newPage(r, "review.title", "reviews")
	if err != nil {
		p.withErrors(err)
	}
	p.Data = reviewsData{Reviews: list, MayOpen: w.s.Reviews.MayOpen(ctx, who), ThisYear: year, Years: []int{year, year - 1, year + 1}}
	w.render(rw, r, status, "reviews", p)
	return nil
}

// reviewOpen opens the review of the chosen fiscal year.
func (w *Server) reviewOpen(rw http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PostForm.Get("fiscal_year"))
	if err != nil {
		return w.renderReviews(rw, r, http.StatusUnprocessableEntity, apperr.InvalidField("fiscal_year", "error.number"))
	}
	rv, err := w.s.Reviews.Open(r.Context(), stateOf(r).who, year)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderReviews(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/reviews/"+strconv.FormatInt(rv.ID, 10), "review.opened")
}

// reviewsExport downloads the list of reviews.
func (w *Server) reviewsExport(rw http.ResponseWriter, r *http.Request) error {
	list, err := w.s.Reviews.List(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "review.title", "reviews")
	rows := make([][]any, 0, len(list))
	for _, rv := range list {
		decided := 0
		for _, pr := range rv.Proposals {
			if pr.Decision != "" {
				decided++
			}
		}
		rows = append(rows, []any{p.FiscalYear(rv.FiscalYear), rv.PackID + " " + rv.PackVersion, p.T("review.state." + rv.State),
			len(rv.Proposals), decided, rv.CreatedBy, rv.CreatedAt.Format("2006-01-02T15:04:05Z07:00")})
	}
	return sendXLSX(rw, "reviews", p.T("review.title"), []string{p.T("review.col.year"), p.T("review.col.pack"), p.T("review.col.state"),
		p.T("review.col.proposals"), p.T("review.col.decided"), p.T("review.col.created_by"), p.T("review.col.created_at")}, rows)
}
