package task

import (
	"time"

	"mamori/internal/policy"
)

// Period is one occurrence of a duty's interval: its first and last day (JST), the last being
// the day the task is due.
type Period struct {
	Start string
	Due   string
}

// FiscalYear is the fiscal year (年度, from 4月1日) a JST day falls in.
func FiscalYear(t time.Time) int {
	t = t.In(jst)
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jst) }

func fmtDay(t time.Time) string { return t.Format(time.DateOnly) }

// Periods are the periods of a duty in fiscal year fy: one for a yearly duty (due at the end
// of its Month, March when none), two halves, four quarters, twelve months, or the weeks
// (Monday to Sunday) that begin in the year.
func Periods(d policy.Duty, fy int) []Period {
	start, end := day(fy, time.April, 1), day(fy+1, time.April, 1)
	var out []Period
	months := func(n int) {
		for t := start; t.Before(end); t = t.AddDate(0, n, 0) {
			out = append(out, Period{Start: fmtDay(t), Due: fmtDay(t.AddDate(0, n, -1))})
		}
	}
	switch d.Every {
	case policy.EveryYear:
		due := end.AddDate(0, 0, -1)
		if d.Month != 0 {
			y := fy
			if d.Month < int(time.April) {
				y++
			}
			due = day(y, time.Month(d.Month)+1, 0)
		}
		out = append(out, Period{Start: fmtDay(start), Due: fmtDay(due)})
	case policy.EveryHalf:
		months(6)
	case policy.EveryQuarter:
		months(3)
	case policy.EveryMonth:
		months(1)
	case policy.EveryWeek:
		t := start
		for t.Weekday() != time.Monday {
			t = t.AddDate(0, 0, 1)
		}
		for ; t.Before(end); t = t.AddDate(0, 0, 7) {
			out = append(out, Period{Start: fmtDay(t), Due: fmtDay(t.AddDate(0, 0, 6))})
		}
	}
	return out
}
