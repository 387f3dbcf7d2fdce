package risk

import (
	"context"
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// Filter narrows the register.
type Filter struct {
	State   string // one of States; every state but retired when ""
	Threat  string
	Retired bool // with State "": include the retired risks
}

// Register is the register as one actor may see it, with the pack's scales to show it by.
type Register struct {
	Risks   []Risk          `json:"risks"`
	Scales  policy.Risk     `json:"scales"`
	Threats []policy.Threat `json:"threats"`
}

// List returns the risks the actor may read (Reads), each as they may see it.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) (Register, error) {
	if f.State != "" && !slices.Contains(States, f.State) {
		return Register{}, apperr.InvalidField("state", "risk.error.state")
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Register{}, err
	}
	var owners []int64
	if !readsAll(who) {
		owners = ownDepartments(who)
		if owners == nil {
			owners = []int64{}
		}
	}
	list, err := query(ctx, s.DB.SQL, who.OrgID, owners, f)
	if err != nil {
		return Register{}, err
	}
	sight := asset.SightOf(who, p)
	now := s.now()
	for i := range list {
		complete(p, &list[i], now)
		list[i] = screen(sight, list[i])
	}
	return Register{Risks: list, Scales: p.Risk, Threats: p.Threats}, nil
}

// Get returns one risk the actor may read, with the acts they may do on it.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Risk, Actions, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Risk{}, Actions{}, err
	}
	r, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Risk{}, Actions{}, err
	}
	if !Reads(who, r) {
		return Risk{}, Actions{}, apperr.New(apperr.NotFound, "risk.error.not_found")
	}
	complete(p, &r, s.now())
	return screen(asset.SightOf(who, p), r), ActionsFor(who, p, r), nil
}
