package api

import (
	"net/http"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/incident"
)

// The acts on an incident: triage, the checklist's reports, the response and its record. Acts
// that change the incident carry the version the caller saw (409 when it changed since) and
// answer the incident as the act left it; acts that append to the timeline answer the entry.

// incidentAct decodes the JSON body of an act on the incident {id} into in (an empty body is
// an empty object), does it and answers the incident.
func (a *api) incidentAct(w http.ResponseWriter, r *http.Request, in any, do func(id int64) (incident.Incident, error)) error {
	id, err := a.decodeFor(w, r, in)
	if err != nil {
		return err
	}
	got, err := do(id)
	if err != nil {
		return err
	}
	return ok(w, got)
}

// incidentEntry is incidentAct for an act that appends an entry to the timeline: 201 with it.
func (a *api) incidentEntry(w http.ResponseWriter, r *http.Request, in any, do func(id int64) (incident.Event, error)) error {
	id, err := a.decodeFor(w, r, in)
	if err != nil {
		return err
	}
	ev, err := do(id)
	if err != nil {
		return err
	}
	return created(w, "", ev)
}

func (a *api) decodeFor(w http.ResponseWriter, r *http.Request, in any) (int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, err
	}
	if r.ContentLength != 0 {
		if err := a.decode(w, r, in); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func (a *api) triageIncident(w http.ResponseWriter, r *http.Request) error {
	var in incident.TriageInput
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		return a.s.Incidents.Triage(r.Context(), actor(r), id, in)
	})
}

// pathNumber is a numbered part of the path other than {id}: {n}, a line of the checklist; {e}, an evidence item.
func pathNumber(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n < 1 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return n, nil
}

// tickChecklistStep records that a report of the checklist was made (by whoever must make it).
func (a *api) tickChecklistStep(w http.ResponseWriter, r *http.Request) error {
	n, err := pathNumber(r, "step")
	if err != nil {
		return err
	}
	var in incident.Tick
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	got, err := a.s.Incidents.TickOff(r.Context(), actor(r), id, n, in)
	if err != nil {
		return err
	}
	return ok(w, got)
}

// skipInput is why a report of the checklist is not needed for this incident.
type skipInput struct {
	Reason string `json:"reason"`
}

func (a *api) skipChecklistStep(w http.ResponseWriter, r *http.Request) error {
	n, err := pathNumber(r, "step")
	if err != nil {
		return err
	}
	var in skipInput
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	got, err := a.s.Incidents.Skip(r.Context(), actor(r), id, n, in.Reason)
	if err != nil {
		return err
	}
	return ok(w, got)
}

func (a *api) takeMeasure(w http.ResponseWriter, r *http.Request) error {
	var in incident.MeasureInput
	return a.incidentEntry(w, r, &in, func(id int64) (incident.Event, error) {
		return a.s.Incidents.TakeMeasure(r.Context(), actor(r), id, in)
	})
}

// entryInput is an entry of the timeline: what happened and when (now when absent).
type entryInput struct {
	At   time.Time `json:"at,omitzero"`
	Text string    `json:"text"`
}

func (a *api) addTimelineEntry(w http.ResponseWriter, r *http.Request) error {
	var in entryInput
	return a.incidentEntry(w, r, &in, func(id int64) (incident.Event, error) {
		return a.s.Incidents.AddNote(r.Context(), actor(r), id, in.At, in.Text)
	})
}

// supportIncident adds the parent organisation's support to an incident reported upward to it.
func (a *api) supportIncident(w http.ResponseWriter, r *http.Request) error {
	var in entryInput
	return a.incidentEntry(w, r, &in, func(id int64) (incident.Event, error) {
		return a.s.Incidents.Support(r.Context(), actor(r), id, in.At, in.Text)
	})
}

// recoverIncident moves the response on: contained, recovered (with a monitoring period) or closed.
func (a *api) recoverIncident(w http.ResponseWriter, r *http.Request) error {
	var in incident.Progress
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		return a.s.Incidents.Advance(r.Context(), actor(r), id, in)
	})
}

// rootCauseInput is the root cause found (原因究明).
type rootCauseInput struct {
	Version   int    `json:"version"`
	RootCause string `json:"root_cause"`
}

func (a *api) setRootCause(w http.ResponseWriter, r *http.Request) error {
	var in rootCauseInput
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		return a.s.Incidents.SetRootCause(r.Context(), actor(r), id, in.Version, in.RootCause)
	})
}

// planInput is an act on the 再発防止計画: draft (text), approve (comment) or announce (summary).
type planInput struct {
	Action  string `json:"action"`
	Version int    `json:"version"`
	Text    string `json:"text,omitempty"`
	Comment string `json:"comment,omitempty"`
	Summary string `json:"summary,omitempty"`
}

func (a *api) actOnPlan(w http.ResponseWriter, r *http.Request) error {
	var in planInput
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		ctx, who := r.Context(), actor(r)
		switch in.Action {
		case "draft":
			return a.s.Incidents.DraftPlan(ctx, who, id, in.Version, in.Text)
		case "approve":
			return a.s.Incidents.ApprovePlan(ctx, who, id, in.Version, in.Comment)
		case "announce":
			return a.s.Incidents.AnnouncePlan(ctx, who, id, in.Version, in.Summary)
		}
		return incident.Incident{}, apperr.InvalidField("action", "error.invalid")
	})
}

func (a *api) decidePublication(w http.ResponseWriter, r *http.Request) error {
	var in incident.PublicationInput
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		return a.s.Incidents.DecidePublication(r.Context(), actor(r), id, in)
	})
}

// policeInput marks an incident as a possible crime with the records kept (records_kept), logs
// a contact with the police (contact), or both at once.
type policeInput struct {
	Version     int                 `json:"version"`
	RecordsKept string              `json:"records_kept,omitempty"`
	Contact     *policeContactInput `json:"contact,omitempty"`
}

// policeContactInput is one contact with the police or another agency.
type policeContactInput struct {
	At        time.Time `json:"at,omitzero"`
	Agency    string    `json:"agency"`
	Person    string    `json:"person,omitempty"`
	Means     string    `json:"means"`
	Reference string    `json:"reference,omitempty"`
	Note      string    `json:"note,omitempty"`
}

func (a *api) recordPolice(w http.ResponseWriter, r *http.Request) error {
	var in policeInput
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		ctx, who := r.Context(), actor(r)
		if in.RecordsKept == "" && in.Contact == nil {
			return incident.Incident{}, apperr.InvalidField("records_kept", "incident.error.required")
		}
		version := in.Version
		var got incident.Incident
		if in.RecordsKept != "" {
			var err error
			if got, err = a.s.Incidents.MarkCrime(ctx, who, id, version, in.RecordsKept); err != nil {
				return got, err
			}
			version = got.Version
		}
		if c := in.Contact; c != nil {
			return a.s.Incidents.LogPoliceContact(ctx, who, id, version, incident.PoliceContact{At: c.At, Agency: c.Agency,
				Person: c.Person, Means: c.Means, Reference: c.Reference, Note: c.Note})
		}
		return got, nil
	})
}

// upwardInput reports an incident to the parent organisation's CSIRT.
type upwardInput struct {
	Version int    `json:"version"`
	Note    string `json:"note,omitempty"`
}

func (a *api) reportUpward(w http.ResponseWriter, r *http.Request) error {
	var in upwardInput
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		return a.s.Incidents.ReportUpward(r.Context(), actor(r), id, in.Version, in.Note)
	})
}

// handlerInput names a member of staff to handle an incident.
type handlerInput struct {
	StaffID int64 `json:"staff_id"`
}

func (a *api) addIncidentHandler(w http.ResponseWriter, r *http.Request) error {
	var in handlerInput
	return a.incidentAct(w, r, &in, func(id int64) (incident.Incident, error) {
		if err := a.s.Incidents.AddHandler(r.Context(), actor(r), id, in.StaffID); err != nil {
			return incident.Incident{}, err
		}
		return a.s.Incidents.Get(r.Context(), actor(r), id)
	})
}
