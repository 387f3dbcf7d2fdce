package web

import (
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/incident"
)

// The acts on an incident, each a form of its page posted here: the handler reads the form and
// calls the service, which decides whether the user may act. Invalid input and a stale version
// show the page again with the error by its form; success returns to the page's section.

// incidentAct runs one act of the form named form; act reads the form (adding what it cannot
// read to v) and calls the service.
func (w *Server) incidentAct(rw http.ResponseWriter, r *http.Request, form, section string, act func(id int64, v *apperr.Validation) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var v apperr.Validation
	err = act(id, &v)
	if err == nil {
		err = v.Err()
	}
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return w.incidentDetailPage(rw, r, http.StatusUnprocessableEntity, form, err)
	case apperr.Conflict:
		return w.incidentDetailPage(rw, r, http.StatusConflict, form, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, incidentHref(id)+"#"+section, "incidents.saved")
}

// lines splits a text input into its entries (by commas, 、 and new lines).
func lines(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '、' || r == '\n' || r == '\r' || r == '，' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (w *Server) incidentTriage(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "triage", "triage", func(id int64, v *apperr.Validation) error {
		f := r.PostForm
		t := incident.TriageInput{Version: formInt(v, r, "version"), IsIncident: f.Get("is_incident") == "yes", Category: f.Get("category"),
			Severity: f.Get("severity"), Routes: f["routes"], DepartmentID: formID(v, r, "department_id"), Systems: lines(f.Get("systems")),
			Restricted: f.Get("restricted") == "on", Note: f.Get("note")}
		if f.Get("is_incident") == "" {
			v.Add("is_incident", "incidents.error.is_incident")
		}
		for _, n := range lines(f.Get("assets")) {
			if a, ok := w.assetByNumber(r, n).(int64); ok {
				t.AssetIDs = append(t.AssetIDs, a)
			} else {
				v.Add("assets", "incidents.error.asset_number", n)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.Triage(r.Context(), stateOf(r).who, id, t)
		return err
	})
}

// incidentTick records a line of the checklist as made, or with "skip" as not needed.
func (w *Server) incidentTick(rw http.ResponseWriter, r *http.Request) error {
	nid, err := strconv.ParseInt(r.PathValue("line"), 10, 64)
	if err != nil || nid <= 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	return w.incidentAct(rw, r, "tick-"+strconv.FormatInt(nid, 10), "checklist", func(id int64, v *apperr.Validation) error {
		ctx, who, f := r.Context(), stateOf(r).who, r.PostForm
		if f.Has("skip") {
			_, err := w.s.Incidents.Skip(ctx, who, id, nid, f.Get("note"))
			return err
		}
		t := incident.Tick{At: localTime(v, r, "at"), Means: f.Get("means"), Note: f.Get("note")}
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.TickOff(ctx, who, id, nid, t)
		return err
	})
}

func (w *Server) incidentMeasure(rw http.ResponseWriter, r *http.Request) error {
	m := r.PostForm.Get("measure")
	return w.incidentAct(rw, r, "measure-"+m, "response", func(id int64, v *apperr.Validation) error {
		in := incident.MeasureInput{Measure: m, At: localTime(v, r, "at"), Note: r.PostForm.Get("note")}
		for _, c := range r.PostForm["conditions"] {
			n, err := strconv.Atoi(c)
			if err != nil {
				v.Add("conditions", "incident.error.condition")
				continue
			}
			in.Conditions = append(in.Conditions, n)
		}
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.TakeMeasure(r.Context(), stateOf(r).who, id, in)
		return err
	})
}

func (w *Server) incidentNote(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "note", "timeline", func(id int64, v *apperr.Validation) error {
		at := localTime(v, r, "at")
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.AddNote(r.Context(), stateOf(r).who, id, at, r.PostForm.Get("text"))
		return err
	})
}

func (w *Server) incidentAdvance(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "advance", "response", func(id int64, v *apperr.Validation) error {
		pr := incident.Progress{Version: formInt(v, r, "version"), To: r.PostForm.Get("to"), At: localTime(v, r, "at"), Note: r.PostForm.Get("note")}
		if t := localTime(v, r, "monitoring_until"); !t.IsZero() {
			pr.MonitoringUntil = &t
		}
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.Advance(r.Context(), stateOf(r).who, id, pr)
		return err
	})
}

func (w *Server) incidentRootCause(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "root_cause", "response", func(id int64, v *apperr.Validation) error {
		_, err := w.s.Incidents.SetRootCause(r.Context(), stateOf(r).who, id, formInt(v, r, "version"), r.PostForm.Get("root_cause"))
		return err
	})
}

// incidentPlan drafts, approves or announces the 再発防止計画, as the form's step says.
func (w *Server) incidentPlan(rw http.ResponseWriter, r *http.Request) error {
	step := r.PathValue("step")
	return w.incidentAct(rw, r, "plan_"+step, "plan", func(id int64, v *apperr.Validation) error {
		ctx, who, f := r.Context(), stateOf(r).who, r.PostForm
		version := formInt(v, r, "version")
		var err error
		switch step {
		case "draft":
			_, err = w.s.Incidents.DraftPlan(ctx, who, id, version, f.Get("plan"))
		case "approve":
			_, err = w.s.Incidents.ApprovePlan(ctx, who, id, version, f.Get("comment"))
		case "announce":
			_, err = w.s.Incidents.AnnouncePlan(ctx, who, id, version, f.Get("summary"))
		default:
			err = apperr.New(apperr.NotFound, "error.not_found")
		}
		return err
	})
}

func (w *Server) incidentPublication(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "publication", "publication", func(id int64, v *apperr.Validation) error {
		f := r.PostForm
		in := incident.PublicationInput{Version: formInt(v, r, "version"), Publish: f.Get("publish") == "yes", Reason: f.Get("reason"),
			Via: f.Get("via"), Content: f.Get("content")}
		if f.Get("publish") == "" {
			v.Add("publish", "incidents.error.publish")
		}
		if t := localTime(v, r, "published_at"); !t.IsZero() {
			in.PublishedAt = &t
		}
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.DecidePublication(r.Context(), stateOf(r).who, id, in)
		return err
	})
}

func (w *Server) incidentCrime(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "crime", "crime", func(id int64, v *apperr.Validation) error {
		_, err := w.s.Incidents.MarkCrime(r.Context(), stateOf(r).who, id, formInt(v, r, "version"), r.PostForm.Get("records_kept"))
		return err
	})
}

func (w *Server) incidentPolice(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "police", "crime", func(id int64, v *apperr.Validation) error {
		f := r.PostForm
		c := incident.PoliceContact{At: localTime(v, r, "at"), Agency: f.Get("agency"), Person: f.Get("person"), Means: f.Get("means"),
			Reference: f.Get("reference"), Note: f.Get("note")}
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.LogPoliceContact(r.Context(), stateOf(r).who, id, formInt(v, r, "version"), c)
		return err
	})
}

func (w *Server) incidentUpward(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "upward", "upward", func(id int64, v *apperr.Validation) error {
		_, err := w.s.Incidents.ReportUpward(r.Context(), stateOf(r).who, id, formInt(v, r, "version"), r.PostForm.Get("note"))
		return err
	})
}

func (w *Server) incidentSupport(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "support", "timeline", func(id int64, v *apperr.Validation) error {
		at := localTime(v, r, "at")
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.Support(r.Context(), stateOf(r).who, id, at, r.PostForm.Get("text"))
		return err
	})
}

func (w *Server) incidentHandler(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "handler", "handlers", func(id int64, v *apperr.Validation) error {
		staff := formID(v, r, "staff_id")
		if staff == 0 {
			v.Add("staff_id", "error.choose")
		}
		if err := v.Err(); err != nil {
			return err
		}
		return w.s.Incidents.AddHandler(r.Context(), stateOf(r).who, id, staff)
	})
}
