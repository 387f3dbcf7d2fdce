package sysaccount

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// Actions are what the actor may do to an account now, asked of the same permission functions
// the acts call.
type Actions struct {
	Change   bool `json:"change"`
	Remove   bool `json:"remove"`
	Password bool `json:"password"`
}

// ActionsFor returns what the actor may do to the account.
func (s *Service) ActionsFor(ctx context.Context, who access.Actor, a Account) Actions {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || a.State == StateRemoved {
		return Actions{}
	}
	change := mayChange(who, p, a.SystemRef) == nil
	return Actions{Change: change, Remove: change,
		Password: (a.Kind == KindPrivileged || a.Kind == KindShared) && mayRecordPassword(who, p, a) == nil}
}

// Changeable returns the systems of the register whose accounts the actor may record, change,
// remove and import.
func (s *Service) Changeable(ctx context.Context, who access.Actor) ([]System, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	all, err := systems(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return nil, err
	}
	out := []System{}
	for _, sys := range all {
		if mayChange(who, p, sys.Ref) == nil {
			out = append(out, sys)
		}
	}
	return out, nil
}

// Rules returns the pack's account rules, for naming findings with their titles and articles.
func (s *Service) Rules(ctx context.Context, orgID int64) ([]policy.AccountRule, error) {
	p, err := s.Policy.Optional(ctx, orgID)
	if err != nil || p == nil {
		return nil, err
	}
	return p.Accounts.Rules, nil
}

// Flagged returns, for the desk of a system's keeper (its 情報システム管理者, the ネットワーク
// 管理者), the first n accounts in use with a finding among the systems they keep, and how many
// there are in all.
func (s *Service) Flagged(ctx context.Context, who access.Actor, n int) ([]Account, int, error) {
	systems, err := s.Changeable(ctx, who)
	if err != nil || len(systems) == 0 || who.IsSystem() {
		return []Account{}, 0, err
	}
	out, total := []Account{}, 0
	for _, sys := range systems {
		pg, err := s.List(ctx, who, Filter{SystemRef: sys.Ref, Flag: "any", Limit: n})
		if err != nil {
			return nil, 0, err
		}
		total += pg.Total
		for _, a := range pg.Accounts {
			if len(out) < n {
				out = append(out, a)
			}
		}
	}
	return out, total, nil
}
