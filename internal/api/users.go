package api

import (
	"net/http"
	"strconv"

	"mamori/internal/auth"
)

type newUserRequest struct {
	Login         string `json:"login"`
	DisplayName   string `json:"display_name"`
	StaffID       int64  `json:"staff_id"`
	PlatformAdmin bool   `json:"platform_admin"`
	Lang          string `json:"lang"`
}

// createdUser carries the temporary password, shown this once and never again.
type createdUser struct {
	User              auth.User `json:"user"`
	TemporaryPassword string    `json:"temporary_password"`
}

type temporaryPassword struct {
	TemporaryPassword string `json:"temporary_password"`
}

func (a *api) listUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	users, err := a.s.Auth.ListUsers(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(users, p), len(users))
}

func (a *api) createUser(w http.ResponseWriter, r *http.Request) error {
	var in newUserRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	u, password, err := a.s.Auth.CreateUser(r.Context(), actor(r), auth.NewUser{Login: in.Login, DisplayName: in.DisplayName,
		StaffID: in.StaffID, PlatformAdmin: in.PlatformAdmin, Lang: in.Lang})
	if err != nil {
		return err
	}
	return created(w, "/api/v1/users/"+strconv.FormatInt(u.ID, 10), createdUser{User: u, TemporaryPassword: password})
}

// newServiceAccountRequest creates an integration's login: no password, the roles given here.
type newServiceAccountRequest struct {
	Login         string             `json:"login"`
	DisplayName   string             `json:"display_name"`
	PlatformAdmin bool               `json:"platform_admin"`
	Roles         []auth.ServiceRole `json:"roles"`
}

func (a *api) createServiceAccount(w http.ResponseWriter, r *http.Request) error {
	var in newServiceAccountRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.s.Auth.CreateServiceAccount(r.Context(), actor(r), auth.NewServiceAccount{Login: in.Login, DisplayName: in.DisplayName,
		PlatformAdmin: in.PlatformAdmin, Roles: in.Roles})
	if err != nil {
		return err
	}
	return created(w, "/api/v1/users/"+strconv.FormatInt(u.ID, 10), u)
}

func (a *api) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := a.s.Auth.User(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, u)
}

func (a *api) unlockUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.s.Auth.Unlock(r.Context(), actor(r), id); err != nil {
		return err
	}
	return noContent(w)
}

func (a *api) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	password, err := a.s.Auth.ResetPassword(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, temporaryPassword{password})
}

func (a *api) disableUser(w http.ResponseWriter, r *http.Request) error {
	return a.setDisabled(w, r, true)
}

func (a *api) enableUser(w http.ResponseWriter, r *http.Request) error {
	return a.setDisabled(w, r, false)
}

func (a *api) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.s.Auth.SetDisabled(r.Context(), actor(r), id, disabled); err != nil {
		return err
	}
	return noContent(w)
}
