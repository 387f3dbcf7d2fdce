package api

import (
	"net/http"

	"mamori/internal/access"
)

// meResponse is the token holder as the services see them.
type meResponse struct {
	UserID        int64   `json:"user_id"`
	OrgID         int64   `json:"org_id"`
	StaffID       int64   `json:"staff_id,omitempty"`
	DepartmentID  int64   `json:"department_id,omitempty"`
	Login         string  `json:"login"`
	Name          string  `json:"name"`
	Lang          string  `json:"lang"`
	PlatformAdmin bool    `json:"platform_admin"`
	Roles         []grant `json:"roles"`
	// ServiceAccount: the token belongs to an integration's login, not a person's.
	ServiceAccount bool `json:"service_account"`
	// ReadOnly: the token has the read scope and may change nothing.
	ReadOnly bool `json:"read_only"`
}

// grant is one role the actor holds today, as holder or as acting holder (代行).
type grant struct {
	RoleID       string `json:"role_id"`
	Scope        string `json:"scope"`
	DepartmentID int64  `json:"department_id,omitempty"`
	SystemRef    string `json:"system_ref,omitempty"`
	Acting       bool   `json:"acting"`
}

func (a *api) me(w http.ResponseWriter, r *http.Request) error {
	who := actor(r)
	return ok(w, meOf(who))
}

// myDesk is the token holder's desk: what waits for them, and the organisation's state for
// those who watch it (desk.Desk).
func (a *api) myDesk(w http.ResponseWriter, r *http.Request) error {
	d, err := a.s.Desks.For(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return ok(w, d)
}

func meOf(who access.Actor) meResponse {
	m := meResponse{UserID: who.UserID, OrgID: who.OrgID, StaffID: who.StaffID, DepartmentID: who.DepartmentID,
		Login: who.Login, Name: who.Name, Lang: who.Lang, PlatformAdmin: who.PlatformAdmin, Roles: []grant{},
		ServiceAccount: who.ServiceAccount, ReadOnly: who.ReadOnly}
	for _, g := range who.Roles {
		m.Roles = append(m.Roles, grant{RoleID: g.RoleID, Scope: g.Scope, DepartmentID: g.DepartmentID,
			SystemRef: g.SystemRef, Acting: g.Acting})
	}
	return m
}
