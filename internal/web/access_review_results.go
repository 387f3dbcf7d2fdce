package web

import (
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/accessreview"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
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
	t := func(k string, a ...any) string { return i18n.T(st.lang, k, a...) }
	flags := func(list []string) string {
		out := make([]string, len(list))
		for i, f := range list {
			out[i] = t("accessreview.flag." + f)
		}
		return strings.Join(out, "、")
	}
	label := func(prefix, v string) string {
		if v == "" {
			return ""
		}
		return t(prefix + v)
	}
	accounts := inspection.Table{
		Name: t("accessreview.export.accounts"),
		Head: []string{t("accessreview.field.system"), t("accessreview.field.login"), t("accessreview.field.kind"), t("accessreview.field.display_name"),
			t("accessreview.field.owner"), t("accessreview.field.department"), t("accessreview.field.last_login_on"), t("accessreview.field.flags"),
			t("accessreview.field.outcome"), t("accessreview.field.reason"), t("accessreview.field.decided_by"), t("accessreview.field.proof_on"),
			t("accessreview.field.proof_by"), t("accessreview.field.proof_note"), t("accessreview.field.status")},
		Rows: rowsOf(items, func(it accessreview.Item) []any {
			return []any{it.SystemRef, it.Login, label("accessreview.kind.", it.Kind), it.DisplayName, it.Owner(), it.DepartmentName, it.LastLoginOn,
				flags(it.Flags), label("accessreview.outcome.", it.Outcome), it.Reason, it.DecidedBy, it.ProofOn, it.ProofByName, it.ProofNote,
				t("accessreview.status." + it.Status())}
		}),
	}
	results := inspection.Table{
		Name: t("accessreview.results.title"),
		Head: []string{t("accessreview.field.system"), t("accessreview.count.total"), t("accessreview.count.decided"), t("accessreview.count.kept"),
			t("accessreview.count.removed"), t("accessreview.count.changed"), t("accessreview.count.pending"), t("accessreview.count.awaiting"),
			t("accessreview.count.overdue"), t("accessreview.count.flagged")},
		Rows: rowsOf(systems, func(s accessreview.SystemResult) []any {
			c := s.Counts
			return []any{accessreview.System{Ref: s.SystemRef, Name: s.SystemName}.Label(), c.Total, c.Decided, c.Kept, c.Removed, c.Changed,
				c.Pending, c.Awaiting, c.Overdue, c.Flagged}
		}),
	}
	return w.xlsx(rw, "access-review-"+strconv.FormatInt(id, 10), accounts, results)
}
