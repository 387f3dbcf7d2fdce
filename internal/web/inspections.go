package web

import (
	"net/http"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
	"mamori/internal/org"
)

// 自己点検: the campaigns the user reads, the form that starts one, and the list as .xlsx.

type inspectionsData struct {
	Campaigns []inspection.Campaign
	CanStart  bool
}

func (w *Server) inspections(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	list, err := w.s.Inspections.Campaigns(ctx, who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "inspection.title", "inspections")
	p.Data = inspectionsData{Campaigns: list, CanStart: w.s.Inspections.CanStart(ctx, who)}
	w.render(rw, r, http.StatusOK, "inspections", p)
	return nil
}

type inspectionFormData struct {
	Tree     []org.Department
	Chosen   map[int64]bool
	Items    int
	Deadline string
}

func (w *Server) inspectionNewForm(rw http.ResponseWriter, r *http.Request) error {
	return w.inspectionForm(rw, r, http.StatusOK, nil)
}

func (w *Server) inspectionForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	if !w.s.Inspections.CanStart(ctx, who) {
		return apperr.New(apperr.Forbidden, "inspection.error.may_not_start")
	}
	_, tree, terr := w.departmentNames(ctx, who)
	if terr != nil {
		return terr
	}
	p := w.newPage(r, "inspection.new.title", "inspections")
	p.Crumbs = []crumb{{p.T("inspection.title"), "/self-inspections"}}
	d := inspectionFormData{Tree: tree, Chosen: map[int64]bool{}}
	if p.pack != nil {
		d.Items = len(p.pack.Inspections)
	}
	if r.Method == http.MethodPost {
		for _, s := range r.PostForm["department_ids"] {
			id, _ := strconv.ParseInt(s, 10, 64)
			d.Chosen[id] = true
		}
	} else {
		now := w.s.Now()
		p.Form = map[string][]string{"fiscal_year": {strconv.Itoa(inspection.FiscalYearOf(now))},
			"title":    {p.T("inspection.new.default_title", inspection.FiscalYearOf(now))},
			"deadline": {now.In(i18n.Tokyo).AddDate(0, 1, 0).Format(time.DateOnly)}}
	}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = d
	w.render(rw, r, status, "inspection_form", p)
	return nil
}

func (w *Server) inspectionCreate(rw http.ResponseWriter, r *http.Request) error {
	v := &apperr.Validation{}
	in := inspection.NewCampaign{FiscalYear: formInt(v, r, "fiscal_year"), Title: r.PostForm.Get("title"),
		OpensOn: r.PostForm.Get("opens_on"), Deadline: r.PostForm.Get("deadline")}
	if r.PostForm.Get("scope") == "chosen" {
		for _, s := range r.PostForm["department_ids"] {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				v.Add("department_ids", "error.choose")
				continue
			}
			in.DepartmentIDs = append(in.DepartmentIDs, id)
		}
		if len(in.DepartmentIDs) == 0 {
			v.Add("department_ids", "inspection.error.choose_departments")
		}
	}
	redisplay := func(status int, err error) error { return w.inspectionForm(rw, r, status, err) }
	if err := v.Err(); err != nil {
		return redisplay(http.StatusUnprocessableEntity, err)
	}
	c, err := w.s.Inspections.Start(r.Context(), stateOf(r).who, in)
	return w.saved(rw, r, err, redisplay, "/self-inspections/"+strconv.FormatInt(c.ID, 10), "inspection.flash.started")
}

// xlsx sends tables as an .xlsx download named name-YYYYMMDD.xlsx.
func (w *Server) xlsx(rw http.ResponseWriter, name string, tables ...inspection.Table) error {
	file := name + "-" + time.Now().In(i18n.Tokyo).Format("20060102") + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	return inspection.WriteXLSX(rw, tables...)
}

// rowsOf turns a slice into a table's rows.
func rowsOf[T any](list []T, row func(T) []any) func(func([]any) error) error {
	return func(emit func([]any) error) error {
		for _, x := range list {
			if err := emit(row(x)); err != nil {
				return err
			}
		}
		return nil
	}
}

func (w *Server) inspectionsExport(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	list, err := w.s.Inspections.Campaigns(r.Context(), st.who)
	if err != nil {
		return err
	}
	t := func(k string, a ...any) string { return i18n.T(st.lang, k, a...) }
	return w.xlsx(rw, "self-inspections", inspection.Table{
		Name: t("inspection.title"),
		Head: []string{t("inspection.field.fiscal_year"), t("inspection.field.title"), t("inspection.field.opens_on"), t("inspection.field.deadline"),
			t("inspection.field.state"), t("inspection.field.items"), t("inspection.field.sheets"), t("inspection.field.submitted"), t("inspection.field.pack_version")},
		Rows: rowsOf(list, func(c inspection.Campaign) []any {
			return []any{c.FiscalYear, c.Title, c.OpensOn, c.Deadline, t("inspection.campaign_state." + c.State), c.Items, c.Sheets, c.Submitted, c.PackVersion}
		}),
	})
}
