package web

import (
	"net/http"
	"strconv"
	"time"

	"mamori/internal/accessreview"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
	"mamori/internal/org"
)

// 棚卸し: the access reviews the user reads, the form that opens one, the reviews waiting for
// the user's decisions or proofs, and the list as .xlsx.

type accessReviewsData struct {
	Reviews []accessreview.Review
	CanOpen bool
	Waiting int
}

func (w *Server) accessReviews(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	list, err := w.s.AccessReviews.List(ctx, who, accessreview.Filter{State: r.URL.Query().Get("state")})
	if err != nil {
		return err
	}
	_, n, err := w.s.AccessReviews.Awaiting(ctx, who, 0)
	if err != nil {
		return err
	}
	p := w.newPage(r, "accessreview.title", "access-reviews")
	p.Data = accessReviewsData{Reviews: list, CanOpen: w.s.AccessReviews.CanOpen(ctx, who), Waiting: n}
	w.render(rw, r, http.StatusOK, "access_reviews", p)
	return nil
}

// accessReviewsMine lists the open reviews with accounts the user still has to decide or
// removals to prove.
func (w *Server) accessReviewsMine(rw http.ResponseWriter, r *http.Request) error {
	list, _, err := w.s.AccessReviews.Awaiting(r.Context(), stateOf(r).who, 1000)
	if err != nil {
		return err
	}
	p := w.newPage(r, "accessreview.mine.title", "access-reviews")
	p.Crumbs = []crumb{{p.T("accessreview.title"), "/access-reviews"}}
	p.Data = list
	w.render(rw, r, http.StatusOK, "access_reviews_mine", p)
	return nil
}

type accessReviewFormData struct {
	Systems       []accessreview.System
	Tree          []org.Department
	CanDepartment bool
	DueDays       int
}

func (w *Server) accessReviewNewForm(rw http.ResponseWriter, r *http.Request) error {
	return w.accessReviewForm(rw, r, http.StatusOK, nil)
}

func (w *Server) accessReviewForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	if !w.s.AccessReviews.CanOpen(ctx, who) {
		return apperr.New(apperr.Forbidden, "accessreview.error.may_not_open")
	}
	systems, serr := w.s.AccessReviews.Systems(ctx, who)
	if serr != nil {
		return serr
	}
	_, tree, terr := w.departmentNames(ctx, who)
	if terr != nil {
		return terr
	}
	p := w.newPage(r, "accessreview.new.title", "access-reviews")
	p.Crumbs = []crumb{{p.T("accessreview.title"), "/access-reviews"}}
	d := accessReviewFormData{Systems: systems, Tree: tree, CanDepartment: w.s.AccessReviews.CanOpenDepartment(ctx, who)}
	if p.pack != nil {
		d.DueDays = p.pack.AccessReview.DueDays
	}
	if r.Method != http.MethodPost {
		now := w.s.Now().In(i18n.Tokyo)
		p.Form = map[string][]string{"title": {p.T("accessreview.new.default_title", inspection.FiscalYearOf(now))}, "scope": {"system"},
			"due_on": {now.AddDate(0, 0, d.DueDays).Format(time.DateOnly)}}
	}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = d
	w.render(rw, r, status, "access_review_form", p)
	return nil
}

func (w *Server) accessReviewCreate(rw http.ResponseWriter, r *http.Request) error {
	in := accessreview.NewReview{Title: r.PostForm.Get("title"), Scope: r.PostForm.Get("scope"), SystemRef: r.PostForm.Get("system_ref"),
		DueOn: r.PostForm.Get("due_on")}
	if s := r.PostForm.Get("department_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return w.accessReviewForm(rw, r, http.StatusUnprocessableEntity, apperr.InvalidField("department_id", "error.choose"))
		}
		in.DepartmentID = id
	}
	redisplay := func(status int, err error) error { return w.accessReviewForm(rw, r, status, err) }
	rv, err := w.s.AccessReviews.Open(r.Context(), stateOf(r).who, in)
	if apperr.CodeOf(err) == apperr.Conflict {
		return redisplay(http.StatusConflict, err)
	}
	return w.saved(rw, r, err, redisplay, "/access-reviews/"+strconv.FormatInt(rv.ID, 10), "accessreview.flash.opened")
}

func (w *Server) accessReviewsExport(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	list, err := w.s.AccessReviews.List(r.Context(), st.who, accessreview.Filter{Limit: 1000})
	if err != nil {
		return err
	}
	return w.xlsx(rw, "access-reviews", accessreview.ReviewsTable(st.lang, list))
}
