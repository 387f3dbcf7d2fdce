package compliance

import (
	"cmp"
	"context"
	"slices"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
)

// DepartmentCompliance is one department's open findings.
type DepartmentCompliance struct {
	DepartmentID   int64  `json:"department_id"`
	DepartmentName string `json:"department_name"`
	Open           Counts `json:"open"`
}

// RuleCompliance is one rule of the pack with its open findings and whether it can be
// evaluated.
type RuleCompliance struct {
	RuleID   string `json:"rule_id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Article  string `json:"article"`
	Quote    string `json:"quote,omitempty"`
	Open     int64  `json:"open"`
	Suppress int64  `json:"suppressed"`
	Broken   bool   `json:"broken"`
	Error    string `json:"error,omitempty"`
}

// TrendPoint is the state at the end of a day: the last finished sweep of that day.
type TrendPoint struct {
	Day        string `json:"day"`
	Assets     int64  `json:"assets"`
	Open       Counts `json:"open"`
	Opened     int64  `json:"opened"`
	Closed     int64  `json:"closed"`
	BrokenRule int64  `json:"broken_rules"`
}

// ByDepartment counts the open findings of each department the actor sees, most high and
// critical first.
func (s *Service) ByDepartment(ctx context.Context, who access.Actor) ([]DepartmentCompliance, error) {
	cond, args := where(who, Filter{Suppressed: true}, asset.Sight{})
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT COALESCE(f.department_id, 0), COALESCE(d.name, ''), f.severity_rank,
		f.suppressed_by IS NOT NULL, count(*)`+findingFrom+`WHERE `+cond+`
		GROUP BY f.department_id, d.name, f.severity_rank, f.suppressed_by IS NOT NULL`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "by department")
	}
	defer rows.Close()
	byID := map[int64]*DepartmentCompliance{}
	var out []*DepartmentCompliance
	for rows.Next() {
		var id, n int64
		var name string
		var rank int
		var suppressed bool
		if err := rows.Scan(&id, &name, &rank, &suppressed, &n); err != nil {
			return nil, apperr.Wrap(err, "by department")
		}
		d := byID[id]
		if d == nil {
			d = &DepartmentCompliance{DepartmentID: id, DepartmentName: name}
			byID[id] = d
			out = append(out, d)
		}
		if suppressed {
			d.Open.Suppressed += n
		} else {
			d.Open.add(rank, n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "by department")
	}
	res := make([]DepartmentCompliance, len(out))
	for i, d := range out {
		res[i] = *d
	}
	slices.SortStableFunc(res, func(a, b DepartmentCompliance) int {
		if c := cmp.Compare(b.Open.Critical+b.Open.High, a.Open.Critical+a.Open.High); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Open.Total(), a.Open.Total()); c != 0 {
			return c
		}
		return cmp.Compare(a.DepartmentName, b.DepartmentName)
	})
	return res, nil
}

// ByRule lists every rule of the pack on assets, in the pack's order, with its open findings
// among the departments the actor sees and whether it is broken.
func (s *Service) ByRule(ctx context.Context, who access.Actor) ([]RuleCompliance, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return nil, err
	}
	cond, args := where(who, Filter{Suppressed: true}, asset.Sight{})
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT f.rule_id, f.suppressed_by IS NOT NULL, count(*) FROM compliance_findings f
		WHERE `+cond+` GROUP BY f.rule_id, f.suppressed_by IS NOT NULL`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "by rule")
	}
	type n2 struct{ open, suppressed int64 }
	counts := map[string]*n2{}
	for rows.Next() {
		var id string
		var suppressed bool
		var n int64
		if err := rows.Scan(&id, &suppressed, &n); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "by rule")
		}
		if counts[id] == nil {
			counts[id] = &n2{}
		}
		if suppressed {
			counts[id].suppressed += n
		} else {
			counts[id].open += n
		}
	}
	rows.Close()
	broken := map[string]string{}
	brows, err := s.DB.SQL.QueryContext(ctx, `SELECT rule_id, error FROM compliance_rule_status WHERE org_id = $1 AND broken`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "rule status")
	}
	for brows.Next() {
		var id, msg string
		if err := brows.Scan(&id, &msg); err != nil {
			brows.Close()
			return nil, apperr.Wrap(err, "rule status")
		}
		broken[id] = msg
	}
	brows.Close()
	var out []RuleCompliance
	for _, r := range rulesOf(p).rules {
		rc := RuleCompliance{RuleID: r.ID, Title: r.Title, Severity: r.Severity, Article: r.Cite.Article, Quote: r.Cite.Quote}
		if c := counts[r.ID]; c != nil {
			rc.Open, rc.Suppress = c.open, c.suppressed
		}
		rc.Error = broken[r.ID]
		_, rc.Broken = broken[r.ID]
		out = append(out, rc)
	}
	return out, nil
}

// Trend returns the state at the end of each of the last days that had a finished sweep,
// oldest first: the trend of compliance over time.
func (s *Service) Trend(ctx context.Context, who access.Actor, days int) ([]TrendPoint, error) {
	if all, _ := visibility(who); !all {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if days <= 0 {
		days = 90
	}
	since := s.now().In(jst).AddDate(0, 0, -days).Format(time.DateOnly)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT day, assets, open_low, open_medium, open_high, open_critical, suppressed, opened, closed,
		broken_rules FROM compliance_sweeps WHERE org_id = $1 AND day > $2 AND finished_at IS NOT NULL ORDER BY day, finished_at`, who.OrgID, since)
	if err != nil {
		return nil, apperr.Wrap(err, "trend")
	}
	defer rows.Close()
	var out []TrendPoint
	for rows.Next() {
		var t TrendPoint
		if err := rows.Scan(&t.Day, &t.Assets, &t.Open.Low, &t.Open.Medium, &t.Open.High, &t.Open.Critical, &t.Open.Suppressed,
			&t.Opened, &t.Closed, &t.BrokenRule); err != nil {
			return nil, apperr.Wrap(err, "trend")
		}
		if n := len(out); n > 0 && out[n-1].Day == t.Day {
			out[n-1] = t // the day's last sweep
			continue
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Report is the compliance report for the 情報セキュリティ委員会: the totals, each rule and
// department, the exceptions in force and the broken rules, with the trend.
type Report struct {
	OrgID        int64                  `json:"org_id"`
	PackID       string                 `json:"pack_id"`
	PackVersion  string                 `json:"pack_version"`
	PackName     string                 `json:"pack_name"`
	Generated    time.Time              `json:"generated"`
	LastSweep    *TrendPoint            `json:"last_sweep,omitempty"`
	Open         Counts                 `json:"open"`
	Rules        []RuleCompliance       `json:"rules"`
	Departments  []DepartmentCompliance `json:"departments"`
	Exceptions   []Exception            `json:"exceptions"`
	Trend        []TrendPoint           `json:"trend"`
	BrokenRules  []RuleCompliance       `json:"broken_rules"`
	ExceptionCap int                    `json:"exception_max_days"`
}

// Report assembles the committee's report; only those who see every department's findings
// may have it.
func (s *Service) Report(ctx context.Context, who access.Actor) (Report, error) {
	if all, _ := visibility(who); !all {
		return Report{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Report{}, err
	}
	if p == nil {
		return Report{}, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	r := Report{OrgID: who.OrgID, PackID: p.ID, PackVersion: p.Version, PackName: p.Name, Generated: s.now(), ExceptionCap: maxDays(p)}
	if r.Open, err = openCounts(ctx, s.DB.SQL, who.OrgID); err != nil {
		return r, err
	}
	if r.Rules, err = s.ByRule(ctx, who); err != nil {
		return r, err
	}
	for _, rc := range r.Rules {
		if rc.Broken {
			r.BrokenRules = append(r.BrokenRules, rc)
		}
	}
	if r.Departments, err = s.ByDepartment(ctx, who); err != nil {
		return r, err
	}
	if r.Exceptions, err = s.Exceptions(ctx, who, "active"); err != nil {
		return r, err
	}
	if r.Trend, err = s.Trend(ctx, who, 365); err != nil {
		return r, err
	}
	if n := len(r.Trend); n > 0 {
		last := r.Trend[n-1]
		r.LastSweep = &last
	}
	return r, nil
}
