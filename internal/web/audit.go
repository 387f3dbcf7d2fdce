package web

import (
	"net/http"
	"time"

	"mamori/internal/auditlog"
	"mamori/internal/i18n"
)

const auditPageSize = 50

// auditData is a page of the audit log with the chain's status, the actions to filter by and the
// users that are service accounts (marked in the actor column).
type auditData struct {
	Entries  []auditRow
	Status   auditlog.Status
	Actions  []string
	Pager    pager
	Services map[int64]bool
	Entities []string
	// VerifiedBy names who ran the latest full verification; SinceFull counts the entries
	// appended after it that the page's check verified now — 0 when the check started from the
	// chain's first entry, which the total already says.
	VerifiedBy string
	SinceFull  int64
}

// sinceFull is how many entries appended after the latest full verification were checked now.
// A check from the chain's beginning (no verification yet, a failed one, or one of an empty
// chain) speaks of the whole chain, not of entries added since.
func sinceFull(st auditlog.Status) int64 {
	last := st.LastFull
	if last == nil || last.HeadSeq == 0 || st.Report.HeadSeq <= last.HeadSeq {
		return 0
	}
	if n := st.Report.HeadSeq - last.HeadSeq; n < st.Report.Entries {
		return n
	}
	return st.Report.Entries
}

func (w *Server) audit(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	q := r.URL.Query()
	page, offset := pageQuery(r, auditPageSize)
	f := auditlog.Filter{Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Action: q.Get("action"), Actor: q.Get("actor"),
		Limit: auditPageSize, Offset: offset}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("from"), i18n.Tokyo); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("to"), i18n.Tokyo); err == nil {
		f.To = t.AddDate(0, 0, 1) // the whole "to" day
	}
	entries, total, err := w.s.Audit.List(ctx, who, f)
	if err != nil {
		return err
	}
	status, err := w.s.Audit.Status(ctx, who)
	if err != nil {
		return err
	}
	actions, err := w.s.Audit.Actions(ctx, who)
	if err != nil {
		return err
	}
	services, err := w.s.Auth.ServiceAccountIDs(ctx, who)
	if err != nil {
		return err
	}
	names, err := w.actorNames(ctx, who)
	if err != nil {
		return err
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	p := w.newPage(r, "audit.title", "audit")
	p.Form = q
	d := auditData{Entries: auditRows(labels{lang: p.Lang, pack: pack}, names, entries), Status: status, Actions: actions,
		Pager: newPager(r, page, auditPageSize, total), Services: services, Entities: auditEntities, SinceFull: sinceFull(status)}
	if status.LastFull != nil {
		d.VerifiedBy = actorName(p.Lang, names, 0, status.LastFull.By)
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "audit", p)
	return nil
}

// auditVerify walks the whole chain now, on request of an auditor or administrator.
func (w *Server) auditVerify(rw http.ResponseWriter, r *http.Request) error {
	st, err := w.s.Audit.FullVerify(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	if !st.OK() {
		return w.redirect(rw, r, "/audit", "")
	}
	return w.redirect(rw, r, "/audit", "audit.verified_full")
}
