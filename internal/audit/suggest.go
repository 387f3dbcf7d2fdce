package audit

import (
	"cmp"
	"context"
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Risk-based sampling: which departments to audit first in a fiscal year. The score of each
// department comes from Service.Scores where the application sets it (the self-inspection
// results), otherwise from OpenFindingScores. It is shown as a suggestion; the chief auditor
// decides.

// Suggestion is one department's place in the suggested order.
type Suggestion struct {
	DepartmentID   int64   `json:"department_id"`
	DepartmentName string  `json:"department_name"`
	Score          float64 `json:"score"`
	// LastAudited is the last fiscal year an audit covered the department, 0 for never.
	LastAudited int `json:"last_audited"`
}

// Suggest returns the organisation's active departments, the highest score first, and those
// audited longest ago (never first) among equals. For the chief auditor and the CISO.
func (s *Service) Suggest(ctx context.Context, who access.Actor, year int) ([]Suggestion, error) {
	if !watches(who) {
		return nil, apperr.New(apperr.Forbidden, "audits.error.not_chief")
	}
	scores := s.Scores
	if scores == nil {
		scores = s.OpenFindingScores
	}
	sc, err := scores(ctx, who.OrgID, year)
	if err != nil {
		return nil, err
	}
	names, err := s.departmentNames(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	last := map[int64]int{}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT ad.department_id, max(a.fiscal_year) FROM audit_departments ad JOIN audits a ON a.id = ad.audit_id
		WHERE ad.org_id = $1 AND a.fiscal_year < $2 GROUP BY ad.department_id`, who.OrgID, year)
	if err != nil {
		return nil, apperr.Wrap(err, "audited departments")
	}
	for rows.Next() {
		var d int64
		var y int
		if err := rows.Scan(&d, &y); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "audited departments")
		}
		last[d] = y
	}
	rows.Close()
	out := make([]Suggestion, 0, len(names))
	for id, n := range names {
		out = append(out, Suggestion{DepartmentID: id, DepartmentName: n, Score: sc[id], LastAudited: last[id]})
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.LastAudited, b.LastAudited), cmp.Compare(a.DepartmentName, b.DepartmentName))
	})
	return out, nil
}

// OpenFindingScores scores each department by its open compliance findings (not covered by an
// exception), weighted by severity (low 1 … critical 4), and its open audit findings (a major
// non-conformity 4, a minor 2, an observation 1).
func (s *Service) OpenFindingScores(ctx context.Context, orgID int64, _ int) (map[int64]float64, error) {
	out := map[int64]float64{}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT department_id, severity_rank, open FROM compliance_open_counts WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "open findings")
	}
	for rows.Next() {
		var d, n int64
		var r int
		if err := rows.Scan(&d, &r, &n); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "open findings")
		}
		out[d] += float64(r) * float64(n)
	}
	rows.Close()
	rows, err = s.DB.SQL.QueryContext(ctx, `SELECT COALESCE(department_id, 0), grade, count(*) FROM audit_findings WHERE org_id = $1 AND state = $2
		GROUP BY department_id, grade`, orgID, FindingOpen)
	if err != nil {
		return nil, apperr.Wrap(err, "open audit findings")
	}
	defer rows.Close()
	weight := map[string]float64{"major": 4, "minor": 2, "observation": 1}
	for rows.Next() {
		var d, n int64
		var g string
		if err := rows.Scan(&d, &g, &n); err != nil {
			return nil, apperr.Wrap(err, "open audit findings")
		}
		out[d] += weight[g] * float64(n)
	}
	return out, rows.Err()
}
