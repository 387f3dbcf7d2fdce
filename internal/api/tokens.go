package api

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/auth"
)

// tokenRequest issues an API token.
type tokenRequest struct {
	Name          string `json:"name"`
	Scope         string `json:"scope"`
	ExpiresInDays int    `json:"expires_in_days"`
}

func (in tokenRequest) token() auth.NewToken {
	return auth.NewToken{Name: in.Name, Scope: in.Scope, ExpiresInDays: in.ExpiresInDays}
}

// createdToken carries the secret, shown this once; only its hash is kept.
type createdToken struct {
	Token  auth.APIToken `json:"token"`
	Secret string        `json:"secret"`
}

func (a *api) myTokens(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	who := actor(r)
	tokens, err := a.s.Auth.Tokens(r.Context(), who, who.UserID)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(tokens, p), len(tokens))
}

func (a *api) createMyToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	t, secret, err := a.s.Auth.CreateToken(r.Context(), actor(r), in.token())
	if err != nil {
		return err
	}
	return created(w, "", createdToken{Token: t, Secret: secret})
}

func (a *api) revokeMyToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who := actor(r)
	if err := a.s.Auth.RevokeToken(r.Context(), who, who.UserID, id); err != nil {
		return err
	}
	return noContent(w)
}

func (a *api) userTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	tokens, err := a.s.Auth.Tokens(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(tokens, p), len(tokens))
}

// createServiceToken issues a token to a service account; a person's tokens are their own to
// issue.
func (a *api) createServiceToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in tokenRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	t, secret, err := a.s.Auth.CreateServiceToken(r.Context(), actor(r), id, in.token())
	if err != nil {
		return err
	}
	return created(w, "", createdToken{Token: t, Secret: secret})
}

func (a *api) revokeUserToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	tokenID, err := strconv.ParseInt(r.PathValue("token"), 10, 64)
	if err != nil || tokenID < 1 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	if err := a.s.Auth.RevokeToken(r.Context(), actor(r), id, tokenID); err != nil {
		return err
	}
	return noContent(w)
}
