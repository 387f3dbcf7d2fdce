package web

import (
	"net/http"
	"net/url"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/textcheck"
)

func (w *Server) loginForm(rw http.ResponseWriter, r *http.Request) error {
	if stateOf(r).signed {
		http.Redirect(rw, r, "/", http.StatusSeeOther)
		return nil
	}
	p := w.newPage(r, "login.title", "")
	p.Data = w.loginData(safeNext(r.URL.Query().Get("next")))
	w.render(rw, r, http.StatusOK, "login", p)
	return nil
}

func (w *Server) login(rw http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.PostForm.Get("next"))
	// Local accounts sign in with their Mamori password; others, when the organisation signs in
	// from its directory, with the directory's.
	res, err := w.s.Directory.Login(r.Context(), r.PostForm.Get("login"), r.PostForm.Get("password"), clientOf(r))
	if err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Unauthenticated && e.Code != apperr.Locked && e.Code != apperr.TooMany {
			return err
		}
		p := w.newPage(r, "login.title", "")
		p.Form = url.Values{"login": {textcheck.Escape(r.PostForm.Get("login"))}} // shown as the audit log records it
		data := w.loginData(next)
		p.Data = data
		switch e.Code {
		case apperr.TooMany:
			// The address is refused, whatever was typed: no field is wrong.
			data["Refused"] = p.T(e.Key, e.Args...)
		case apperr.Locked:
			data["Locked"] = p.T(e.Key, e.Args...)
		default:
			// Not an input error of a field: the same words for a wrong password and for an
			// unknown, locked or disabled account (auth.Login), in a notice of their own.
			data["Failed"] = p.T(e.Key, e.Args...)
		}
		w.render(rw, r, apperr.HTTPStatus(e.Code), "login", p)
		return nil
	}
	w.setCookie(rw, r, SessionCookie, res.Token, 0)
	switch {
	case res.Stage == auth.StageMFA:
		return w.redirect(rw, r, "/login/mfa?next="+url.QueryEscape(next), "")
	case res.User.MustChangePassword:
		return w.redirect(rw, r, "/account/password", "")
	}
	return w.redirect(rw, r, next, "")
}

func (w *Server) mfaForm(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	if !st.signed {
		toLogin(rw, r)
		return nil
	}
	if st.session.Stage == auth.StageFull {
		http.Redirect(rw, r, "/", http.StatusSeeOther)
		return nil
	}
	p := w.newPage(r, "mfa.verify.title", "")
	p.Who = nil // not signed in yet: no navigation
	p.Data = map[string]string{"Next": safeNext(r.URL.Query().Get("next"))}
	w.render(rw, r, http.StatusOK, "mfa_verify", p)
	return nil
}

func (w *Server) mfaVerify(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	if !st.signed {
		toLogin(rw, r)
		return nil
	}
	next := safeNext(r.PostForm.Get("next"))
	err := w.s.Auth.VerifyMFA(r.Context(), st.token, r.PostForm.Get("code"), clientOf(r))
	switch apperr.CodeOf(err) {
	case "":
		if st.session.MustChangePassword {
			next = "/account/password"
		}
		return w.redirect(rw, r, next, "")
	case apperr.Invalid:
		p := w.newPage(r, "mfa.verify.title", "").withErrors(err)
		p.Who = nil
		p.Data = map[string]string{"Next": next}
		w.render(rw, r, http.StatusUnprocessableEntity, "mfa_verify", p)
		return nil
	case apperr.Locked:
		return w.lockedOut(rw, r)
	}
	return err
}

// lockedOut ends the session of a user whose account has just locked — someone who had proved
// the password, so telling them is no clue to anyone else — and says so on the sign-in page, in
// a notice of its own rather than as an input error.
func (w *Server) lockedOut(rw http.ResponseWriter, r *http.Request) error {
	w.clearCookie(rw, r, SessionCookie)
	p := w.newPage(r, "login.title", "")
	p.Who = nil
	data := w.loginData("/")
	data["Locked"] = p.T("error.locked")
	p.Data = data
	w.render(rw, r, http.StatusLocked, "login", p)
	return nil
}

func (w *Server) logout(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	if err := w.s.Auth.Logout(r.Context(), st.who); err != nil {
		return err
	}
	w.clearCookie(rw, r, SessionCookie)
	return w.redirect(rw, r, "/login", "auth.logged_out")
}

// switchLang sets the language of the pages seen before signing in.
func (w *Server) switchLang(rw http.ResponseWriter, r *http.Request) error {
	lang := i18n.ParseLang(r.PathValue("lang"))
	w.setCookie(rw, r, langCookie, string(lang), 365*24*time.Hour)
	http.Redirect(rw, r, "/login", http.StatusSeeOther)
	return nil
}
