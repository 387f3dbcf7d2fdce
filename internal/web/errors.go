package web

import (
	"context"
	"errors"
	"net/http"

	"mamori/internal/apperr"
)

// fail renders an error page. Internal detail goes to the log only; the user reads the
// catalog message for the error's code.
func (w *Server) fail(rw http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	if e.Code == apperr.Unauthenticated {
		toLogin(rw, r)
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		e = apperr.New(apperr.TooLarge, "error.too_large")
	}
	status := apperr.HTTPStatus(e.Code)
	if status == http.StatusInternalServerError {
		w.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = apperr.New(apperr.Internal, "error.internal")
	}
	p := w.newPage(r, "error.title", "")
	p.Data = map[string]any{"Status": status, "Message": p.T(e.Key, e.Args...)}
	w.render(rw, r, status, "error", p)
}

func (w *Server) notFound(rw http.ResponseWriter, r *http.Request) error {
	return apperr.New(apperr.NotFound, "error.not_found")
}

// Refuse renders the error page for a request refused before it reached the route table (its
// path or query string carries text Mamori does not take), in the visitor's chosen language.
func (w *Server) Refuse(rw http.ResponseWriter, r *http.Request, err error) {
	st := &state{lang: requestLang(r)}
	w.fail(rw, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)), err)
}
