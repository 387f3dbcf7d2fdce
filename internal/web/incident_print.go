package web

import (
	"net/http"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/incident"
	"mamori/internal/policy"
)

// The printed pages of incidents, A4 and in 和暦: the 緊急連絡網 drawn from the role assignments
// and the pack's contacts with its warnings, one incident's report for the 委員会, and the
// statistics of a period.

// incidentContactsData is the 緊急連絡網 and the day it is printed.
type incidentContactsData struct {
	List      incident.ContactList
	PrintedOn string
}

// incidentPrintData is one incident's report and the day it is printed.
type incidentPrintData struct {
	Incident  incidentDetailData
	PrintedOn string
}

func (w *Server) incidentContacts(rw http.ResponseWriter, r *http.Request) error {
	list, err := w.s.Incidents.Contacts(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "incidents.contacts.title", "incidents")
	p.Crumbs = []crumb{{p.T("incidents.title"), "/incidents"}}
	p.Data = incidentContactsData{List: list, PrintedOn: p.Date(w.s.Now())}
	w.render(rw, r, http.StatusOK, "incident_contacts", p)
	return nil
}

// incidentPrint is one incident as a report for the 委員会 (事案報告書).
func (w *Server) incidentPrint(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.incidentView(r, "incidents.print.title")
	if err != nil {
		return err
	}
	p.Crumbs = append(p.Crumbs, crumb{p.T("incidents.detail.title"), d.Href})
	p.Data = incidentPrintData{Incident: d, PrintedOn: p.Date(w.s.Now())}
	w.render(rw, r, http.StatusOK, "incident_print", p)
	return nil
}

type statsData struct {
	S          incident.Stats
	From, To   string
	Categories []policy.Category
	States     []string
	Severities []string
	PrintedOn  string
}

// incidentStats is the statistics of the incidents detected in a period, by default the
// fiscal year (4月1日から3月31日まで) of today.
func (w *Server) incidentStats(rw http.ResponseWriter, r *http.Request) error {
	pack, err := w.incidentPack(r)
	if err != nil {
		return err
	}
	now := w.s.Now().In(i18n.Tokyo)
	fy := now.Year()
	if now.Month() < time.April {
		fy--
	}
	from := time.Date(fy, time.April, 1, 0, 0, 0, 0, i18n.Tokyo)
	to := from.AddDate(1, 0, 0)
	q := r.URL.Query()
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("from"), i18n.Tokyo); err == nil {
		from = t
	}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("to"), i18n.Tokyo); err == nil {
		to = t.AddDate(0, 0, 1)
	}
	s, err := w.s.Incidents.Statistics(r.Context(), stateOf(r).who, from, to)
	if err != nil {
		return err
	}
	p := w.newPage(r, "incidents.stats.title", "incidents")
	p.Crumbs = []crumb{{p.T("incidents.title"), "/incidents"}}
	p.Data = statsData{S: s, From: from.Format(time.DateOnly), To: to.AddDate(0, 0, -1).Format(time.DateOnly), Categories: pack.Incident.Categories,
		States: incidentStates, Severities: incident.Severities, PrintedOn: p.Date(w.s.Now())}
	w.render(rw, r, http.StatusOK, "incident_stats", p)
	return nil
}
