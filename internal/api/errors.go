package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
)

const (
	codeMethodNotAllowed     = apperr.MethodNotAllowed
	codeUnsupportedMediaType = apperr.UnsupportedMediaType
)

// defaultKey is the message of an error that names no key of its own.
var defaultKey = map[apperr.Code]string{
	apperr.Invalid:           "error.invalid",
	apperr.NotFound:          "error.not_found",
	apperr.Conflict:          "error.conflict",
	apperr.Forbidden:         "error.forbidden",
	apperr.Unauthenticated:   "error.unauthorized",
	apperr.Locked:            "error.locked",
	apperr.TooLarge:          "error.too_large",
	apperr.TooMany:           "error.too_many_requests",
	codeMethodNotAllowed:     "error.method_not_allowed",
	codeUnsupportedMediaType: "error.unsupported_media_type",
	apperr.Malformed:         "error.malformed",
}

// errorBody is every error answer: {"error": {"code", "message", "field", "fields"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    apperr.Code  `json:"code"`
	Message string       `json:"message"`
	Field   string       `json:"field,omitempty"`  // the first field at fault
	Fields  []fieldError `json:"fields,omitempty"` // every field at fault, for validation errors
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// fail renders err. Internal errors are logged with their detail and answered with the generic
// catalog message only: nothing of err.Error() reaches the client.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	status := apperr.HTTPStatus(e.Code)
	if status == http.StatusInternalServerError {
		status = http.StatusInternalServerError
		attrs := []any{"method", r.Method, "path", r.URL.Path, "error", err}
		if who, ok := r.Context().Value(actorKey{}).(access.Actor); ok {
			attrs = append(attrs, "user", who.Login)
		}
		a.log.ErrorContext(r.Context(), "api: internal error", attrs...)
		e = &apperr.Error{Code: apperr.Internal, Key: "error.internal"}
	}
	lang := langOf(r)
	key := e.Key
	if key == "" {
		key = defaultKey[e.Code]
	}
	d := errorDetail{Code: e.Code, Message: i18n.T(lang, key, e.Args...), Field: e.Field()}
	for _, f := range e.Fields {
		d.Fields = append(d.Fields, fieldError{Field: f.Field, Message: i18n.T(lang, f.Key, f.Args...)})
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mamori"`)
	}
	writeJSON(w, status, errorBody{d})
}

func (a *api) notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, apperr.New(apperr.NotFound, "error.not_found"))
	})
}

func (a *api) methodNotAllowed(allowed []string) http.Handler {
	allow := strings.Join(allowed, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		a.fail(w, r, apperr.New(codeMethodNotAllowed, "error.method_not_allowed"))
	})
}

// langOf is the language of error messages: the caller's own once authenticated, before that
// the request's Accept-Language.
func langOf(r *http.Request) i18n.Lang {
	if who, ok := r.Context().Value(actorKey{}).(access.Actor); ok {
		return i18n.ParseLang(who.Lang)
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

// acceptLanguage picks the supported language the header prefers most ("en-US,en;q=0.9",
// "ja,en;q=0.5"); Japanese when it names none.
func acceptLanguage(header string) i18n.Lang {
	best, bestQ := i18n.Ja, 0.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		tag = strings.TrimSpace(tag)
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(tag, "-")
		if (strings.EqualFold(primary, "ja") || strings.EqualFold(primary, "en")) && q > bestQ {
			best, bestQ = i18n.ParseLang(tag), q
		}
	}
	return best
}

// Refuse answers, in the API's error format, a request refused before it reached the route
// table (its path or query string carries text Mamori does not take).
func Refuse(w http.ResponseWriter, r *http.Request, err error) {
	securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(&api{log: slog.Default()}).fail(w, r, err)
	})).ServeHTTP(w, r)
}
