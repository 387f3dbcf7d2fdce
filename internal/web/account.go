package web

import (
	"net/http"

	"mamori/internal/apperr"
	"mamori/internal/auth"
)

func (w *Server) passwordForm(rw http.ResponseWriter, r *http.Request) error {
	p := w.passwordPage(r)
	d, err := w.passwordData(r)
	if err != nil {
		return err
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "password", p)
	return nil
}

// passwordPage is the page of the password change. A forced change shows only what can be done
// now — change the password or sign out — and no navigation to pages that are out of reach
// until it is done.
func (w *Server) passwordPage(r *http.Request) *page {
	p := w.newPage(r, "password.title", "account")
	if stateOf(r).session.MustChangePassword {
		p.Who = nil
	}
	return p
}

func (w *Server) passwordData(r *http.Request) (map[string]any, error) {
	n, err := w.s.Auth.MinLength(r.Context(), stateOf(r).who.OrgID)
	return map[string]any{"Forced": stateOf(r).session.MustChangePassword, "MinLength": n,
		"History": auth.PasswordHistory}, err
}

func (w *Server) changePassword(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	f := r.PostForm
	err := w.s.Auth.ChangePassword(r.Context(), st.who, f.Get("current"), f.Get("new"), f.Get("confirm"))
	if apperr.CodeOf(err) == apperr.Locked {
		return w.lockedOut(rw, r)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		p := w.passwordPage(r).withErrors(err)
		p.Form = nil // never echo passwords back
		d, e := w.passwordData(r)
		if e != nil {
			return e
		}
		p.Data = d
		w.render(rw, r, http.StatusUnprocessableEntity, "password", p)
		return nil
	}
	if err != nil {
		return err
	}
	if st.session.MustEnrolMFA {
		return w.redirect(rw, r, "/account/mfa", "password.changed")
	}
	return w.redirect(rw, r, "/", "password.changed")
}

func (w *Server) mfaEnrolForm(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	u, err := w.s.Auth.User(r.Context(), st.who, st.who.UserID)
	if err != nil {
		return err
	}
	if u.MFAEnabled {
		return w.redirect(rw, r, "/account", "")
	}
	return w.renderEnrol(rw, r, http.StatusOK, nil)
}

// mfaEnrolData is the enrolment page: the secret to scan and whether the session may not go on
// without it.
type mfaEnrolData struct {
	Enrolment auth.Enrolment
	Required  bool
}

// mfaCodesData is the page of recovery codes shown once, for printing with the login and date.
type mfaCodesData struct {
	Codes []string
	Login string
	Date  string
}

func (w *Server) renderEnrol(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	st := stateOf(r)
	en, e := w.s.Auth.BeginMFA(r.Context(), st.who, "Mamori")
	if e != nil {
		return e
	}
	p := w.newPage(r, "mfa.enrol.title", "account")
	if err != nil {
		p.withErrors(err)
	}
	p.Form = nil
	p.Data = mfaEnrolData{Enrolment: en, Required: st.session.MustEnrolMFA}
	w.render(rw, r, status, "mfa_enrol", p)
	return nil
}

func (w *Server) mfaEnrol(rw http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	codes, err := w.s.Auth.ConfirmMFA(r.Context(), st.who, r.PostForm.Get("code"))
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.renderEnrol(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	p := w.newPage(r, "mfa.codes.title", "account")
	p.Data = mfaCodesData{Codes: codes, Login: st.who.Login, Date: p.Date(w.s.Now())}
	w.render(rw, r, http.StatusOK, "mfa_codes", p)
	return nil
}

func (w *Server) account(rw http.ResponseWriter, r *http.Request) error {
	return w.renderAccount(rw, r, http.StatusOK, nil)
}

// accountData is the signed-in user's own page: the account, this session and its API tokens
// with the token form's day limits.
type accountData struct {
	User        auth.User
	Session     auth.Session
	Tokens      []auth.APIToken
	DefaultDays int
	MaxDays     int
}

// renderAccount shows the account page with its API tokens; err holds the token form's errors.
func (w *Server) renderAccount(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	st := stateOf(r)
	u, e := w.s.Auth.User(r.Context(), st.who, st.who.UserID)
	if e != nil {
		return e
	}
	tokens, e := w.s.Auth.Tokens(r.Context(), st.who, st.who.UserID)
	if e != nil {
		return e
	}
	p := w.newPage(r, "account.title", "account")
	if err != nil {
		p.withErrors(err)
	}
	p.Data = accountData{User: u, Session: st.session, Tokens: tokens, DefaultDays: auth.DefaultTokenDays,
		MaxDays: auth.MaxTokenDays}
	w.render(rw, r, status, "account", p)
	return nil
}

func (w *Server) setLang(rw http.ResponseWriter, r *http.Request) error {
	if err := w.s.Auth.SetLang(r.Context(), stateOf(r).who, r.PostForm.Get("lang")); err != nil {
		return err
	}
	return w.redirect(rw, r, "/account", "account.lang_saved")
}

func (w *Server) logoutEverywhere(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.s.Auth.LogoutEverywhere(r.Context(), stateOf(r).who, r.PostForm.Get("revoke_tokens") == "on"); err != nil {
		return err
	}
	w.clearCookie(rw, r, SessionCookie)
	return w.redirect(rw, r, "/login", "auth.logged_out_everywhere")
}
