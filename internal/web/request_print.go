package web

import (
	"net/http"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/request"
)

// A request as its paper form (様式): A4, the pack's form number and title, the applicant, the
// fields as a bordered table, the subject assets, and each decision with its role, name,
// 和暦 date and a box for the seal (印). One template serves every kind; a kind without a form
// prints as a generic 申請書.

type requestPrintData struct {
	requestDetailData
	Title     string
	Filed     string
	Decisions []eventView
	Seals     []sealCell
	PrintedOn string
}

// sealCell is the box of one step of the route on the paper form: the role, and once the step
// is decided, who decided it, when, and in which capacity.
type sealCell struct {
	Role     string
	Name     string
	Date     string
	Action   string
	Capacity string
}

func (w *Server) requestPrint(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	rq, err := w.requestOf(r)
	if err != nil {
		return err
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	if pack == nil {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	p := w.newPage(r, "requests.print.title", "requests")
	d, err := w.requestData(ctx, who, p, pack, rq)
	if err != nil {
		return err
	}
	pd := requestPrintData{requestDetailData: d, Title: d.Kind.FormTitle, PrintedOn: p.Date(w.s.Now())}
	if pd.Title == "" {
		pd.Title = d.Kind.Name
	}
	for _, e := range d.Events {
		switch e.Action {
		case "submit", "resubmit":
			pd.Filed = p.Date(e.At)
			pd.Decisions = nil // a resubmission starts the decisions again
		case request.Approve, request.Reject, request.SendBack:
			pd.Decisions = append(pd.Decisions, e)
		}
	}
	for _, st := range d.Steps {
		var roles []string
		for _, dc := range st.Deciders {
			roles = append(roles, dc.Role)
		}
		pd.Seals = append(pd.Seals, sealCell{Role: strings.Join(roles, " / ")})
	}
	for _, e := range pd.Decisions {
		if e.Step < len(pd.Seals) {
			c := &pd.Seals[e.Step]
			if c.Name != "" {
				c.Name += "、"
			}
			c.Name += e.ActorName
			c.Date, c.Action, c.Capacity = p.Date(e.At), e.Action, e.Capacity
		}
	}
	p.Crumbs = []crumb{{p.T("requests.title"), "/requests"}, {p.T("requests.detail.title"), d.Href}}
	p.Data = pd
	w.render(rw, r, http.StatusOK, "request_print", p)
	return nil
}
