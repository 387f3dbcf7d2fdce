package web

import (
	"net/http"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/audit"
	"mamori/internal/desk"
	"mamori/internal/i18n"
)

// The audits of a fiscal year (情報セキュリティ監査): the plans that cover it, the audits the
// reader sees, the risk-based suggestion of which departments to audit first, and — for the
// chief auditor and the CISO — the forms that plan a year and an audit.

type auditsData struct {
	Year        int
	Years       []int
	Plans       []audit.Plan
	Audits      []audit.Audit
	Suggestions []audit.Suggestion
	MayPlan     bool
	MaySpecial  bool
	Departments []audit.Named
	Staff       []audit.Candidate
	Articles    []string
}

func yearOf(r *http.Request, now time.Time) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return audit.FiscalYear(now), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.InvalidField("year", "audits.error.year")
	}
	return y, nil
}

func (w *Server) audits(rw http.ResponseWriter, r *http.Request) error {
	return w.auditsPage(rw, r, http.StatusOK, nil)
}

func (w *Server) auditsPage(rw http.ResponseWriter, r *http.Request, status int, fail error) error {
	ctx, who := r.Context(), stateOf(r).who
	year, err := yearOf(r, w.s.Now())
	if err != nil {
		return err
	}
	d := auditsData{Year: year, Years: []int{year - 1, year, year + 1}, MayPlan: who.IsAuditor(), MaySpecial: desk.Watches(who)}
	if d.Plans, err = w.s.Audits.Plans(ctx, who, year); err != nil {
		return err
	}
	if d.Audits, err = w.s.Audits.List(ctx, who, year); err != nil {
		return err
	}
	if d.MaySpecial {
		if d.Suggestions, err = w.s.Audits.Suggest(ctx, who, year); err != nil {
			return err
		}
		if len(d.Suggestions) > 10 {
			d.Suggestions = d.Suggestions[:10]
		}
		if d.Departments, err = w.s.Audits.Departments(ctx, who); err != nil {
			return err
		}
		if d.Staff, err = w.s.Audits.Candidates(ctx, who); err != nil {
			return err
		}
		if pack, _ := w.s.Policy.Optional(ctx, who.OrgID); pack != nil {
			d.Articles = audit.Articles(pack)
		}
	}
	p := w.newPage(r, "audits.title", "audits")
	if fail != nil {
		p.withErrors(fail)
		for i := range p.Errors {
			if p.Errors[i].Field != "" {
				p.Errors[i].Field = r.PostForm.Get("form") + "-" + p.Errors[i].Field
			}
		}
	}
	p.Data = d
	w.render(rw, r, status, "audits", p)
	return nil
}

// auditsFailed shows the list again with the form's errors, or passes other errors on.
func (w *Server) auditsFailed(rw http.ResponseWriter, r *http.Request, err error) error {
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return w.auditsPage(rw, r, http.StatusUnprocessableEntity, err)
	case apperr.Conflict:
		return w.auditsPage(rw, r, http.StatusConflict, err)
	}
	return err
}

func formIDs(v *apperr.Validation, r *http.Request, field string) []int64 {
	var out []int64
	for _, s := range r.PostForm[field] {
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add(field, "error.choose")
			continue
		}
		out = append(out, id)
	}
	return out
}

func (w *Server) auditPlanCreate(rw http.ResponseWriter, r *http.Request) error {
	var v apperr.Validation
	f := r.PostForm
	in := audit.NewPlan{Kind: f.Get("kind"), FromYear: formInt(&v, r, "from_year"), ToYear: formInt(&v, r, "to_year"), Title: f.Get("title"),
		Aims: f.Get("aims"), Timing: f.Get("timing"), Departments: formIDs(&v, r, "departments"), Systems: lines(f.Get("systems"))}
	if err := v.Err(); err != nil {
		return w.auditsFailed(rw, r, err)
	}
	if _, err := w.s.Audits.CreatePlan(r.Context(), stateOf(r).who, in); err != nil {
		return w.auditsFailed(rw, r, err)
	}
	return w.redirect(rw, r, "/audits?year="+strconv.Itoa(in.FromYear), "audits.saved")
}

func (w *Server) auditCreate(rw http.ResponseWriter, r *http.Request) error {
	var v apperr.Validation
	f := r.PostForm
	in := audit.NewAudit{PlanID: formID(&v, r, "plan_id"), Kind: f.Get("kind"), Title: f.Get("title"), Objective: f.Get("objective"),
		Criteria: f["criteria"], StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"), Departments: formIDs(&v, r, "departments"),
		Systems: lines(f.Get("systems")), Auditors: formIDs(&v, r, "auditors")}
	if err := v.Err(); err != nil {
		return w.auditsFailed(rw, r, err)
	}
	d, err := w.s.Audits.Create(r.Context(), stateOf(r).who, in)
	if err != nil {
		return w.auditsFailed(rw, r, err)
	}
	return w.redirect(rw, r, "/audits/"+strconv.FormatInt(d.ID, 10), "audits.saved")
}

// auditsExport downloads the year's audits and their findings as .xlsx.
func (w *Server) auditsExport(rw http.ResponseWriter, r *http.Request) error {
	year, err := yearOf(r, w.s.Now())
	if err != nil {
		return err
	}
	name := "audits-" + strconv.Itoa(year) + "-" + time.Now().In(i18n.Tokyo).Format("20060102") + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	return w.s.Audits.Export(r.Context(), stateOf(r).who, year, stateOf(r).lang, rw)
}

// FiscalYear shows a fiscal year (年度) as municipal documents write it: 令和8年度 in Japanese,
// FY 2026 in English.
func (p *page) FiscalYear(y int) string {
	if p.Lang == i18n.Ja {
		return i18n.WarekiYear(time.Date(y, time.April, 1, 12, 0, 0, 0, i18n.Tokyo)) + "度"
	}
	return p.T("audits.year", y)
}
