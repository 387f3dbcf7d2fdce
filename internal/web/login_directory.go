package web

import (
	"net/http"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/oidc"
)

// signInExternal starts the session of a person the identity provider vouched for, as the
// organisation's directory settings map them (directory.Service.SignIn). A refusal there —
// no department mapped, the account or staff record disabled, directory sign-in off — is told
// as such: the provider has already proved who the person is, so saying that Mamori refused
// them gives nothing away, and the directory has recorded why.
func (w *Server) signInExternal(r *http.Request, res oidc.Result) (auth.LoginResult, error) {
	lr, err := w.s.Directory.SignIn(r.Context(), res.OrgID, res.Identity, clientOf(r))
	if e := apperr.As(err); err != nil && e.Code == apperr.Unauthenticated {
		return lr, &apperr.Error{Code: apperr.Unauthenticated, Key: "oidc.error.refused", Err: err}
	}
	return lr, err
}
