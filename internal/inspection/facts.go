package inspection

import (
	"context"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/article"
)

var _ article.Source = (*Service)(nil)

// ArticleFacts returns one fact per item answered between from and to on a sheet the actor
// reads: the article it cites, its answer as a catalog key, and the sheet's page.
func (s *Service) ArticleFacts(ctx context.Context, who access.Actor, from, to time.Time) ([]article.Fact, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return []article.Fact{}, err
	}
	conds := []string{"a.org_id = $1", "a.answered_at >= $2", "a.answered_at < $3"}
	args := []any{who.OrgID, from.UTC(), to.UTC()}
	if !seesAll(p, who) {
		cond, more := mine(p, who, len(args))
		if cond == "" {
			return []article.Fact{}, nil
		}
		args = append(args, more...)
		conds = append(conds, cond)
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT i.article, i.question, a.answer, s.campaign_id, s.id, COALESCE(d.name, ''), s.role_id, a.answered_at
		FROM inspection_answers a JOIN inspection_sheets s ON s.id = a.sheet_id JOIN inspection_items i ON i.id = a.item_id
		LEFT JOIN departments d ON d.id = s.department_id
		WHERE `+strings.Join(conds, " AND ")+` ORDER BY i.article, a.answered_at, a.id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "article facts")
	}
	defer rows.Close()
	out := []article.Fact{}
	for rows.Next() {
		var f article.Fact
		var question, answer, dept, role string
		var campaign, sheet int64
		if err := rows.Scan(&f.Article, &question, &answer, &campaign, &sheet, &dept, &role, &f.At); err != nil {
			return nil, apperr.Wrap(err, "article facts")
		}
		name := dept
		if name == "" {
			if r, ok := p.Role(role); ok {
				name = r.Name
			}
		}
		f.Kind = "inspection"
		f.Title = question + "（" + name + "）"
		f.State = "inspection.answer." + answer
		f.Link = "/self-inspections/" + strconv.FormatInt(campaign, 10) + "/sheets/" + strconv.FormatInt(sheet, 10)
		f.At = f.At.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}
