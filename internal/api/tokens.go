package api

import (
	"net/http"

	"mamori/internal/auth"
)

// tokenRequest issues an API token; without user_id, for the caller.
type tokenRequest struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// createdToken carries the secret, shown this once; only its hash is kept.
type createdToken struct {
	Token  auth.APIToken `json:"token"`
	Secret string        `json:"secret"`
}

func (a *api) createToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	who := actor(r)
	if in.UserID == 0 {
		in.UserID = who.UserID
	}
	t, secret, err := a.s.Auth.CreateToken(r.Context(), who, in.UserID, in.Name)
	if err != nil {
		return err
	}
	return created(w, "", createdToken{Token: t, Secret: secret})
}

func (a *api) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.s.Auth.RevokeToken(r.Context(), actor(r), id); err != nil {
		return err
	}
	return noContent(w)
}
