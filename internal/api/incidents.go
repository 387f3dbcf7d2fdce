package api

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/incident"
)

// Incidents (情報セキュリティインシデント): reports, triage, the escalation checklist, the
// response, upward reporting and the 緊急連絡網. The incident service decides who sees and does
// what; an incident beyond the caller's reach is not found.

// incidentStates are the states a listing may be narrowed to; "active" is every state before
// the end.
var incidentStates = []string{"active", incident.Reported, incident.NotIncident, incident.Open, incident.Contained,
	incident.Recovered, incident.Closed}

// listIncidents lists the incidents the caller sees, newest first: state, category, severity,
// restricted, and upward=true for those the organisations below reported to the caller's.
func (a *api) listIncidents(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := incident.Filter{State: q.Get("state"), Category: q.Get("category"), Severity: q.Get("severity"), Upward: isTrue(q.Get("upward")),
		Limit: p.limit, Offset: p.offset}
	if f.State != "" && !slices.Contains(incidentStates, f.State) {
		return apperr.InvalidField("state", "error.invalid")
	}
	if f.Severity != "" && !slices.Contains(incident.Severities, f.Severity) {
		return apperr.InvalidField("severity", "error.invalid")
	}
	if s := q.Get("restricted"); s != "" {
		b := isTrue(s)
		f.Restricted = &b
	}
	items, total, err := a.s.Incidents.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, items, total)
}

// reportIncident records a report: JSON, or multipart/form-data with a part "report" holding the
// JSON and file parts "file" (evidence given with the report) or "file.<item>" (the answer to
// the pack's file item <item>).
func (a *api) reportIncident(w http.ResponseWriter, r *http.Request) error {
	var in incident.ReportInput
	if isMultipart(r) {
		form, err := a.readEvidenceForm(w, r)
		if err != nil {
			return err
		}
		raw, ok := form.values["report"]
		if !ok {
			return apperr.InvalidField("report", "error.json")
		}
		if err := decodeJSON([]byte(raw), &in); err != nil {
			return err
		}
		in.Evidence = form.files
	} else if err := a.decode(w, r, &in); err != nil {
		return err
	}
	made, err := a.s.Incidents.Report(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return created(w, incidentPath(made.ID), made)
}

func (a *api) getIncident(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := a.s.Incidents.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, in)
}

// incidentsOverdue lists the reports of the checklists the caller sees that are past their
// deadline, the most overdue first.
func (a *api) incidentsOverdue(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Incidents.Overdue(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) emergencyContacts(w http.ResponseWriter, r *http.Request) error {
	list, err := a.s.Incidents.Contacts(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return ok(w, list)
}

// phoneInput is the number a member of staff or an outside contact is reached on.
type phoneInput struct {
	Phone string `json:"phone"`
	Note  string `json:"note,omitempty"` // outside contacts only: whom the number reaches
}

func (a *api) setContactNumber(w http.ResponseWriter, r *http.Request) error {
	var in phoneInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if err := a.s.Incidents.SetContactNumber(r.Context(), actor(r), r.PathValue("contact"), in.Phone, in.Note); err != nil {
		return err
	}
	return noContent(w)
}

func (a *api) setStaffPhone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in phoneInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if in.Note != "" {
		return apperr.InvalidField("note", "error.unknown_field")
	}
	if err := a.s.Incidents.SetStaffPhone(r.Context(), actor(r), id, in.Phone); err != nil {
		return err
	}
	return noContent(w)
}

// incidentStats is the report for the 委員会 over [from, to): by default the last year.
func (a *api) incidentStats(w http.ResponseWriter, r *http.Request) error {
	from, err := queryTime(r, "from", false)
	if err != nil {
		return err
	}
	to, err := queryTime(r, "to", true)
	if err != nil {
		return err
	}
	if to.IsZero() {
		to = a.now().Add(time.Minute)
	}
	if from.IsZero() {
		from = to.AddDate(-1, 0, 0)
	}
	if !from.Before(to) {
		return apperr.InvalidField("from", "error.date")
	}
	st, err := a.s.Incidents.Statistics(r.Context(), actor(r), from, to)
	if err != nil {
		return err
	}
	return ok(w, st)
}

func (a *api) now() time.Time {
	if a.s.Now != nil {
		return a.s.Now()
	}
	return time.Now()
}

func incidentPath(id int64) string { return "/api/v1/incidents/" + strconv.FormatInt(id, 10) }
