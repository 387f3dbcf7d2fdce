package task

import (
	"context"
	"sort"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Calendar is a fiscal year of tasks, duty by month (April to March): what the 情報政策課 and
// the organisation-wide roles plan and follow.
type Calendar struct {
	FiscalYear int           `json:"fiscal_year"`
	Months     []string      `json:"months"` // YYYY-MM, April first
	Rows       []CalendarRow `json:"rows"`
}

// CalendarRow is one duty's year.
type CalendarRow struct {
	DutyID   string  `json:"duty_id"`
	RoleID   string  `json:"role_id"`
	RoleName string  `json:"role_name"`
	Text     string  `json:"text"`
	Cite     string  `json:"cite"`
	Every    string  `json:"every"`
	Cells    []Count `json:"cells"` // one per month of Months
}

// Count is how many tasks due in a month stand in each status.
type Count struct {
	Done     int `json:"done"`
	Current  int `json:"current"`
	Upcoming int `json:"upcoming"`
	Overdue  int `json:"overdue"`
}

// Total is the number of tasks counted.
func (c Count) Total() int { return c.Done + c.Current + c.Upcoming + c.Overdue }

// CalendarOf returns the fiscal year's tasks the actor reads, counted by duty and the month
// they are due; mine keeps only the tasks the actor holds.
func (s *Service) CalendarOf(ctx context.Context, who access.Actor, fy int, mine bool) (Calendar, error) {
	c := Calendar{FiscalYear: fy, Rows: []CalendarRow{}}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return c, err
	}
	index := map[string]int{}
	for i := 0; i < 12; i++ {
		m := day(fy, time.Month(4+i), 1).Format("2006-01")
		c.Months = append(c.Months, m)
		index[m] = i
	}
	w, args, err := s.where(who, Filter{FiscalYear: fy, Mine: mine})
	if err != nil {
		return c, err
	}
	// Counted in the database, by duty, month due and status: a year of 300 departments is a
	// few hundred groups, not thousands of rows.
	today := s.today()
	n := len(args)
	args = append(args, today, today)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT t.duty_id, t.role_id, MIN(t.text), MIN(t.cite), MIN(t.every), substr(t.due_on, 1, 7),
		CASE WHEN t.state = 'done' THEN 'done' WHEN t.due_on < $`+itoa(n+1)+` THEN 'overdue'
		     WHEN t.period_start > $`+itoa(n+2)+` THEN 'upcoming' ELSE 'current' END AS st, count(*)
		FROM tasks t WHERE `+w+` GROUP BY t.duty_id, t.role_id, substr(t.due_on, 1, 7), st ORDER BY t.duty_id`, args...)
	if err != nil {
		return c, apperr.Wrap(err, "calendar")
	}
	defer rows.Close()
	byDuty := map[string]int{}
	for rows.Next() {
		var duty, role, text, cite, every, month, st string
		var count int
		if err := rows.Scan(&duty, &role, &text, &cite, &every, &month, &st, &count); err != nil {
			return c, apperr.Wrap(err, "calendar")
		}
		i, ok := byDuty[duty]
		if !ok {
			name := role
			if r, found := p.Role(role); found {
				name = r.Name
			}
			i = len(c.Rows)
			byDuty[duty] = i
			c.Rows = append(c.Rows, CalendarRow{DutyID: duty, RoleID: role, RoleName: name, Text: text, Cite: cite, Every: every,
				Cells: make([]Count, 12)})
		}
		m, ok := index[month]
		if !ok {
			continue
		}
		cell := &c.Rows[i].Cells[m]
		switch st {
		case StatusDone:
			cell.Done += count
		case StatusOverdue:
			cell.Overdue += count
		case StatusUpcoming:
			cell.Upcoming += count
		default:
			cell.Current += count
		}
	}
	if err := rows.Err(); err != nil {
		return c, apperr.Wrap(err, "calendar")
	}
	order := map[string]int{}
	for i, d := range p.RecurringDuties() {
		order[d.ID] = i
	}
	sort.SliceStable(c.Rows, func(a, b int) bool { return order[c.Rows[a].DutyID] < order[c.Rows[b].DutyID] })
	return c, nil
}
