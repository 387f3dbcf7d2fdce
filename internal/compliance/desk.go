package compliance

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
)

// What a person's home page (the desk) shows of compliance: the open findings of their
// department, the exceptions that end soon, and — for the organisation's overview — the open
// findings by severity and by department. Each is read under the rule of the full list
// (visibility, where, screen.go): a finding whose asset's details are not for the reader is
// counted without its severity.

// EndingSoonDays is how far ahead the desk looks for exceptions that end: the pack sets no
// notice period, and a month leaves time to renew an exception or end the deviation.
const EndingSoonDays = 30

// myDepartments are the departments whose findings are the actor's own: their department and
// those of the department roles they hold, among those whose findings they see.
func myDepartments(who access.Actor) []int64 {
	var out []int64
	for _, d := range append([]int64{who.DepartmentID}, deptGrants(who)...) {
		if d != 0 && asset.CanRead(who, d) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

func deptGrants(who access.Actor) []int64 {
	var out []int64
	for _, g := range who.Roles {
		if g.Scope == "department" && !g.AllStaff {
			out = append(out, g.DepartmentID)
		}
	}
	return out
}

// DepartmentFindings returns the open findings (not covered by an exception) of the actor's
// departments, most severe and newest first, at most limit, and how many there are.
func (s *Service) DepartmentFindings(ctx context.Context, who access.Actor, limit int) ([]Shown, int, error) {
	depts := myDepartments(who)
	if len(depts) == 0 {
		return []Shown{}, 0, nil
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, 0, err
	}
	sight := asset.SightOf(who, p)
	cond, args := where(who, Filter{}, sight)
	in := make([]string, len(depts))
	for i, d := range depts {
		args = append(args, d)
		in[i] = "$" + strconv.Itoa(len(args))
	}
	cond += " AND f.department_id IN (" + strings.Join(in, ", ") + ")"
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM compliance_findings f WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count findings")
	}
	if total == 0 {
		return []Shown{}, 0, nil
	}
	rank, pageArgs := rankOf(sight, args)
	list, err := s.query(ctx, p, `SELECT `+findingColumns+findingFrom+`WHERE `+cond+
		` ORDER BY `+rank+` DESC, f.first_seen DESC, f.id DESC LIMIT `+strconv.Itoa(min(max(limit, 1), 100)), pageArgs...)
	if err != nil {
		return nil, 0, err
	}
	shown, err := s.screen(ctx, who, sight, list)
	return shown, total, err
}

// OpenCounts are open findings by severity; Restricted counts those whose severity is
// withheld from the reader.
type OpenCounts struct {
	Counts
	Restricted int64 `json:"restricted"`
}

// DepartmentOpen is one department's open findings in the overview.
type DepartmentOpen struct {
	DepartmentID   int64      `json:"department_id"`
	DepartmentName string     `json:"department_name"`
	Open           OpenCounts `json:"open"`
}

// Overview counts the open findings the actor sees (not covered by an exception), in total by
// severity and by department, the departments with most high and critical first. For a reader
// from whom no asset's details are hidden the counts are those kept by department and severity
// (counts.go), of the departments the reader sees; for anyone else one aggregate query over
// the index of open findings by department (migration 00023) tells the withheld apart. One
// more query reads the departments' names.
func (s *Service) Overview(ctx context.Context, who access.Actor) (OpenCounts, []DepartmentOpen, error) {
	var total OpenCounts
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return total, nil, err
	}
	sight := asset.SightOf(who, p)
	var rows *sql.Rows
	if sight.HidesSome() {
		cond, args := where(who, Filter{}, sight)
		rank, args := rankOf(sight, args)
		rows, err = s.DB.SQL.QueryContext(ctx, `SELECT COALESCE(f.department_id, 0), `+rank+`, count(*) FROM compliance_findings f
			WHERE `+cond+` GROUP BY f.department_id, `+rank, args...)
	} else {
		cond, args := "c.org_id = $1 AND c.open > 0", []any{who.OrgID}
		if all, depts := visibility(who); !all {
			in := make([]string, len(depts))
			for i, d := range depts {
				args = append(args, d)
				in[i] = "$" + strconv.Itoa(len(args))
			}
			cond += " AND c.department_id IN (" + strings.Join(append(in, "NULL"), ", ") + ")"
		}
		rows, err = s.DB.SQL.QueryContext(ctx, `SELECT c.department_id, c.severity_rank, c.open FROM compliance_open_counts c
			WHERE `+cond+` ORDER BY c.department_id, c.severity_rank`, args...)
	}
	if err != nil {
		return total, nil, apperr.Wrap(err, "findings overview")
	}
	byID := map[int64]*DepartmentOpen{}
	var depts []*DepartmentOpen
	for rows.Next() {
		var id, n int64
		var r int
		if err := rows.Scan(&id, &r, &n); err != nil {
			rows.Close()
			return total, nil, apperr.Wrap(err, "findings overview")
		}
		d := byID[id]
		if d == nil {
			d = &DepartmentOpen{DepartmentID: id}
			byID[id] = d
			depts = append(depts, d)
		}
		for _, c := range []*OpenCounts{&d.Open, &total} {
			if r == 0 {
				c.Restricted += n
			} else {
				c.add(r, n)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return total, nil, apperr.Wrap(err, "findings overview")
	}
	if len(depts) > 0 {
		names, err := s.DB.SQL.QueryContext(ctx, `SELECT id, name FROM departments WHERE org_id = $1`, who.OrgID)
		if err != nil {
			return total, nil, apperr.Wrap(err, "departments")
		}
		for names.Next() {
			var id int64
			var name string
			if err := names.Scan(&id, &name); err != nil {
				names.Close()
				return total, nil, apperr.Wrap(err, "departments")
			}
			if d := byID[id]; d != nil {
				d.DepartmentName = name
			}
		}
		names.Close()
		if err := names.Err(); err != nil {
			return total, nil, apperr.Wrap(err, "departments")
		}
	}
	out := make([]DepartmentOpen, len(depts))
	for i, d := range depts {
		out[i] = *d
	}
	slices.SortStableFunc(out, func(a, b DepartmentOpen) int {
		return cmp.Or(cmp.Compare(b.Open.Critical+b.Open.High, a.Open.Critical+a.Open.High),
			cmp.Compare(b.Open.Total()+b.Open.Restricted, a.Open.Total()+a.Open.Restricted),
			cmp.Compare(a.DepartmentName, b.DepartmentName))
	})
	return total, out, nil
}

// EndingSoon returns the exceptions in force that end within days (their last day from today
// to today plus days), soonest first, at most limit, and how many there are: of the register
// the actor sees (Exceptions' rule), withheld as it withholds them.
func (s *Service) EndingSoon(ctx context.Context, who access.Actor, days, limit int) ([]Exception, int, error) {
	all, depts := visibility(who)
	if !all && len(depts) == 0 {
		return []Exception{}, 0, nil
	}
	now := s.now()
	args := []any{who.OrgID, today(now), now.In(jst).AddDate(0, 0, days).Format(time.DateOnly)}
	cond := "e.org_id = $1 AND e.state = 'active' AND e.expires_on <> '' AND e.expires_on >= $2 AND e.expires_on <= $3"
	if !all {
		in := make([]string, len(depts))
		for i, d := range depts {
			args = append(args, d)
			in[i] = "$" + strconv.Itoa(len(args))
		}
		cond += " AND e.department_id IN (" + strings.Join(in, ", ") + ")"
	}
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM compliance_exceptions e WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count exceptions")
	}
	if total == 0 {
		return []Exception{}, 0, nil
	}
	rows, err := s.DB.SQL.QueryContext(ctx, exceptionSelect+`WHERE `+cond+` ORDER BY e.expires_on, e.id LIMIT `+strconv.Itoa(min(max(limit, 1), 100)), args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "exceptions")
	}
	var out []Exception
	for rows.Next() {
		e, err := scanException(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "exceptions")
	}
	for i := range out {
		items, err := s.DB.SQL.QueryContext(ctx, `SELECT rule_id, asset_id, asset_number, active FROM compliance_exception_items
			WHERE exception_id = $1 AND org_id = $2 ORDER BY id`, out[i].ID, who.OrgID)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "exception items")
		}
		for items.Next() {
			var it ExceptionItem
			if err := items.Scan(&it.RuleID, &it.AssetID, &it.AssetNumber, &it.Active); err != nil {
				items.Close()
				return nil, 0, apperr.Wrap(err, "exception items")
			}
			out[i].Items = append(out[i].Items, it)
		}
		items.Close()
	}
	return out, total, s.withhold(ctx, who, out)
}
