package web

import (
	"net/http"
	"net/url"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/review"
)

// A review: for each article of the pack what the records of the year say of it — counted by
// kind — and the proposal for it with its decision; the acts of the 情報政策課 (propose,
// submit, link an approved change to the new pack version) and of the deciders (decide).

type reviewData struct {
	review.Gathered
	Rows  []review.Article // the articles shown: those with facts or a proposal, or all
	All   bool
	Kinds []string // the kinds of fact, in the order the columns show them
	Base  string   // the review's path
}

// factKinds are the kinds of fact a review shows as columns, in this order; a kind a new
// source brings is shown with them.
var factKinds = []string{"inspection", "audit", "finding", "incident", "risk", "exception"}

func kindsOf(g review.Gathered) []string {
	out := append([]string{}, factKinds...)
	for k := range g.Counts {
		known := false
		for _, x := range out {
			known = known || x == k
		}
		if !known {
			out = append(out, k)
		}
	}
	return out
}

func (w *Server) reviewDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.renderReview(rw, r, http.StatusOK, nil)
}

func (w *Server) renderReview(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	id, perr := pathID(r)
	if perr != nil {
		return perr
	}
	g, gerr := w.s.Reviews.Gather(r.Context(), stateOf(r).who, id)
	if gerr != nil {
		return gerr
	}
	d := reviewData{Gathered: g, All: r.URL.Query().Get("all") == "1", Kinds: kindsOf(g), Base: "/reviews/" + strconv.FormatInt(id, 10)}
	for _, a := range g.Articles {
		if d.All || len(a.Facts) > 0 || a.Proposal != nil {
			d.Rows = append(d.Rows, a)
		}
	}
	p := w.newPage(r, "review.detail.title", "reviews")
	p.Crumbs = []crumb{{p.T("review.title"), "/reviews"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = d
	w.render(rw, r, status, "review_detail", p)
	return nil
}

type reviewArticleData struct {
	Review   review.Review
	Actions  review.Actions
	Article  review.Article
	Kinds    []string
	Base     string
	Deciders []string
	// ProposalKinds are the kinds of proposal the form offers.
	ProposalKinds []string
}

// reviewArticle is one article of a review: what the pack does with it, the facts of the year,
// the proposal and its decision, with the forms the actor may use.
func (w *Server) reviewArticle(rw http.ResponseWriter, r *http.Request) error {
	return w.renderReviewArticle(rw, r, http.StatusOK, r.URL.Query().Get("article"), nil)
}

func (w *Server) renderReviewArticle(rw http.ResponseWriter, r *http.Request, status int, art string, err error) error {
	id, perr := pathID(r)
	if perr != nil {
		return perr
	}
	g, gerr := w.s.Reviews.Gather(r.Context(), stateOf(r).who, id)
	if gerr != nil {
		return gerr
	}
	a, ok := g.Article(art)
	if !ok {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	p := w.newPage(r, "review.article.title", "reviews")
	base := "/reviews/" + strconv.FormatInt(id, 10)
	p.Crumbs = []crumb{{p.T("review.title"), "/reviews"}, {p.FiscalYear(g.Review.FiscalYear), base}}
	if err != nil {
		p.withErrors(err)
	} else if a.Proposal != nil {
		p.Form = url.Values{"kind": {a.Proposal.Kind}, "text": {a.Proposal.Text}}
	}
	p.Data = reviewArticleData{Review: g.Review, Actions: g.Actions, Article: a, Kinds: kindsOf(g), Base: base, Deciders: g.Deciders,
		ProposalKinds: review.Kinds}
	w.render(rw, r, status, "review_article", p)
	return nil
}

func articleHref(base, art string) string {
	return base + "/article?" + url.Values{"article": {art}}.Encode()
}

// reviewPropose records the proposal for an article; a field error shows the article again.
func (w *Server) reviewPropose(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := review.ProposalInput{Article: r.PostForm.Get("article"), Kind: r.PostForm.Get("kind"), Text: r.PostForm.Get("text")}
	_, err = w.s.Reviews.Propose(r.Context(), stateOf(r).who, id, in)
	if apperr.CodeOf(err) == apperr.Invalid {
		if _, ok := r.PostForm["new"]; ok {
			return w.renderReview(rw, r, http.StatusUnprocessableEntity, err)
		}
		return w.renderReviewArticle(rw, r, http.StatusUnprocessableEntity, in.Article, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, articleHref("/reviews/"+r.PathValue("id"), in.Article), "review.proposed")
}

// reviewSubmit lays the review before the deciders, after the 確認 step.
func (w *Server) reviewSubmit(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	back := "/reviews/" + r.PathValue("id")
	if _, _, err := w.s.Reviews.Get(r.Context(), stateOf(r).who, id); err != nil {
		return err
	}
	if !w.confirmed(rw, r, "review.submit.title", "review.submit.confirm", back) {
		return nil
	}
	_, err = w.s.Reviews.Submit(r.Context(), stateOf(r).who, id)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderReview(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, back, "review.submitted")
}

func proposalID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, nil
}

// reviewDecide records the deciders' decision on one proposal.
func (w *Server) reviewDecide(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pid, err := proposalID(r)
	if err != nil {
		return err
	}
	art := r.PostForm.Get("article")
	_, err = w.s.Reviews.Decide(r.Context(), stateOf(r).who, id, pid, review.DecisionInput{Decision: r.PostForm.Get("decision"),
		Note: r.PostForm.Get("note")})
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderReviewArticle(rw, r, http.StatusUnprocessableEntity, art, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, articleHref("/reviews/"+r.PathValue("id"), art), "review.decided")
}

// reviewLink links an approved change to the pack version now active.
func (w *Server) reviewLink(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pid, err := proposalID(r)
	if err != nil {
		return err
	}
	art := r.PostForm.Get("article")
	_, err = w.s.Reviews.Link(r.Context(), stateOf(r).who, id, pid)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderReviewArticle(rw, r, http.StatusUnprocessableEntity, art, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, articleHref("/reviews/"+r.PathValue("id"), art), "review.linked")
}

// reviewDiff shows what the pack version linked to a proposal changed (pack diff).
func (w *Server) reviewDiff(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pid, err := proposalID(r)
	if err != nil {
		return err
	}
	c, err := w.s.Reviews.Diff(r.Context(), stateOf(r).who, id, pid)
	if err != nil {
		return err
	}
	p := w.newPage(r, "review.diff.title", "reviews")
	base := "/reviews/" + r.PathValue("id")
	p.Crumbs = []crumb{{p.T("review.title"), "/reviews"}, {p.T("review.detail.title"), base}}
	p.Data = struct {
		review.Change
		Back string
	}{c, articleHref(base, c.Proposal.Article)}
	w.render(rw, r, http.StatusOK, "review_diff", p)
	return nil
}

// reviewExport downloads every article of the review with its counts and proposal.
func (w *Server) reviewExport(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := w.s.Reviews.Gather(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "review.detail.title", "reviews")
	kinds := kindsOf(g)
	header := []string{p.T("review.col.article"), p.T("review.col.elements")}
	for _, k := range kinds {
		header = append(header, p.Label("review.fact.", k))
	}
	header = append(header, p.T("review.col.proposal"), p.T("review.col.text"), p.T("review.col.decision"), p.T("review.col.note"))
	rows := make([][]any, 0, len(g.Articles))
	for _, a := range g.Articles {
		row := []any{a.Article, len(a.Elements)}
		for _, k := range kinds {
			row = append(row, a.Counts[k])
		}
		if pr := a.Proposal; pr != nil {
			dec := ""
			if pr.Decision != "" {
				dec = p.T("review.decision." + pr.Decision)
			}
			row = append(row, p.T("review.kind."+pr.Kind), pr.Text, dec, pr.DecisionNote)
		} else {
			row = append(row, "", "", "", "")
		}
		rows = append(rows, row)
	}
	return sendXLSX(rw, "review-"+strconv.Itoa(g.Review.FiscalYear), p.FiscalYear(g.Review.FiscalYear), header, rows)
}

func init() { funcs["articleHref"] = articleHref }

// Has reports whether the catalog has a key (a fact's state that a source names).
func (p *page) Has(key string) bool { return i18n.Has(p.Lang, key) }
