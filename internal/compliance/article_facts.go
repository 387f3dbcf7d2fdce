package compliance

import (
	"context"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/article"
	"mamori/internal/asset"
)

// ArticleFacts are, for the policy review, the findings open at some time in the period and
// the exceptions in force in it that the actor may see, each under the article of its rule: a
// finding whose asset's details are withheld from the actor (screen.go), and an exception that
// covers such an asset (withhold), say nothing of their rule and are left out. It makes the
// service an article.Source.
func (s *Service) ArticleFacts(ctx context.Context, who access.Actor, since, until time.Time) ([]article.Fact, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return nil, err
	}
	sight := asset.SightOf(who, p)
	cond, args := where(who, Filter{State: "all"}, sight)
	args = append(args, until, since)
	n := len(args)
	cond += " AND f.first_seen < $" + strconv.Itoa(n-1) + " AND (f.closed_at IS NULL OR f.closed_at >= $" + strconv.Itoa(n) + ")"
	list, err := s.query(ctx, p, `SELECT `+findingColumns+findingFrom+`WHERE `+cond+` ORDER BY f.id`, args...)
	if err != nil {
		return nil, err
	}
	shown, err := s.screen(ctx, who, sight, list)
	if err != nil {
		return nil, err
	}
	var out []article.Fact
	for _, f := range shown {
		if f.Restricted || f.Article == "" {
			continue
		}
		state := "compliance.state.open"
		switch {
		case f.ClosedAt != nil:
			state = "compliance.state.closed"
		case f.SuppressedBy != 0:
			state = "compliance.state.suppressed"
		}
		out = append(out, article.Fact{Article: f.Article, Kind: "finding", Title: f.Title + "（" + f.AssetNumber + "）", State: state,
			Link: "/assets/" + strconv.FormatInt(f.AssetID, 10), At: f.FirstSeen})
	}
	exceptions, err := s.Exceptions(ctx, who, "")
	if err != nil {
		return nil, err
	}
	rules := rulesOf(p)
	for _, e := range exceptions {
		if e.Withheld || !e.ApprovedAt.Before(until) || (e.EndedAt != nil && e.EndedAt.Before(since)) {
			continue
		}
		seen := map[string]bool{}
		for _, id := range e.Rules {
			r := rules.byID[id]
			if r == nil || r.Cite.Article == "" || seen[r.Cite.Article] {
				continue
			}
			seen[r.Cite.Article] = true
			title := r.Title
			if e.Provision != "" {
				title = e.Provision
			}
			out = append(out, article.Fact{Article: r.Cite.Article, Kind: "exception", Title: title,
				State: "compliance.exception_state." + e.State, Link: "/requests/" + strconv.FormatInt(e.RequestID, 10), At: e.ApprovedAt})
		}
	}
	return out, nil
}
