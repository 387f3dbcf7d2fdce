package review

import (
	"context"
	"sort"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/article"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// readable loads a review the actor may read; NotFound for anyone else.
func (s *Service) readable(ctx context.Context, q store.Querier, p *policy.Compiled, who access.Actor, id int64) (Review, error) {
	if !mayRead(p, who) {
		return Review{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return load(ctx, q, who.OrgID, id)
}

// AuditReadable is the audit log's rule for the review entries: those who read reviews.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	if !s.MayRead(ctx, who) {
		return out, nil
	}
	for i := range out {
		out[i] = true
	}
	return out, nil
}

// MayRead reports whether the actor may read the organisation's reviews (the nav link, the desk).
func (s *Service) MayRead(ctx context.Context, who access.Actor) bool {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	return err == nil && p != nil && mayRead(p, who)
}

// List returns the organisation's reviews, newest year first; none for an actor who may not read them.
func (s *Service) List(ctx context.Context, who access.Actor) ([]Review, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	out := []Review{}
	if p == nil || !mayRead(p, who) {
		return out, nil
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+reviewColumns+` FROM reviews WHERE org_id = $1 ORDER BY fiscal_year DESC`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "reviews")
	}
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "reviews")
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "reviews")
	}
	for i := range out {
		if out[i].Proposals, err = proposals(ctx, s.DB.SQL, who.OrgID, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Get returns one review with its proposals and what the actor may do with it.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Review, Actions, error) {
	p, b, err := s.Policy.Active(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Review{}, Actions{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return Review{}, Actions{}, err
	}
	r, err := s.readable(ctx, s.DB.SQL, p, who, id)
	if err != nil {
		return Review{}, Actions{}, err
	}
	return r, actionsFor(p, who, r, b.Digest), nil
}

// packOf is the pack version a review was made over; the active pack when that version is no
// longer known.
func (s *Service) packOf(ctx context.Context, orgID int64, r Review) (*policy.Compiled, error) {
	p, err := s.Policy.Version(ctx, orgID, r.PackID, r.PackDigest)
	if apperr.CodeOf(err) == apperr.NotFound {
		return s.Policy.Required(ctx, orgID)
	}
	return p, err
}

// Article is one article of a review: what the pack does with it, the facts gathered about it
// with their counts by kind, and the proposal for it.
type Article struct {
	Article  string           `json:"article"`
	Elements []policy.Element `json:"elements"`
	Facts    []article.Fact   `json:"facts"`
	Counts   map[string]int   `json:"counts"`
	Proposal *Proposal        `json:"proposal,omitempty"`
}

// Gathered is a review with every article of its pack and what the records say of each.
type Gathered struct {
	Review   Review         `json:"review"`
	Actions  Actions        `json:"actions"`
	Deciders []string       `json:"deciders"` // the names of the deciding roles
	Articles []Article      `json:"articles"`
	Counts   map[string]int `json:"counts"` // the facts by kind, over every article
	Facts    int            `json:"facts"`
}

// Gather reads the review and asks every source for the facts of the review's period that the
// actor may read, grouped by article in the pack's article order; articles of added proposals
// and facts citing an article the pack no longer names follow.
func (s *Service) Gather(ctx context.Context, who access.Actor, id int64) (Gathered, error) {
	r, acts, err := s.Get(ctx, who, id)
	if err != nil {
		return Gathered{}, err
	}
	p, err := s.packOf(ctx, who.OrgID, r)
	if err != nil {
		return Gathered{}, err
	}
	g := Gathered{Review: r, Actions: acts, Counts: map[string]int{}}
	for _, id := range p.ReviewDeciders() {
		g.Deciders = append(g.Deciders, p.RoleName(id))
	}
	at := map[string]int{}
	for _, c := range p.Coverage().Articles() {
		at[c.Article] = len(g.Articles)
		g.Articles = append(g.Articles, Article{Article: c.Article, Elements: c.Elements, Facts: []article.Fact{}, Counts: map[string]int{}})
	}
	place := func(art string) int {
		i, ok := at[art]
		if !ok {
			i = len(g.Articles)
			at[art] = i
			g.Articles = append(g.Articles, Article{Article: art, Elements: []policy.Element{}, Facts: []article.Fact{}, Counts: map[string]int{}})
		}
		return i
	}
	for _, src := range s.Sources {
		facts, err := src.ArticleFacts(ctx, who, r.From, r.To)
		if err != nil {
			return Gathered{}, err
		}
		for _, f := range facts {
			if f.Article == "" {
				continue
			}
			for _, art := range factArticles(p, f.Article) {
				i := place(art)
				g.Articles[i].Facts = append(g.Articles[i].Facts, f)
				g.Articles[i].Counts[f.Kind]++
			}
			g.Counts[f.Kind]++
			g.Facts++
		}
	}
	for j := range r.Proposals {
		i := place(r.Proposals[j].Article)
		g.Articles[i].Proposal = &r.Proposals[j]
	}
	for i := range g.Articles {
		sort.SliceStable(g.Articles[i].Facts, func(a, b int) bool {
			fa, fb := g.Articles[i].Facts[a], g.Articles[i].Facts[b]
			if fa.Kind != fb.Kind {
				return fa.Kind < fb.Kind
			}
			return fa.At.After(fb.At)
		})
	}
	return g, nil
}

// Article returns one article of a gathered review.
func (g Gathered) Article(art string) (Article, bool) {
	for _, a := range g.Articles {
		if a.Article == art {
			return a, true
		}
	}
	return Article{}, false
}

// factArticles are the articles of the review a fact's cited article falls on: the indexed
// articles it acts on (a citation of 第2章 5(1)①ウ falls on 第2章 5(1)), and the cited article
// itself where the index holds none of it.
func factArticles(p *policy.Compiled, cited string) []string {
	numbers, unmatched := p.ArticlesOf(cited)
	if len(unmatched) > 0 || len(numbers) == 0 {
		numbers = append(numbers, cited)
	}
	return numbers
}
