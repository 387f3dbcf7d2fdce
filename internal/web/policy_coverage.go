package web

import (
	"net/http"

	"mamori/internal/policy"
)

// coverageData is the source side by side with the pack: each article the pack cites with the
// elements that act on it, and apart the elements no article states.
type coverageData struct {
	Pack     *policy.Compiled
	Articles []policy.ArticleCoverage
	Added    []policy.Element
}

// policyCoverage shows which elements of the active pack act on which article of its source.
// The source text is not part of the binary, so the list is of the articles the pack cites.
func (w *Server) policyCoverage(rw http.ResponseWriter, r *http.Request) error {
	p, _, err := w.s.Policy.Active(r.Context(), stateOf(r).who.OrgID)
	if err != nil {
		return err
	}
	d := coverageData{Pack: p}
	d.Articles, d.Added = p.Coverage()
	page := w.newPage(r, "policy.coverage.title", "policy")
	page.Crumbs = []crumb{{page.T("policy.title"), "/policy"}}
	page.Data = d
	w.render(rw, r, http.StatusOK, "policy_coverage", page)
	return nil
}
