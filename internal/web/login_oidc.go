package web

import (
	"net/http"
	"net/url"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/oidc"
)

// oidcCookie carries the key of a sign-in with the identity provider under way, from
// /login/oidc to the callback only.
const oidcCookie = "mamori_oidc"

// loginData is what every rendering of the login page needs: where to go after signing in,
// and whether the identity provider's button is shown ("ready"), shown disabled with a notice
// ("down"), or absent ("").
func (w *Server) loginData(next string) map[string]string {
	d := map[string]string{"Next": next}
	switch o := w.opts.OIDC; {
	case o == nil:
	case o.Ready():
		d["OIDC"] = "ready"
	default:
		d["OIDC"] = "down"
	}
	return d
}

// oidcStart sends the browser to the identity provider (庁内認証基盤).
func (w *Server) oidcStart(rw http.ResponseWriter, r *http.Request) error {
	o := w.opts.OIDC
	if o == nil {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	next := safeNext(r.URL.Query().Get("next"))
	if stateOf(r).signed && stateOf(r).session.Stage == auth.StageFull {
		return w.redirect(rw, r, next, "")
	}
	st, err := o.Start(r.Context(), w.baseURL(r), next)
	if err != nil {
		return w.oidcRefused(rw, r, err, next)
	}
	http.SetCookie(rw, &http.Cookie{Name: oidcCookie, Value: st.Key, Path: oidc.CallbackPath, HttpOnly: true,
		Secure: w.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: int(oidc.FlowTTL.Seconds())})
	http.Redirect(rw, r, st.URL, http.StatusSeeOther)
	return nil
}

// oidcCallback is where the provider sends the person back: the flow is checked and the token
// verified (oidc.Service.Finish), then the directory maps the person to their account, department
// and roles and starts a session — at the second-factor step when the pack asks for MFA and the
// provider did not say one was used.
func (w *Server) oidcCallback(rw http.ResponseWriter, r *http.Request) error {
	o := w.opts.OIDC
	if o == nil {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	var key string
	if c, err := r.Cookie(oidcCookie); err == nil {
		key = c.Value
	}
	http.SetCookie(rw, &http.Cookie{Name: oidcCookie, Path: oidc.CallbackPath, HttpOnly: true, Secure: w.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	res, err := o.Finish(r.Context(), oidc.Callback{Query: r.URL.Query(), Key: key, Base: w.baseURL(r)}, clientOf(r))
	next := safeNext(res.Next)
	if err != nil {
		return w.oidcRefused(rw, r, err, next)
	}
	lr, err := w.signInExternal(r, res)
	if err != nil {
		return w.oidcRefused(rw, r, err, next)
	}
	w.setCookie(rw, r, SessionCookie, lr.Token, 0)
	if lr.Stage == auth.StageMFA {
		return w.redirect(rw, r, "/login/mfa?next="+url.QueryEscape(next), "")
	}
	return w.redirect(rw, r, next, "")
}

// oidcRefused shows a refused sign-in on the login page, in a notice of its own; anything
// that is not a refusal (the database failing) is an error page like any other.
func (w *Server) oidcRefused(rw http.ResponseWriter, r *http.Request, err error, next string) error {
	e := apperr.As(err)
	switch e.Code {
	case apperr.Unauthenticated, apperr.Forbidden, apperr.Invalid, apperr.NotFound, apperr.Locked, apperr.TooMany:
	default:
		return err
	}
	p := w.newPage(r, "login.title", "")
	p.Who = nil
	data := w.loginData(next)
	data["OIDCFailed"] = p.T(e.Key, e.Args...)
	p.Data = data
	w.render(rw, r, apperr.HTTPStatus(apperr.Unauthenticated), "login", p)
	return nil
}

// baseURL is this site's address as the browser reached it, for the callback when no redirect
// URL is configured.
func (w *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if w.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
