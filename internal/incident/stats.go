package incident

import (
	"context"
	"slices"
	"time"

	"mamori/internal/access"
)

// Stats is the report on incidents for the 委員会: how many of each state, category and severity
// in a period, and per incident the time from detection to the report and to containment.
type Stats struct {
	From            time.Time      `json:"from"`
	To              time.Time      `json:"to"`
	Total           int            `json:"total"`
	ByState         map[string]int `json:"by_state"`
	ByCategory      map[string]int `json:"by_category"`
	BySeverity      map[string]int `json:"by_severity"`
	Overdue         int            `json:"overdue"` // reports of their checklists past deadline now
	Lines           []StatsLine    `json:"lines"`
	MedianToReport  time.Duration  `json:"median_to_report"`
	MedianToContain time.Duration  `json:"median_to_contain"`
}

// StatsLine is one incident of the report.
type StatsLine struct {
	ID           int64          `json:"id"`
	Title        string         `json:"title"`
	State        string         `json:"state"`
	Category     string         `json:"category,omitempty"`
	Severity     string         `json:"severity,omitempty"`
	DetectedAt   time.Time      `json:"detected_at"`
	ToReport     time.Duration  `json:"to_report"`
	ToContain    *time.Duration `json:"to_contain,omitempty"`
	Overdue      int            `json:"overdue"`
	Restricted   bool           `json:"restricted"`
	PlanApproved bool           `json:"plan_approved"`
}

// Statistics returns the statistics of the incidents the actor sees that were detected in [from, to).
func (s *Service) Statistics(ctx context.Context, who access.Actor, from, to time.Time) (Stats, error) {
	out := Stats{From: from, To: to, ByState: map[string]int{}, ByCategory: map[string]int{}, BySeverity: map[string]int{}, Lines: []StatsLine{}}
	list, _, err := s.List(ctx, who, Filter{Limit: 500})
	if err != nil {
		return out, err
	}
	overdue, err := s.Overdue(ctx, who)
	if err != nil {
		return out, err
	}
	late := map[int64]int{}
	for _, n := range overdue {
		late[n.IncidentID]++
	}
	var toReport, toContain []time.Duration
	for _, in := range list {
		if in.DetectedAt.Before(from) || !in.DetectedAt.Before(to) {
			continue
		}
		l := StatsLine{ID: in.ID, Title: in.Title, State: in.State, Category: in.Category, Severity: in.Severity, DetectedAt: in.DetectedAt,
			ToReport: in.ReportedAt.Sub(in.DetectedAt), Overdue: late[in.ID], Restricted: in.Restricted, PlanApproved: in.Plan.Approved()}
		if in.ContainedAt != nil {
			d := in.ContainedAt.Sub(in.DetectedAt)
			l.ToContain = &d
			toContain = append(toContain, d)
		}
		toReport = append(toReport, l.ToReport)
		out.Total++
		out.ByState[in.State]++
		if in.Category != "" {
			out.ByCategory[in.Category]++
		}
		if in.Severity != "" {
			out.BySeverity[in.Severity]++
		}
		out.Overdue += l.Overdue
		out.Lines = append(out.Lines, l)
	}
	out.MedianToReport, out.MedianToContain = median(toReport), median(toContain)
	return out, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}
