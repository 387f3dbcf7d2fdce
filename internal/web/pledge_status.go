package web

import (
	"net/http"
	"net/url"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/pledge"
)

// The status of the pack's pledges over the people the reader sees — the whole organisation
// for the 情報政策課 and the auditors, their department for a 課長 — pledge by pledge and
// department by department, with the people who have not signed (or must sign again); the list
// as .xlsx; and one person's pledges and every signature they made.

type pledgeStatusData struct {
	Board      pledge.Board
	Pledge     string
	Department string
	State      string
	States     []string
	Query      string
}

func pledgeFilter(q url.Values) (pledge.Filter, error) {
	f := pledge.Filter{PledgeID: q.Get("pledge"), State: q.Get("state")}
	if s := q.Get("department"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			return f, apperr.InvalidField("department", "pledges.error.department")
		}
		f.DepartmentID = id
	}
	return f, nil
}

func (w *Server) pledgeStatus(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	q := r.URL.Query()
	f, err := pledgeFilter(q)
	if err != nil {
		return err
	}
	b, err := w.s.Pledges.Status(ctx, who, f)
	if err != nil {
		return err
	}
	p := w.newPage(r, "pledges.status.title", "pledges")
	p.Crumbs = []crumb{{p.T("pledges.title"), "/pledges"}}
	p.Data = pledgeStatusData{Board: b, Pledge: f.PledgeID, Department: q.Get("department"), State: f.State,
		States: pledge.States, Query: q.Encode()}
	w.render(rw, r, http.StatusOK, "pledge_status", p)
	return nil
}

// pledgeStatusExport downloads the people of the filter as .xlsx.
func (w *Server) pledgeStatusExport(rw http.ResponseWriter, r *http.Request) error {
	ctx, st := r.Context(), stateOf(r)
	f, err := pledgeFilter(r.URL.Query())
	if err != nil {
		return err
	}
	b, err := w.s.Pledges.Status(ctx, st.who, f)
	if err != nil {
		return err
	}
	t := func(k string, a ...any) string { return i18n.T(st.lang, k, a...) }
	header := []string{t("pledges.field.pledge"), t("pledges.field.department"), t("staff.employee_no"), t("pledges.field.name"),
		t("staff.employment"), t("pledges.field.state"), t("pledges.field.due_on"), t("pledges.field.signed_on"),
		t("pledges.field.method"), t("pledges.field.pack_version")}
	rows := make([][]any, 0, len(b.Items))
	for _, it := range b.Items {
		row := []any{it.Title, it.DepartmentName, it.EmployeeNo, it.Name, t("staff.employment." + it.Employment),
			t("pledges.state." + it.State), it.DueOn, "", "", ""}
		if g := it.Last; g != nil {
			row[7], row[8], row[9] = g.SignedOn, t("pledges.method."+g.Method), g.PackVersion
		}
		rows = append(rows, row)
	}
	return sendXLSX(rw, "pledges", t("pledges.status.sheet"), header, rows)
}

type pledgePersonData struct {
	Rec         pledge.Record
	RecordPaper bool
}

// pledgePerson is one person's pledges and history.
func (w *Server) pledgePerson(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rec, err := w.s.Pledges.Person(ctx, who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "pledges.person.title", "pledges")
	p.Crumbs = []crumb{{p.T("pledges.title"), "/pledges"}}
	if pledge.ReadsOthers(who) {
		p.Crumbs = append(p.Crumbs, crumb{p.T("pledges.status.title"), "/pledges/status"})
	}
	p.Data = pledgePersonData{Rec: rec, RecordPaper: pledge.MayRecordPaper(who)}
	w.render(rw, r, http.StatusOK, "pledge_person", p)
	return nil
}
