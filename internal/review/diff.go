package review

import (
	"context"
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// MayOpen reports whether the actor may open a review (the list offers the button).
func (s *Service) MayOpen(ctx context.Context, who access.Actor) bool {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	return err == nil && p != nil && mayOpen(p, who) == nil
}

// Change is what a linked proposal changed: the pack reviewed, the version that carries the
// change, and the differences between them (policy.Diff, as `mamori pack diff` shows them).
type Change struct {
	Proposal    Proposal            `json:"proposal"`
	From        string              `json:"from"` // pack id and version
	To          string              `json:"to"`
	Differences []policy.Difference `json:"differences"`
}

// Diff compares the pack a review was made over with the version a linked proposal names.
func (s *Service) Diff(ctx context.Context, who access.Actor, reviewID, proposalID int64) (Change, error) {
	r, _, err := s.Get(ctx, who, reviewID)
	if err != nil {
		return Change{}, err
	}
	i := slices.IndexFunc(r.Proposals, func(x Proposal) bool { return x.ID == proposalID })
	if i < 0 || r.Proposals[i].NewPackDigest == "" {
		return Change{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	pr := r.Proposals[i]
	a, err := s.Policy.Version(ctx, who.OrgID, r.PackID, r.PackDigest)
	if err != nil {
		return Change{}, err
	}
	b, err := s.Policy.Version(ctx, who.OrgID, pr.NewPackID, pr.NewPackDigest)
	if err != nil {
		return Change{}, err
	}
	return Change{Proposal: pr, From: a.ID + " " + a.Version, To: b.ID + " " + b.Version, Differences: policy.Diff(a.Pack, b.Pack)}, nil
}
