package web

import (
	"net/http"
	"time"

	"mamori/internal/compliance"
	"mamori/internal/i18n"
)

// The exception register (例外措置の記録, 山形県 14.3): every approved exception with its rules,
// assets, reason, measures, expiry and state, those ending within 30 days marked.

type exceptionRow struct {
	compliance.Exception
	Expires  string // the last day, as the page writes dates
	DaysLeft int
	Soon     bool // active and ending within soonDays
}

const soonDays = 30

// exceptionsData is the register filtered by State, one of States or empty for all.
type exceptionsData struct {
	Rows   []exceptionRow
	State  string
	States []string
}

func (w *Server) complianceExceptions(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	state := r.URL.Query().Get("state")
	list, err := w.s.Compliance.Exceptions(ctx, who, state)
	if err != nil {
		return err
	}
	p := w.newPage(r, "compliance.exceptions.title", "compliance")
	p.Crumbs = []crumb{{p.T("compliance.title"), "/compliance"}}
	rows := exceptionRows(p, list, w.s.Now())
	p.Data = exceptionsData{Rows: rows, State: state, States: []string{"active", "expired", "withdrawn"}}
	w.render(rw, r, http.StatusOK, "compliance_exceptions", p)
	return nil
}

// exceptionRows adds to each exception its days left, counted in JST days from today.
func exceptionRows(p *page, list []compliance.Exception, now time.Time) []exceptionRow {
	today, _ := time.ParseInLocation(time.DateOnly, now.In(i18n.Tokyo).Format(time.DateOnly), i18n.Tokyo)
	out := make([]exceptionRow, len(list))
	for i, e := range list {
		row := exceptionRow{Exception: e, Expires: p.Day(e.ExpiresOn)}
		if t, err := time.ParseInLocation(time.DateOnly, e.ExpiresOn, i18n.Tokyo); err == nil {
			row.DaysLeft = int(t.Sub(today).Hours() / 24)
			row.Soon = e.State == "active" && row.DaysLeft <= soonDays
		}
		out[i] = row
	}
	return out
}
