package risk

import (
	"context"
	"slices"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// Due are the risks that wait for the actor, highest risk level first, at most limit of them,
// and how many there are:
//   - for the role that accepts residual risks (the CISO): assessed risks whose treatment is to
//     accept, not yet accepted;
//   - for the 情報政策課 (organisation-wide security roles): acceptances past their last day, to
//     be assessed again;
//   - for the owning department: its own risks whose acceptance has run out.
func (s *Service) Due(ctx context.Context, who access.Actor, limit int) ([]Risk, int, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil || !p.Risk.Defined() || !CanList(who) {
		return nil, 0, err
	}
	reg, err := s.List(ctx, who, Filter{})
	if err != nil {
		return nil, 0, err
	}
	accepts := who.HasRole(p.Risk.AcceptedBy) && !who.ReadOnly
	var out []Risk
	for _, r := range reg.Risks {
		switch {
		case accepts && r.State == StateAssessed && r.Treatment == policy.TreatAccept:
		case r.Expired && (orgSecurity(who) || slices.Contains(ownDepartments(who), r.OwnerDepartmentID)):
		default:
			continue
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(x, y Risk) int {
		return policy.Rank(p.Risk.Levels, y.Level) - policy.Rank(p.Risk.Levels, x.Level)
	})
	return out[:min(limit, len(out))], len(out), nil
}
