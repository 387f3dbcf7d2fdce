package audit

import (
	"context"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/article"
)

// ArticleFacts returns, for a policy review, each recorded audit result and each finding
// between from and to with the article it was checked against — those the actor reads.
func (s *Service) ArticleFacts(ctx context.Context, who access.Actor, from, to time.Time) ([]article.Fact, error) {
	audits, err := s.List(ctx, who, 0)
	if err != nil {
		return nil, err
	}
	day := today(s.now())
	out := []article.Fact{}
	for _, a := range audits {
		g := sightOf(who, a, day)
		link := "/audits/" + strconv.FormatInt(a.ID, 10)
		if g.all {
			rows, err := s.DB.SQL.QueryContext(ctx, `SELECT title, article, result, recorded_at FROM audit_items
				WHERE audit_id = $1 AND result <> '' AND recorded_at >= $2 AND recorded_at < $3 ORDER BY id`, a.ID, from, to)
			if err != nil {
				return nil, apperr.Wrap(err, "audit facts")
			}
			for rows.Next() {
				f := article.Fact{Kind: "audit", Link: link}
				var res string
				if err := rows.Scan(&f.Title, &f.Article, &res, &f.At); err != nil {
					rows.Close()
					return nil, apperr.Wrap(err, "audit facts")
				}
				f.State = "audits.result." + res
				out = append(out, f)
			}
			rows.Close()
		}
		fs, err := s.findings(ctx, who.OrgID, "f.audit_id = $2", a.ID)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if !g.dept(f.DepartmentID) || f.CreatedAt.Before(from) || !f.CreatedAt.Before(to) {
				continue
			}
			out = append(out, article.Fact{Article: f.Article, Kind: "finding", Title: f.Title, State: "audits.result." + f.Grade,
				Link: link, At: f.CreatedAt})
		}
	}
	return out, nil
}

var _ article.Source = (*Service)(nil)
