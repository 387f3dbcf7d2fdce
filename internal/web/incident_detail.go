package web

import (
	"fmt"
	"net/http"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// One incident: its header, the report, the triage form for the first recipients, the
// escalation checklist with deadlines and who ticks what, the response (measures under the
// pack's conditions, evidence and its custody, recovery, root cause, the 再発防止計画,
// publication, the police, reporting upward) and the timeline. Each form is offered only to
// those the domain lets act (incident.ActionsFor); its inputs carry the form's name in their ids
// so that an error links to the right one.

// lineView is a line of the escalation checklist as the page shows it.
type lineView struct {
	incident.ChecklistStep
	FromName string
	DoneBy   string
	Cite     policy.Cite
	May      bool
}

// eventLine is an entry of the timeline, with what it recorded in words.
type eventLine struct {
	incident.Event
	Detail string
}

// evidenceView is an evidence item with who collected it and its chain of custody.
type evidenceView struct {
	incident.Evidence
	Collector string
	Custody   []eventLine
}

// measureView is one of the pack's measures with the role that decides it.
type measureView struct {
	policy.Measure
	Decider string
}

// planStep is one approving role of the 再発防止計画, and its approval once given.
type planStep struct {
	Role    string
	By      string
	At      string
	Comment string
	Current bool
}

type incidentDetailData struct {
	I            incident.Incident
	Href         string
	Pi           policy.Incident
	CategoryName string
	Department   string
	TriagedBy    string
	Items        []fieldText
	Lines        []lineView
	Timeline     []eventLine
	Evidence     []evidenceView
	Actions      incident.Actions
	Measures     []measureView
	Severities   []string
	Means        []string
	Staff        []org.Staff
	Tree         []org.Department
	Assets       []string
	Handlers     []string
	PlanSteps    []planStep
	PlanDrafter  string
	PublishedBy  string
	Now          string
	MaxMB        int
	Own          bool // the incident is of the user's organisation (not one reported upward to it)
	Next         []string
}

// In is the value a form of the page was posted with; other forms start empty.
func (p *page) In(form, field string) string {
	if p.Form.Get("form") != form {
		return ""
	}
	return p.Form.Get(field)
}

// FormError is the message for a field of one of the page's forms.
func (p *page) FormError(form, field string) string { return p.FieldError(form + "-" + fieldID(field)) }

// incidentView gathers what the detail page and the printed report show of the incident {id}
// of the path, on a page titled title.
func (w *Server) incidentView(r *http.Request, title string) (*page, incidentDetailData, error) {
	ctx, who := r.Context(), stateOf(r).who
	var d incidentDetailData
	id, e := pathID(r)
	if e != nil {
		return nil, d, e
	}
	in, e := w.s.Incidents.Get(ctx, who, id)
	if e != nil {
		return nil, d, e
	}
	acts, e := w.s.Incidents.ActionsFor(ctx, who, id)
	if e != nil {
		return nil, d, e
	}
	own := in.OrgID == who.OrgID
	var pack *policy.Compiled
	if own {
		if pack, e = w.incidentPack(r); e != nil {
			return nil, d, e
		}
	} else if pack, _, e = w.s.Policy.Active(ctx, in.OrgID); e != nil {
		return nil, d, e
	}
	p := w.newPage(r, title, "incidents")
	p.Crumbs = []crumb{{p.T("incidents.title"), "/incidents"}}
	d = incidentDetailData{I: in, Href: incidentHref(id), Pi: pack.Incident, Actions: acts, Severities: incident.Severities,
		Means: incident.Means, Now: w.localNow(), MaxMB: incident.MaxEvidenceSize >> 20, Own: own,
		CategoryName: categoryName(pack.Incident, in.Category)}
	staff := map[int64]string{}
	if own {
		depts, tree, e := w.departmentNames(ctx, who)
		if e != nil {
			return nil, d, e
		}
		d.Department, d.Tree = depts[in.DepartmentID], tree
		if d.Staff, _, e = w.s.Org.ListStaff(ctx, who, org.StaffFilter{Limit: 500}); e != nil {
			return nil, d, e
		}
		for _, s := range d.Staff {
			staff[s.ID] = s.Name
		}
		for _, a := range in.AssetIDs {
			if as, err := w.s.Assets.Get(ctx, who, a); err == nil {
				d.Assets = append(d.Assets, as.Number+" "+as.Name)
			}
		}
		for _, it := range pack.Incident.ReportItems {
			text := w.valueText(ctx, who, p, it, in.Report[it.ID], names{staff: staff, depts: depts, assets: map[int64]string{}})
			if it.Type == "file" {
				var files []string
				for _, ev := range in.Evidence {
					if ev.Description == "" && ev.RecordedAt.Equal(in.ReportedAt) {
						files = append(files, ev.Name)
					}
				}
				text = strings.Join(files, "、")
			}
			d.Items = append(d.Items, fieldText{Field: it, Text: text})
		}
	}
	for _, m := range pack.Incident.Measures {
		names := make([]string, 0, len(m.Deciders()))
		for _, r := range m.Deciders() {
			names = append(names, pack.RoleName(r))
		}
		d.Measures = append(d.Measures, measureView{Measure: m, Decider: strings.Join(names, " / ")})
	}
	d.TriagedBy = staff[in.TriagedByID]
	for _, h := range in.Handlers {
		d.Handlers = append(d.Handlers, staff[h])
	}
	for _, n := range in.Checklist {
		d.Lines = append(d.Lines, lineView{ChecklistStep: n, FromName: contactName(pack.Incident, n.From), DoneBy: staff[n.DoneByID],
			Cite: lineCite(pack.Incident, n), May: acts.Tick[n.ID]})
	}
	for _, ev := range in.Timeline {
		d.Timeline = append(d.Timeline, eventLine{Event: ev, Detail: eventDetail(p, ev, staff)})
	}
	for _, ev := range in.Evidence {
		v := evidenceView{Evidence: ev, Collector: staff[ev.CollectedByID]}
		for _, c := range ev.Custody {
			v.Custody = append(v.Custody, eventLine{Event: c, Detail: eventDetail(p, c, staff)})
		}
		d.Evidence = append(d.Evidence, v)
	}
	if pl := in.Plan; pl != nil {
		d.PlanDrafter = staff[pl.DraftedBy]
		for i, role := range pl.Steps {
			st := planStep{Role: pack.RoleName(role), Current: i == len(pl.Approvals)}
			if i < len(pl.Approvals) {
				a := pl.Approvals[i]
				st.By, st.At, st.Comment = staff[a.StaffID], p.Stamp(a.At), a.Comment
			}
			d.PlanSteps = append(d.PlanSteps, st)
		}
	}
	if pub := in.Publication; pub != nil {
		d.PublishedBy = staff[pub.DecidedBy]
	}
	switch in.State {
	case incident.Open:
		d.Next = []string{incident.Contained, incident.Recovered}
	case incident.Contained:
		d.Next = []string{incident.Recovered}
	case incident.Recovered:
		d.Next = []string{incident.Closed}
	}
	return p, d, nil
}

// incidentDetailPage shows one incident; form and err carry the outcome of an act shown on the
// page again.
func (w *Server) incidentDetailPage(rw http.ResponseWriter, r *http.Request, status int, form string, err error) error {
	p, d, e := w.incidentView(r, "incidents.detail.title")
	if e != nil {
		return e
	}
	switch apperr.CodeOf(err) {
	case apperr.Conflict:
		p.Errors = append(p.Errors, fieldMessage{Message: p.T("incident.error.stale")})
	case apperr.Invalid:
		fieldErrors(p, err)
		for i := range p.Errors {
			if p.Errors[i].Field != "" {
				p.Errors[i].Field = form + "-" + p.Errors[i].Field
			}
		}
	}
	p.Data = d
	w.render(rw, r, status, "incident_detail", p)
	return nil
}

func (w *Server) incidentDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentDetailPage(rw, r, http.StatusOK, "", nil)
}

// lineCite finds the article and words of the route step or category a checklist line came from.
func lineCite(pi policy.Incident, n incident.ChecklistStep) policy.Cite {
	kind, id, _ := strings.Cut(n.Source, ":")
	id, _, _ = strings.Cut(id, "#")
	switch kind {
	case "route":
		for _, r := range pi.Routes {
			if r.ID == id {
				return r.Cite
			}
		}
	case "category":
		for _, c := range pi.Categories {
			if c.ID == id {
				return c.Cite
			}
		}
	}
	return policy.Cite{Article: n.Cite}
}

// eventDetail says in words what a timeline entry recorded beyond its kind and text.
func eventDetail(p *page, ev incident.Event, staff map[int64]string) string {
	get := func(k string) string {
		if v, ok := ev.Data[k]; ok && v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	switch ev.Kind {
	case "notified", "step_skipped":
		s := get("to_name")
		if m := get("means"); m != "" {
			s += "（" + p.Label("incidents.means.", m) + "）"
		}
		return s
	case "measure":
		var conds []string
		if cs, ok := ev.Data["conditions"].([]any); ok {
			for _, c := range cs {
				conds = append(conds, fmt.Sprint(c))
			}
		}
		return get("name") + " — " + strings.Join(conds, " ／ ")
	case "triaged":
		if get("is_incident") == "false" {
			return p.T("incidents.triage.not_incident")
		}
		return p.Label("incidents.severity.", get("severity"))
	case "evidence.collected":
		return "SHA-256 " + get("sha256")
	case "evidence.custody", "handler_added":
		for _, k := range []string{"to_staff_id", "staff_id"} {
			if f, ok := ev.Data[k].(float64); ok {
				return staff[int64(f)]
			}
		}
	case "police":
		return get("agency") + " " + get("person") + " " + get("reference")
	case "publication":
		if get("publish") == "true" {
			return p.T("incidents.publish.yes")
		}
		return p.T("incidents.publish.no")
	}
	return ""
}
