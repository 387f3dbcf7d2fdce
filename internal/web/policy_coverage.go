package web

import (
	"net/http"

	"mamori/internal/policy"
)

// coverageShows are the filters of the coverage list: every article, those an element acts on,
// those none does (未対応).
var coverageShows = []string{"all", "acted", "unacted"}

// coverageData is the source side by side with the pack: each article of the source's index with
// the elements that act on it, chapter by chapter; the cited articles the index does not hold;
// and apart the elements no article states.
type coverageData struct {
	Pack     *policy.Compiled
	Coverage policy.Coverage
	Chapters []policy.ChapterCoverage // as the filter shows them
	Show     string
	Filters  []coverageFilterLink
	Total    int
}

// coverageFilterLink is one filter of the list with the number of articles it shows.
type coverageFilterLink struct {
	Show, Label string
	Count       int
	Current     bool
}

// coverageFilter keeps the chapters' articles the filter shows; a chapter keeps its counts.
func coverageFilter(cov policy.Coverage, show string) []policy.ChapterCoverage {
	var out []policy.ChapterCoverage
	for _, ch := range cov.Chapters {
		kept := ch
		kept.Articles = nil
		for _, a := range ch.Articles {
			if show == "all" || (show == "acted") == a.Acted() {
				kept.Articles = append(kept.Articles, a)
			}
		}
		out = append(out, kept)
	}
	return out
}

// coverageShow reads the filter, all by default.
func coverageShow(r *http.Request) string {
	s := r.URL.Query().Get("show")
	for _, x := range coverageShows {
		if s == x {
			return s
		}
	}
	return "all"
}

// policyCoverage shows which elements of the active pack act on which article of its source,
// and which articles none does yet.
func (w *Server) policyCoverage(rw http.ResponseWriter, r *http.Request) error {
	p, _, err := w.s.Policy.Active(r.Context(), stateOf(r).who.OrgID)
	if err != nil {
		return err
	}
	d := coverageData{Pack: p, Coverage: p.Coverage(), Show: coverageShow(r)}
	d.Chapters = coverageFilter(d.Coverage, d.Show)
	d.Total = d.Coverage.Acted + d.Coverage.NotActed
	for i, n := range []int{d.Total, d.Coverage.Acted, d.Coverage.NotActed} {
		s := coverageShows[i]
		d.Filters = append(d.Filters, coverageFilterLink{Show: s, Label: "policy.coverage.show." + s, Count: n, Current: s == d.Show})
	}
	page := w.newPage(r, "policy.coverage.title", "policy")
	page.Crumbs = []crumb{{page.T("policy.title"), "/policy"}}
	page.Data = d
	w.render(rw, r, http.StatusOK, "policy_coverage", page)
	return nil
}
