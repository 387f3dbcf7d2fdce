package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/task"
)

// The year of recurring duties as a grid, duty by month (April to March), for the 情報政策課
// and the organisation-wide roles: each cell counts the tasks due that month by status, overdue
// in red. Others see the grid of the tasks they hold.

type calendarCell struct {
	task.Count
	Href string
}

type calendarRow struct {
	task.CalendarRow
	Every string
	Cells []calendarCell
}

type taskCalendarData struct {
	Year    string
	Name    string
	Months  []string
	Rows    []calendarRow
	Years   []taskOption
	Watches bool
}

func (w *Server) taskCalendar(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	fy := task.FiscalYear(w.s.Now())
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			return apperr.InvalidField("year", "tasks.error.year")
		}
		fy = n
	}
	watches := task.Watches(who)
	c, err := w.s.Tasks.CalendarOf(ctx, who, fy, !watches)
	if err != nil {
		return err
	}
	p := w.newPage(r, "tasks.calendar.title", "tasks")
	p.Crumbs = []crumb{{p.T("tasks.title"), "/tasks"}}
	d := taskCalendarData{Year: strconv.Itoa(fy), Name: fiscalYearName(p.Lang, fy), Watches: watches}
	for i := range c.Months {
		d.Months = append(d.Months, p.T("tasks.calendar.month", (i+3)%12+1))
	}
	scope := "all"
	if !watches {
		scope = "mine"
	}
	for _, row := range c.Rows {
		v := calendarRow{CalendarRow: row, Every: p.T("tasks.every." + row.Every)}
		for _, cell := range row.Cells {
			v.Cells = append(v.Cells, calendarCell{Count: cell,
				Href: "/tasks?year=" + d.Year + "&role=" + row.RoleID + "&scope=" + scope})
		}
		d.Rows = append(d.Rows, v)
	}
	for y := task.FiscalYear(w.s.Now()) + 1; y >= task.FiscalYear(w.s.Now())-2; y-- {
		d.Years = append(d.Years, taskOption{strconv.Itoa(y), fiscalYearName(p.Lang, y)})
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "task_calendar", p)
	return nil
}
