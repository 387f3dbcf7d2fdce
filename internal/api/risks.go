package api

import (
	"net/http"

	"mamori/internal/risk"
)

// Risks (リスク分析): the register of asset groups × the pack's threats, the generation of the
// candidates by the 情報政策課, their assessment and the CISO's acceptance of a residual risk.
// The risk service decides who reads what: organisation-wide security roles and auditors every
// risk, a department the risks it owns; of a group holding assets of the highest class a reader
// who may not see every such asset is told nothing of its assets (restricted).

// riskRegister is the register with the pack's scales and threats it is read by.
type riskRegister = risk.Register

// riskDetail is one risk with the acts the token holder may do on it.
type riskDetail struct {
	Risk    risk.Risk    `json:"risk"`
	Actions risk.Actions `json:"actions"`
}

// generateInput is the body of a generation: an empty object, or none.
type generateInput struct{}

// listRisks lists the register: state (candidate, assessed, accepted, retired) and threat.
func (a *api) listRisks(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	reg, err := a.s.Risks.List(r.Context(), actor(r), risk.Filter{State: q.Get("state"), Threat: q.Get("threat")})
	if err != nil {
		return err
	}
	return ok(w, reg)
}

func (a *api) getRisk(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, acts, err := a.s.Risks.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, riskDetail{Risk: x, Actions: acts})
}

func (a *api) generateRisks(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength != 0 {
		var in generateInput
		if err := a.decode(w, r, &in); err != nil {
			return err
		}
	}
	g, err := a.s.Risks.Generate(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return ok(w, g)
}

func (a *api) assessRisk(w http.ResponseWriter, r *http.Request) error {
	var in risk.Assessment
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	x, err := a.s.Risks.Assess(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return ok(w, x)
}

func (a *api) acceptRisk(w http.ResponseWriter, r *http.Request) error {
	var in risk.Acceptance
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	x, err := a.s.Risks.Accept(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return ok(w, x)
}
