package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/incident"
	"mamori/internal/policy"
)

// What the incident pages (incident*.go) share: the states as the pages colour them, times
// typed into datetime-local inputs, and the incident {id} of the path.

// incidentStates are the states in the order a filter offers them.
var incidentStates = []string{incident.Reported, incident.Open, incident.Contained, incident.Recovered, incident.Closed, incident.NotIncident}

// incidentStateStatus colours the states: waiting for triage or being handled wants attention;
// recovered is well on its way; closed and not an incident are at rest.
var incidentStateStatus = map[string]string{incident.Reported: "ng", incident.Open: "warn", incident.Contained: "warn",
	incident.Recovered: "ok", incident.Closed: "neutral", incident.NotIncident: "neutral"}

// IncidentStatus is the colour of an incident state.
func (p *page) IncidentStatus(state string) string {
	if s, ok := incidentStateStatus[state]; ok {
		return s
	}
	return "neutral"
}

// Span shows a duration as hours and minutes (1時間05分).
func (p *page) Span(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int((d%time.Hour)/time.Minute)
	return p.T("incidents.span", h, m)
}

// SpanPtr is Span for a duration that may not be known yet.
func (p *page) SpanPtr(d *time.Duration) string {
	if d == nil {
		return "—"
	}
	return p.Span(*d)
}

// localLayout is the value of an <input type="datetime-local">.
const localLayout = "2006-01-02T15:04"

// localTime reads a datetime-local field in JST; empty is the zero time (the service takes it
// as now), a malformed value is a field error.
func localTime(v *apperr.Validation, r *http.Request, field string) time.Time {
	s := strings.TrimSpace(r.PostForm.Get(field))
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(localLayout, s, i18n.Tokyo)
	if err != nil {
		v.Add(field, "incident.error.time_format")
	}
	return t
}

// localNow is now as a datetime-local value, the default of every "when" of the pages.
func (w *Server) localNow() string { return w.s.Now().In(i18n.Tokyo).Format(localLayout) }

// incidentHref is the address of an incident's page.
func incidentHref(id int64) string { return "/incidents/" + strconv.FormatInt(id, 10) }

// categoryName names a pack category; an id the pack no longer has shows as itself.
func categoryName(pi policy.Incident, id string) string {
	for _, c := range pi.Categories {
		if c.ID == id {
			return c.Label()
		}
	}
	return id
}

// contactName names a pack contact.
func contactName(pi policy.Incident, id string) string {
	for _, c := range pi.Contacts {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// incidentPack returns the organisation's pack, which every incident page needs.
func (w *Server) incidentPack(r *http.Request) (*policy.Compiled, error) {
	pack, err := w.activePack(r)
	if err != nil {
		return nil, err
	}
	if pack == nil {
		return nil, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	return pack, nil
}

// fieldErrors adds an error's messages to the page, with the fields renamed to the ids of the
// page's inputs and the state ids the domain names in its messages shown by their names.
func fieldErrors(p *page, err error) {
	e := apperr.As(err)
	swap := func(args []any) {
		for i, a := range args {
			if s, ok := a.(string); ok && i18n.Has(p.Lang, "incidents.state."+s) {
				args[i] = i18n.T(p.Lang, "incidents.state."+s)
			}
		}
	}
	swap(e.Args)
	for i := range e.Fields {
		swap(e.Fields[i].Args)
	}
	p.withErrors(e)
	for i := range p.Errors {
		p.Errors[i].Field = fieldID(p.Errors[i].Field)
	}
}
