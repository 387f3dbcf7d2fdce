package compliance

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// Finding is a finding as the pages, the API and the command line show it: the rule with its
// article and the source's words, the asset, its department and the values that failed.
type Finding struct {
	ID             int64          `json:"id"`
	RuleID         string         `json:"rule_id"`
	Title          string         `json:"title"`
	Severity       string         `json:"severity"`
	Article        string         `json:"article"`
	Quote          string         `json:"quote,omitempty"` // the source text the rule rests on
	Require        string         `json:"require,omitempty"`
	AssetID        int64          `json:"asset_id"`
	AssetNumber    string         `json:"asset_number"`
	DepartmentID   int64          `json:"department_id,omitempty"`
	DepartmentName string         `json:"department_name,omitempty"`
	Values         map[string]any `json:"values"`
	FirstSeen      time.Time      `json:"first_seen"`
	LastSeen       time.Time      `json:"last_seen"`
	ClosedAt       *time.Time     `json:"closed_at,omitempty"`
	CloseReason    string         `json:"close_reason,omitempty"`
	SuppressedBy   int64          `json:"suppressed_by,omitempty"` // the exception that covers it
	Events         []FindingEvent `json:"events,omitempty"`
}

// Open reports whether the finding is still open.
func (f Finding) Open() bool { return f.ClosedAt == nil }

// FindingEvent is one step of a finding's history.
type FindingEvent struct {
	Action      string    `json:"action"` // opened, changed, suppressed, unsuppressed, closed
	Values      string    `json:"values,omitempty"`
	ExceptionID int64     `json:"exception_id,omitempty"`
	At          time.Time `json:"at"`
}

// States a findings list is narrowed to: open (not covered by an exception), suppressed
// (open, covered by an exception), closed, and all.
var States = []string{"open", "suppressed", "closed", "all"}

// Filter narrows a list of findings.
type Filter struct {
	DepartmentID int64
	RuleID       string
	MinSeverity  string // low, medium, high, critical: that severity and above
	State        string // one of States; open when ""
	Suppressed   bool   // with the state open: include the open findings an exception covers
	Limit        int    // at most 500; 100 when 0
	Offset       int
}

// visibility is which departments' findings an actor sees: those of the assets the register
// shows them.
func visibility(who access.Actor) (all bool, depts []int64) {
	if asset.CanRead(who, -1) {
		return true, nil
	}
	cand := []int64{who.DepartmentID}
	for _, g := range who.Roles {
		if g.Scope == "department" {
			cand = append(cand, g.DepartmentID)
		}
	}
	for _, d := range cand {
		if d != 0 && asset.CanRead(who, d) {
			depts = append(depts, d)
		}
	}
	return false, depts
}

// SeesAll reports whether the actor sees every department's findings, the trend and the
// committee's report.
func SeesAll(who access.Actor) bool {
	all, _ := visibility(who)
	return all
}

// where builds the conditions of a findings query for the actor and filter; args start at $1.
// A finding whose asset's details the actor may not see (sight) is never chosen by its rule or
// its severity: being on such a list would tell what is withheld (screen.go).
func where(who access.Actor, f Filter, sight asset.Sight) (string, []any) {
	conds := []string{"f.org_id = $1"}
	args := []any{who.OrgID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	notHidden := ""
	if f.RuleID != "" || severityRank(f.MinSeverity) > 1 {
		if hidden := sight.HiddenCond("f.asset_id", arg); hidden != "" {
			notHidden = " AND NOT " + hidden
		}
	}
	if all, depts := visibility(who); !all {
		if len(depts) == 0 {
			conds = append(conds, "1 = 0")
		}
		var in []string
		for _, d := range depts {
			in = append(in, arg(d))
		}
		if len(in) > 0 {
			conds = append(conds, "f.department_id IN ("+strings.Join(in, ", ")+")")
		}
	}
	switch f.State {
	case "closed":
		conds = append(conds, "f.closed_at IS NOT NULL")
	case "all":
	case "suppressed":
		conds = append(conds, "f.closed_at IS NULL", "f.suppressed_by IS NOT NULL")
	default:
		conds = append(conds, "f.closed_at IS NULL")
		if !f.Suppressed {
			conds = append(conds, "f.suppressed_by IS NULL")
		}
	}
	if f.DepartmentID != 0 {
		conds = append(conds, "f.department_id = "+arg(f.DepartmentID))
	}
	if f.RuleID != "" {
		conds = append(conds, "f.rule_id = "+arg(f.RuleID)+notHidden)
	}
	if r := severityRank(f.MinSeverity); r > 1 {
		conds = append(conds, "f.severity_rank >= "+arg(r)+notHidden)
	}
	return strings.Join(conds, " AND "), args
}

// rankOf is what a page of findings is ordered by: their severity, but a finding whose asset's
// details the actor may not see is placed as if it had none, or its place would tell its
// severity. It adds its arguments to a copy of args, for the page's query only.
func rankOf(sight asset.Sight, args []any) (string, []any) {
	args = args[:len(args):len(args)] // appending copies: the count query keeps its own
	hidden := sight.HiddenCond("f.asset_id", func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	})
	if hidden == "" {
		return "f.severity_rank", args
	}
	return "CASE WHEN " + hidden + " THEN 0 ELSE f.severity_rank END", args
}

const findingColumns = `f.id, f.rule_id, f.severity, f.asset_id, f.asset_number, COALESCE(f.department_id, 0), COALESCE(d.name, ''),
	f.values_json, f.first_seen, f.last_seen, f.closed_at, f.close_reason, COALESCE(f.suppressed_by, 0)`

const findingFrom = ` FROM compliance_findings f LEFT JOIN departments d ON d.id = f.department_id `

// Findings lists findings the actor may see, most severe and newest first, with the total;
// those whose asset's details are not for the actor are withheld (screen.go). A state or
// severity the list does not know is refused, naming the field.
func (s *Service) Findings(ctx context.Context, who access.Actor, f Filter) ([]Shown, int, error) {
	var v apperr.Validation
	if f.State != "" && !slices.Contains(States, f.State) {
		v.Add("state", "error.invalid")
	}
	if f.MinSeverity != "" && !slices.Contains(Severities, f.MinSeverity) {
		v.Add("severity", "error.invalid")
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, 0, err
	}
	sight := asset.SightOf(who, p)
	cond, args := where(who, f, sight)
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM compliance_findings f WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count findings")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 500)
	rank, pageArgs := rankOf(sight, args)
	list, err := s.query(ctx, p, `SELECT `+findingColumns+findingFrom+`WHERE `+cond+
		` ORDER BY `+rank+` DESC, f.first_seen DESC, f.id DESC LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(max(f.Offset, 0)), pageArgs...)
	if err != nil {
		return nil, 0, err
	}
	shown, err := s.screen(ctx, who, sight, list)
	return shown, total, err
}

// AssetFindings lists every finding of one asset, open ones first, with their history: what
// the asset page shows. Of an asset whose details are not for the actor, the findings are
// withheld (screen.go) and listed in the order of their numbers.
func (s *Service) AssetFindings(ctx context.Context, who access.Actor, assetID int64) ([]Shown, error) {
	var a asset.Asset
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT number, kind, system_ref, COALESCE(department_id, 0) FROM assets WHERE id = $1 AND org_id = $2`,
		assetID, who.OrgID).Scan(&a.Number, &a.Kind, &a.SystemRef, &a.DepartmentID)
	if err == sql.ErrNoRows || (err == nil && !asset.CanReadAsset(who, a)) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return nil, apperr.Wrap(err, "asset")
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	sight := asset.SightOf(who, p)
	list, err := s.query(ctx, p, `SELECT `+findingColumns+findingFrom+`WHERE f.org_id = $1 AND f.asset_id = $2
		ORDER BY f.closed_at IS NULL DESC, f.severity_rank DESC, f.id DESC`, who.OrgID, assetID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Events, err = s.events(ctx, who.OrgID, list[i].ID); err != nil {
			return nil, err
		}
	}
	shown, err := s.screen(ctx, who, sight, list)
	if err != nil {
		return nil, err
	}
	if len(shown) > 0 && shown[0].Restricted {
		slices.SortStableFunc(shown, func(a, b Shown) int {
			if a.Open() != b.Open() {
				if a.Open() {
					return -1
				}
				return 1
			}
			return cmp.Compare(b.ID, a.ID)
		})
	}
	return shown, nil
}

func (s *Service) query(ctx context.Context, p *policy.Compiled, q string, args ...any) ([]Finding, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "findings")
	}
	defer rows.Close()
	var rules *packRules
	if p != nil {
		rules = rulesOf(p)
	}
	var out []Finding
	for rows.Next() {
		var f Finding
		var vals string
		var closed sql.NullTime
		if err := rows.Scan(&f.ID, &f.RuleID, &f.Severity, &f.AssetID, &f.AssetNumber, &f.DepartmentID, &f.DepartmentName, &vals,
			&f.FirstSeen, &f.LastSeen, &closed, &f.CloseReason, &f.SuppressedBy); err != nil {
			return nil, apperr.Wrap(err, "findings")
		}
		f.FirstSeen, f.LastSeen = f.FirstSeen.UTC(), f.LastSeen.UTC()
		if closed.Valid {
			t := closed.Time.UTC()
			f.ClosedAt = &t
		}
		f.Values = map[string]any{}
		_ = json.Unmarshal([]byte(vals), &f.Values)
		if rules != nil {
			if r := rules.byID[f.RuleID]; r != nil {
				f.Title, f.Article, f.Quote, f.Require = r.Title, r.Cite.Article, r.Cite.Quote, r.Require
			}
		}
		if f.Title == "" {
			f.Title = f.RuleID // a rule no longer in the pack
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *Service) events(ctx context.Context, orgID, findingID int64) ([]FindingEvent, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT action, values_json, COALESCE(exception_id, 0), at FROM compliance_finding_events
		WHERE finding_id = $1 AND org_id = $2 ORDER BY id`, findingID, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "finding events")
	}
	defer rows.Close()
	var out []FindingEvent
	for rows.Next() {
		var e FindingEvent
		if err := rows.Scan(&e.Action, &e.Values, &e.ExceptionID, &e.At); err != nil {
			return nil, apperr.Wrap(err, "finding events")
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
