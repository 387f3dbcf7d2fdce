package accessreview

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// System is a system with accounts, as the form that opens a review offers it.
type System struct {
	Ref      string `json:"ref"`
	Name     string `json:"name,omitempty"`
	Accounts int    `json:"accounts"`
}

// Label is the system's name with its reference.
func (s System) Label() string {
	if s.Name == "" {
		return s.Ref
	}
	return s.Name + "（" + s.Ref + "）"
}

// Systems are the systems with accounts not removed that the actor may open a review of.
func (s *Service) Systems(ctx context.Context, who access.Actor) ([]System, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return []System{}, err
	}
	names, err := s.systemNames(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT system_ref, count(*) FROM system_accounts WHERE org_id = $1 AND state <> 'removed'
		GROUP BY system_ref ORDER BY system_ref`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "systems")
	}
	defer rows.Close()
	out := []System{}
	for rows.Next() {
		var x System
		if err := rows.Scan(&x.Ref, &x.Accounts); err != nil {
			return nil, apperr.Wrap(err, "systems")
		}
		if MayOpen(p, who, ScopeSystem, x.Ref) == nil {
			x.Name = names[x.Ref]
			out = append(out, x)
		}
	}
	return out, rows.Err()
}

// CanOpen reports whether the actor may open some review (the pages offer the form).
func (s *Service) CanOpen(ctx context.Context, who access.Actor) bool {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	return err == nil && p != nil && p.AccessReview.Defined() && MayOpenAny(p, who)
}

// CanOpenDepartment reports whether the actor may open a review of a department's accounts.
func (s *Service) CanOpenDepartment(ctx context.Context, who access.Actor) bool {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	return err == nil && p != nil && MayOpen(p, who, ScopeDepartment, "") == nil
}
