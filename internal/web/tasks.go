package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"mamori/internal/accessreview"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/task"
)

// 定期業務: the tasks of the pack's recurring duties — the person's own by default, the
// organisation's for those who read every task — filtered by status, fiscal year and role,
// overdue ones in red; the same list as .xlsx and as an A4 print.

// taskListLimit is how many tasks the page shows; the export and the print hold up to
// task.MaxLimit.
const taskListLimit = 500

type taskRow struct {
	task.Task
	Overdue bool
	Scope   string
	Holders string
	Period  string
}

type taskOption struct{ Value, Name string }

type tasksData struct {
	Rows      []taskRow
	Total     int
	Shown     int
	Status    string
	Year      string
	Role      string
	All       bool // the organisation's tasks rather than the person's own
	Watches   bool
	Statuses  []taskOption
	Years     []taskOption
	Roles     []taskOption
	Query     string // the filter as a query string, for the export and print links
	PrintedOn string
	// Reviews are the open access reviews (棚卸し) with accounts the person still decides or
	// proves: a review past its due day is an overdue task of theirs.
	Reviews []accessreview.Waiting
}

// taskFilter reads the list's filter from the query: status, year (fiscal), role, and
// scope=all for the organisation's tasks.
func (w *Server) taskFilter(q url.Values) (task.Filter, error) {
	f := task.Filter{Status: q.Get("status"), Role: q.Get("role"), Mine: q.Get("scope") != "all"}
	switch y := q.Get("year"); y {
	case "":
		f.FiscalYear = task.FiscalYear(w.s.Now())
	case "all":
	default:
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			return f, apperr.InvalidField("year", "tasks.error.year")
		}
		f.FiscalYear = n
	}
	return f, nil
}

func (w *Server) taskList(r *http.Request, limit int) (*page, tasksData, error) {
	ctx, who := r.Context(), stateOf(r).who
	q := r.URL.Query()
	f, err := w.taskFilter(q)
	if err != nil {
		return nil, tasksData{}, err
	}
	f.Limit = limit
	list, total, err := w.s.Tasks.List(ctx, who, f)
	if err != nil {
		return nil, tasksData{}, err
	}
	p := w.newPage(r, "tasks.title", "tasks")
	d := tasksData{Total: total, Shown: len(list), Status: f.Status, Role: f.Role, All: !f.Mine, Watches: task.Watches(who),
		Query: q.Encode(), PrintedOn: p.Date(w.s.Now())}
	if f.FiscalYear != 0 {
		d.Year = strconv.Itoa(f.FiscalYear)
	} else {
		d.Year = "all"
	}
	for _, t := range list {
		d.Rows = append(d.Rows, taskRowOf(p, t))
	}
	for _, s := range task.Statuses {
		d.Statuses = append(d.Statuses, taskOption{s, p.T("tasks.status." + s)})
	}
	fy := task.FiscalYear(w.s.Now())
	for y := fy + 1; y >= fy-2; y-- {
		d.Years = append(d.Years, taskOption{strconv.Itoa(y), fiscalYearName(p.Lang, y)})
	}
	if p.pack != nil {
		seen := map[string]bool{}
		for _, rd := range p.pack.RecurringDuties() {
			if !seen[rd.Role] {
				seen[rd.Role] = true
				if role, ok := p.pack.Role(rd.Role); ok {
					d.Roles = append(d.Roles, taskOption{role.ID, role.Name})
				}
			}
		}
	}
	return p, d, nil
}

func taskRowOf(p *page, t task.Task) taskRow {
	return taskRow{Task: t, Overdue: t.Status == task.StatusOverdue, Scope: task.ScopeName(t),
		Holders: task.HolderNames(t, p.T("tasks.acting")), Period: periodName(p, t)}
}

// periodName is a task's period as people say it: 令和8年度, 令和8年4月, or its first and last
// day.
func periodName(p *page, t task.Task) string {
	switch t.Every {
	case "year":
		return fiscalYearName(p.Lang, t.FiscalYear)
	case "month":
		return p.T("tasks.period.month", p.Day(t.PeriodStart), p.Day(t.DueOn))
	}
	return p.T("tasks.period.span", p.Day(t.PeriodStart), p.Day(t.DueOn))
}

// fiscalYearName is 令和8年度 in Japanese, FY2026 in English.
func fiscalYearName(lang i18n.Lang, fy int) string {
	if lang == i18n.En {
		return "FY" + strconv.Itoa(fy)
	}
	return i18n.WarekiYear(time.Date(fy, time.April, 1, 0, 0, 0, 0, i18n.Tokyo)) + "度"
}

func (w *Server) tasks(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.taskList(r, taskListLimit)
	if err != nil {
		return err
	}
	if d.Reviews, _, err = w.s.AccessReviews.Awaiting(r.Context(), stateOf(r).who, 100); err != nil {
		return err
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "tasks", p)
	return nil
}

// tasksPrint is the list as an A4 ledger.
func (w *Server) tasksPrint(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.taskList(r, task.MaxLimit)
	if err != nil {
		return err
	}
	p.Title = "tasks.print.title"
	p.Data = d
	w.render(rw, r, http.StatusOK, "tasks_print", p)
	return nil
}

// tasksExport downloads the list as .xlsx.
func (w *Server) tasksExport(rw http.ResponseWriter, r *http.Request) error {
	f, err := w.taskFilter(r.URL.Query())
	if err != nil {
		return err
	}
	name := "tasks-" + w.s.Now().In(i18n.Tokyo).Format("20060102") + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	return w.s.Tasks.Export(r.Context(), stateOf(r).who, f, stateOf(r).lang, rw)
}
