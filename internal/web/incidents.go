package web

import (
	"net/http"
	"strconv"
	"time"

	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// The incidents the user sees: open ones first by default, filtered by state, category,
// severity, department and restriction, with the time from detection to the report and to
// containment; above them, in red, every report on a checklist that is past its deadline.

type incidentRow struct {
	incident.Incident
	CategoryName string
	Department   string
	ToReport     time.Duration
	ToContain    *time.Duration
	Overdue      int
}

type incidentListData struct {
	Rows        []incidentRow
	Overdue     []incident.ChecklistStep
	Total       int
	States      []string
	Severities  []string
	Categories  []policy.Category
	Departments map[int64]string
	Tree        []org.Department
	Q           map[string]string
	Contacts    bool
}

func (w *Server) incidents(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	pack, err := w.incidentPack(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := incident.Filter{State: q.Get("state"), Category: q.Get("category"), Severity: q.Get("severity"), Limit: 500}
	if !q.Has("state") {
		f.State = "active"
	}
	if f.State == "all" {
		f.State = ""
	}
	switch q.Get("restricted") {
	case "yes":
		yes := true
		f.Restricted = &yes
	case "no":
		no := false
		f.Restricted = &no
	}
	f.DepartmentID, _ = strconv.ParseInt(q.Get("department_id"), 10, 64)
	list, _, err := w.s.Incidents.List(ctx, who, f)
	if err != nil {
		return err
	}
	overdue, err := w.s.Incidents.Overdue(ctx, who)
	if err != nil {
		return err
	}
	depts, tree, err := w.departmentNames(ctx, who)
	if err != nil {
		return err
	}
	late := map[int64]int{}
	for _, n := range overdue {
		late[n.IncidentID]++
	}
	d := incidentListData{Overdue: overdue, States: incidentStates, Severities: incident.Severities, Categories: pack.Incident.Categories,
		Departments: depts, Q: map[string]string{"state": q.Get("state"), "category": f.Category, "severity": f.Severity,
			"department_id": q.Get("department_id"), "restricted": q.Get("restricted")},
		Contacts: incident.MaySeeContacts(who)}
	if !q.Has("state") {
		d.Q["state"] = "active"
	}
	d.Tree = tree
	for _, in := range list {
		row := incidentRow{Incident: in, CategoryName: categoryName(pack.Incident, in.Category), Department: depts[in.DepartmentID],
			ToReport: in.ReportedAt.Sub(in.DetectedAt), Overdue: late[in.ID]}
		if in.ContainedAt != nil {
			c := in.ContainedAt.Sub(in.DetectedAt)
			row.ToContain = &c
		}
		d.Rows = append(d.Rows, row)
	}
	d.Total = len(d.Rows)
	p := w.newPage(r, "incidents.title", "incidents")
	p.Data = d
	w.render(rw, r, http.StatusOK, "incidents", p)
	return nil
}
