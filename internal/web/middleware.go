package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/i18n"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "mamori_session"

const langCookie = "mamori_lang"

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// state is what the middleware learns about a request.
type state struct {
	token   string
	session auth.Session
	who     access.Actor
	signed  bool // a valid session (possibly part-way through sign-in)
	lang    i18n.Lang
}

type stateKey struct{}

func stateOf(r *http.Request) *state {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		return st
	}
	return &state{lang: i18n.Ja}
}

func clientOf(r *http.Request) auth.Client {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return auth.Client{RemoteAddr: host, UserAgent: r.UserAgent()}
}

// withSession resolves the session cookie, if any, and the language of the page.
func (w *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		st := &state{lang: requestLang(r)}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			sess, who, err := w.s.Auth.Authenticate(r.Context(), c.Value, clientOf(r))
			switch {
			case err == nil:
				st.token, st.session, st.who, st.signed = c.Value, sess, who, true
				st.lang = i18n.ParseLang(who.Lang)
			case apperr.CodeOf(err) == apperr.Unauthenticated:
				w.clearCookie(rw, r, SessionCookie)
			default:
				w.fail(rw, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)), err)
				return
			}
		}
		next.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
	})
}

// requestLang is the language before sign-in: Japanese unless the visitor chose English with
// the link in the header (the browser's own setting is not consulted: shared municipal PCs are
// often set up in English while their users read Japanese).
func requestLang(r *http.Request) i18n.Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		return i18n.ParseLang(c.Value)
	}
	return i18n.Ja
}

// partial admits a session at any step of signing in that has passed the password: the steps
// themselves (password change, MFA enrolment) and logout.
func (w *Server) partial(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		if !st.signed {
			toLogin(rw, r)
			return
		}
		if st.session.Stage != auth.StageFull && r.URL.Path != "/logout" {
			http.Redirect(rw, r, "/login/mfa", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(rw, r)
	})
}

// signedIn admits only a completed sign-in, sending the user to whichever step is still due.
func (w *Server) signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		switch {
		case !st.signed:
			toLogin(rw, r)
		case st.session.Stage != auth.StageFull:
			http.Redirect(rw, r, "/login/mfa", http.StatusSeeOther)
		case st.session.MustChangePassword:
			http.Redirect(rw, r, "/account/password", http.StatusSeeOther)
		case st.session.MustEnrolMFA:
			http.Redirect(rw, r, "/account/mfa", http.StatusSeeOther)
		default:
			next.ServeHTTP(rw, r)
		}
	})
}

func toLogin(rw http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(rw, r, target, http.StatusSeeOther)
}

// safeNext accepts as a redirect target after login only an absolute path on this site, and
// answers "/" for anything else. Browsers strip tabs and newlines from a Location and read a
// backslash as a slash, so "/\t/evil.example" and "/\evil.example" would leave the site: a target
// with a control character, white space or a backslash, raw or percent-encoded, is refused, and
// so is one with a scheme, a host or user information, or whose path begins "//".
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || unsafeInPath(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || unsafeInPath(u.Path) {
		return "/"
	}
	return next
}

// unsafeInPath reports whether s holds a character a browser may drop or reinterpret in a
// redirect target: control characters, white space, backslashes, invalid UTF-8.
func unsafeInPath(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, c := range s {
		if c == '\\' || unicode.IsControl(c) || unicode.IsSpace(c) || unicode.Is(unicode.Cf, c) {
			return true
		}
	}
	return false
}

func (w *Server) secure(r *http.Request) bool { return r.TLS != nil || w.opts.SecureCookies }

func (w *Server) setCookie(rw http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(rw, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: w.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge.Seconds())})
}

func (w *Server) clearCookie(rw http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(rw, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: w.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// handleMultipart is handle for a form that carries files: its body may be as large as limit
// instead of the 1 MiB of a form, is read as multipart (or as a plain form when it is not one)
// with at most 8 MiB kept in memory, and the files kept on disk are removed when the handler
// returns.
func (w *Server) handleMultipart(limit int64, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(rw, r.Body, limit)
		err := r.ParseMultipartForm(8 << 20)
		if errors.Is(err, http.ErrNotMultipart) {
			err = r.ParseForm()
		}
		if err != nil {
			w.fail(rw, r, apperr.New(apperr.TooLarge, "error.too_large"))
			return
		}
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err := formText(r); err != nil {
			w.fail(rw, r, err)
			return
		}
		if err := h(rw, r); err != nil {
			w.fail(rw, r, err)
		}
	})
}

// handle runs a handler and renders any error it returns. Form bodies are limited to 1 MiB and
// refused when they carry text Mamori does not take (formText).
func (w *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(rw, r.Body, 1<<20)
			if err := r.ParseForm(); err != nil {
				w.fail(rw, r, apperr.New(apperr.TooLarge, "error.too_large"))
				return
			}
			if err := formText(r); err != nil {
				w.fail(rw, r, err)
				return
			}
		}
		if err := h(rw, r); err != nil {
			w.fail(rw, r, err)
		}
	})
}
