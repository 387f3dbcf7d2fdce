package risk

import (
	"context"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/article"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

var _ article.Source = (*Service)(nil)

// ArticleFacts gives, for each risk the actor may read that was in the register in the period
// (generated before its end, and not retired), the articles it rests on: its threat's, and
// those of the rules counted as its existing controls and of those failing on its group.
func (s *Service) ArticleFacts(ctx context.Context, who access.Actor, from, to time.Time) ([]article.Fact, error) {
	reg, err := s.List(ctx, who, Filter{})
	if err != nil {
		return nil, err
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	cites := map[string]string{}
	for _, r := range p.Rules {
		cites[r.ID] = r.Cite.Article
	}
	var out []article.Fact
	for _, r := range reg.Risks {
		at := r.GeneratedAt
		if r.AssessedAt != nil {
			at = *r.AssessedAt
		}
		if !r.GeneratedAt.Before(to) {
			continue
		}
		title := Title(p, r)
		link := "/risks/" + strconv.FormatInt(r.ID, 10)
		state := "risk.state." + r.State
		seen := map[string]bool{}
		add := func(a string) {
			if a != "" && !seen[a] {
				seen[a] = true
				out = append(out, article.Fact{Article: a, Kind: "risk", Title: title, State: state, Link: link, At: at})
			}
		}
		add(r.ThreatArticle)
		for _, id := range append(append([]string{}, r.Controls...), r.Failing...) {
			add(cites[id])
		}
	}
	return out, nil
}

// Title names a risk in words: the threat, the kind of asset and the impact its group proposes.
func Title(p *policy.Compiled, r Risk) string {
	return r.ThreatName + "（" + i18n.T(i18n.Ja, "asset.kind."+r.AssetKind) + "・影響度" + policy.ScaleName(p.Risk.Impact, r.GroupImpact) + "）"
}
