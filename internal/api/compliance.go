package api

import (
	"net/http"
	"slices"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/compliance"
)

// Compliance (遵守状況の確認): the findings the pack's rules open on the register, the summary by
// department and by rule, the trend of the daily sweeps, the exception register and a sweep on
// demand. The compliance service decides who sees what: department staff see their
// departments' findings, auditors and organisation-wide roles all; a finding on an asset whose
// details are not for the caller comes without its rule and values (restricted).

// complianceSummary is the open findings by department and by rule.
type complianceSummary struct {
	Departments []compliance.DepartmentCompliance `json:"departments"`
	Rules       []compliance.RuleCompliance       `json:"rules"`
}

// complianceTrend is the state at the end of each day with a finished sweep, oldest first.
type complianceTrend struct {
	Days []compliance.TrendPoint `json:"days"`
}

// listFindings lists findings: rule, severity (that severity and above), department_id and
// state (open, suppressed, closed, all).
func (a *api) listFindings(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := compliance.Filter{RuleID: q.Get("rule"), MinSeverity: q.Get("severity"), State: q.Get("state"), Limit: p.limit, Offset: p.offset}
	if f.State == "" {
		f.State = "open"
	}
	if f.DepartmentID, err = queryID(r, "department_id"); err != nil {
		return err
	}
	list, total, err := a.s.Compliance.Findings(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, list, total)
}

// assetFindings lists every finding of one asset with its history, open ones first.
func (a *api) assetFindings(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), actor(r)
	shown, err := a.s.Compliance.AssetFindings(ctx, who, id)
	if err != nil {
		return err
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(shown, p), len(shown))
}

func (a *api) complianceSummary(w http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), actor(r)
	var out complianceSummary
	var err error
	if out.Departments, err = a.s.Compliance.ByDepartment(ctx, who); err != nil {
		return err
	}
	if out.Rules, err = a.s.Compliance.ByRule(ctx, who); err != nil {
		return err
	}
	if !compliance.CanSeeBroken(who) {
		for i := range out.Rules {
			out.Rules[i].Error = ""
		}
	}
	return ok(w, out)
}

// complianceTrend is the state at the end of each day of the last days (90 by default).
func (a *api) complianceTrend(w http.ResponseWriter, r *http.Request) error {
	days := 90
	if s := r.URL.Query().Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 3660 {
			return apperr.InvalidField("days", "error.number")
		}
		days = n
	}
	trend, err := a.s.Compliance.Trend(r.Context(), actor(r), days)
	if err != nil {
		return err
	}
	if trend == nil {
		trend = []compliance.TrendPoint{}
	}
	return ok(w, complianceTrend{Days: trend})
}

// listExceptions is the exception register (例外措置の記録), narrowed by state.
func (a *api) listExceptions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	if state != "" && !slices.Contains([]string{"active", "expired", "withdrawn"}, state) {
		return apperr.InvalidField("state", "error.invalid")
	}
	list, err := a.s.Compliance.Exceptions(r.Context(), actor(r), state)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

// sweepInput is the body of a sweep on demand: an empty object, or no body at all.
type sweepInput struct{}

// sweepNow checks the whole register at once (administrators).
func (a *api) sweepNow(w http.ResponseWriter, r *http.Request) error {
	sw, err := a.s.Compliance.RunFor(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return ok(w, sw)
}
