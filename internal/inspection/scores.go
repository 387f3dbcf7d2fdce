package inspection

import (
	"context"
	"fmt"
)

// Scores rates each department by its self-inspection answers for risk-based audit sampling:
// the share, in per cent, of its submitted items answered 未実施 (counted whole) or 一部
// (counted half), 該当なし left out. It reads the campaigns of the fiscal year, or of the year
// before when the year has none yet (an audit plan is usually made before the year's
// self-inspection). Departments without a submitted sheet are absent. It is a program-level
// read for the audit service's suggestion, which only the chief auditor and the CISO see.
func (s *Service) Scores(ctx context.Context, orgID int64, year int) (map[int64]float64, error) {
	for _, y := range []int{year, year - 1} {
		rows, err := s.DB.SQL.QueryContext(ctx, `
			SELECT sh.department_id,
			       SUM(CASE WHEN a.answer = $3 THEN 2 WHEN a.answer = $4 THEN 1 ELSE 0 END),
			       SUM(CASE WHEN a.answer = $5 THEN 0 ELSE 2 END)
			FROM inspection_campaigns c
			JOIN inspection_sheets sh ON sh.campaign_id = c.id AND sh.state = $6 AND sh.department_id IS NOT NULL
			JOIN inspection_answers a ON a.sheet_id = sh.id
			WHERE c.org_id = $1 AND c.fiscal_year = $2
			GROUP BY sh.department_id`, orgID, y, NotDone, Partial, NotApplicable, SheetSubmitted)
		if err != nil {
			return nil, fmt.Errorf("inspection scores: %w", err)
		}
		out := map[int64]float64{}
		for rows.Next() {
			var dept, short, all int64
			if err := rows.Scan(&dept, &short, &all); err != nil {
				rows.Close()
				return nil, err
			}
			if all > 0 {
				out[dept] = 100 * float64(short) / float64(all)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return map[int64]float64{}, nil
}
