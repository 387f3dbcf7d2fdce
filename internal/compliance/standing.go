package compliance

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
)

// Standing is what the pack's rules say of one asset now, for the risk analysis (リスク分析):
// the rules that apply to it (their when holds) and, of those, the ones with an open finding
// not covered by an exception, with its severity.
type Standing struct {
	Asset   asset.Asset
	Applies []string
	Failing map[string]string // rule id → severity
}

// Standings walks the register page by page and gives fn each asset in use with its standing.
// It is the compliance state whole, so only those who see every department's findings may ask
// (SeesAll); the findings are read as they are, the rules' conditions evaluated as a sweep
// evaluates them.
func (s *Service) Standings(ctx context.Context, who access.Actor, fn func(Standing) error) error {
	if !SeesAll(who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return err
	}
	if p == nil {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	rules := rulesOf(p)
	var after int64
	for {
		page, err := s.readPage(ctx, who.OrgID, after)
		if err != nil || len(page) == 0 {
			return err
		}
		lo, hi := page[0].ID, page[len(page)-1].ID
		failing, err := s.openOn(ctx, who.OrgID, lo, hi)
		if err != nil {
			return err
		}
		now := s.now()
		for _, a := range page {
			if a.State == "disposed" {
				continue
			}
			st := Standing{Asset: a.Asset, Failing: failing[a.ID]}
			rec := rules.record(a.Asset, a.code, now)
			for _, r := range rules.rules {
				if r.when != nil {
					if ok, err := r.when.Eval(rec); err != nil || !ok {
						continue
					}
				}
				st.Applies = append(st.Applies, r.ID)
			}
			if err := fn(st); err != nil {
				return err
			}
		}
		after = hi
		if len(page) < pageSize {
			return nil
		}
	}
}

// openOn reads the open findings not covered by an exception of the assets lo…hi.
func (s *Service) openOn(ctx context.Context, orgID, lo, hi int64) (map[int64]map[string]string, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT asset_id, rule_id, severity FROM compliance_findings
		WHERE org_id = $1 AND closed_at IS NULL AND suppressed_by IS NULL AND asset_id BETWEEN $2 AND $3`, orgID, lo, hi)
	if err != nil {
		return nil, apperr.Wrap(err, "standing findings")
	}
	defer rows.Close()
	out := map[int64]map[string]string{}
	for rows.Next() {
		var id int64
		var ruleID, severity string
		if err := rows.Scan(&id, &ruleID, &severity); err != nil {
			return nil, apperr.Wrap(err, "standing findings")
		}
		if out[id] == nil {
			out[id] = map[string]string{}
		}
		out[id][ruleID] = severity
	}
	return out, rows.Err()
}
