package api

import (
	"net/http"

	"mamori/internal/auditlog"
)

// verifyResponse is the chain check with its verdict spelled out, and the chain held against
// its signed checkpoints kept outside the database (absent when none are kept).
type verifyResponse struct {
	auditlog.Report
	Anchor *auditlog.AnchorStatus `json:"anchor,omitempty"`
	OK     bool                   `json:"ok"`
}

func (a *api) listAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := auditlog.Filter{Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Action: q.Get("action"),
		Actor: q.Get("actor"), Limit: p.limit, Offset: p.offset}
	if f.From, err = queryTime(r, "from", false); err != nil {
		return err
	}
	if f.To, err = queryTime(r, "to", true); err != nil {
		return err
	}
	entries, total, err := a.s.Audit.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, entries, total)
}

func (a *api) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	// The checkpoints first: entries appended meanwhile then only lengthen the chain.
	anchor, err := a.s.Audit.CheckAnchor(r.Context(), actor(r))
	if err != nil {
		return err
	}
	rep, err := a.s.Audit.Verify(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return ok(w, verifyResponse{Report: rep, Anchor: anchor, OK: rep.OK() && anchor.OK()})
}
