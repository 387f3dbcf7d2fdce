package web

import (
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/auth"
)

// tokenInput reads the fields of a form that issues an API token.
func tokenInput(v *apperr.Validation, r *http.Request) auth.NewToken {
	in := auth.NewToken{Name: r.PostForm.Get("name"), Scope: r.PostForm.Get("scope")}
	if s := strings.TrimSpace(r.PostForm.Get("expires_in_days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add("expires_in_days", "auth.error.token_days", auth.MaxTokenDays)
		}
		in.ExpiresInDays = n
	}
	return in
}

// accountTokenCreate issues a token to the signed-in user and shows its secret this once.
func (w *Server) accountTokenCreate(rw http.ResponseWriter, r *http.Request) error {
	var v apperr.Validation
	in := tokenInput(&v, r)
	err := v.Err()
	var t auth.APIToken
	var secret string
	if err == nil {
		t, secret, err = w.s.Auth.CreateToken(r.Context(), stateOf(r).who, in)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderAccount(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.showToken(rw, r, t, secret, "/account", "account")
}

func (w *Server) accountTokenRevoke(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who := stateOf(r).who
	if !w.confirmToken(rw, r, who.UserID, id, "/account") {
		return nil
	}
	if err := w.s.Auth.RevokeToken(r.Context(), who, who.UserID, id); err != nil {
		return err
	}
	return w.redirect(rw, r, "/account", "tokens.revoked")
}

// userTokenCreate issues a token to a service account; a person's account is refused by the
// service.
func (w *Server) userTokenCreate(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var v apperr.Validation
	in := tokenInput(&v, r)
	err = v.Err()
	var t auth.APIToken
	var secret string
	if err == nil {
		t, secret, err = w.s.Auth.CreateServiceToken(r.Context(), stateOf(r).who, id, in)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderUserDetail(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.showToken(rw, r, t, secret, "/users/"+r.PathValue("id"), "users")
}

func (w *Server) userTokenRevoke(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	tokenID, err := strconv.ParseInt(r.PathValue("token"), 10, 64)
	if err != nil || tokenID < 1 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	back := "/users/" + r.PathValue("id")
	if !w.confirmToken(rw, r, id, tokenID, back) {
		return nil
	}
	if err := w.s.Auth.RevokeToken(r.Context(), stateOf(r).who, id, tokenID); err != nil {
		return err
	}
	return w.redirect(rw, r, back, "tokens.revoked")
}

// confirmToken is the 確認 step of revoking a token, which names the token when the reader may
// list the owner's tokens; the revocation itself decides whether it may be revoked.
func (w *Server) confirmToken(rw http.ResponseWriter, r *http.Request, owner, id int64, back string) bool {
	if r.PostForm.Get("confirmed") == "yes" {
		return true
	}
	if tokens, err := w.s.Auth.Tokens(r.Context(), stateOf(r).who, owner); err == nil {
		for _, t := range tokens {
			if t.ID == id {
				return w.confirmedNaming(rw, r, "tokens.revoke.title", "tokens.revoke.confirm_named", t.Name, back)
			}
		}
	}
	return w.confirmed(rw, r, "tokens.revoke.title", "tokens.revoke.confirm", back)
}

// tokenCreatedData is a new token with its secret, shown this once, and the page to go back to.
type tokenCreatedData struct {
	Token  auth.APIToken
	Secret string
	Back   string
}

// showToken shows a new token's secret, this once; only its hash is kept.
func (w *Server) showToken(rw http.ResponseWriter, r *http.Request, t auth.APIToken, secret, back, nav string) error {
	p := w.newPage(r, "tokens.created.title", nav)
	p.Data = tokenCreatedData{Token: t, Secret: secret, Back: back}
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, http.StatusOK, "token_created", p)
	return nil
}
