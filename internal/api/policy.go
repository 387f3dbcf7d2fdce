package api

import (
	"net/http"

	"mamori/internal/policy"
)

// policyResponse is the organisation's active pack: which version, and its roles with the
// articles that create them. The whole pack is available from `mamori pack show ID --json`.
type policyResponse struct {
	PackID       string        `json:"pack_id"`
	Name         string        `json:"name"`
	Organization string        `json:"organization"`
	Version      string        `json:"version"`
	Digest       string        `json:"digest"`
	Source       string        `json:"source,omitempty"`
	Extends      string        `json:"extends,omitempty"`
	Own          bool          `json:"own"`
	Roles        []policy.Role `json:"roles"`
	Lockout      int           `json:"lockout_after_failures,omitempty"`
}

func (a *api) getPolicy(w http.ResponseWriter, r *http.Request) error {
	p, b, err := a.s.Policy.Active(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	return ok(w, policyResponse{PackID: p.ID, Name: p.Name, Organization: p.Organization, Version: p.Version, Digest: p.Digest,
		Source: p.Source, Extends: p.Extends, Own: b.Own, Roles: p.Roles, Lockout: p.Auth.LockoutAfterFailures})
}
