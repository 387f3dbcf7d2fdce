package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/i18n"
)

// authenticate resolves "Authorization: Bearer mmr_…" to the token's user.
func (a *api) authenticate(r *http.Request) (access.Actor, error) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return access.Actor{}, apperr.New(apperr.Unauthenticated, "error.unauthorized")
	}
	return a.s.Auth.AuthenticateToken(r.Context(), token, client(r))
}

// client is where the request comes from, for the audit log. A proxy's forwarded headers are
// not trusted here; whoever mounts the API behind a proxy rewrites RemoteAddr first.
func client(r *http.Request) auth.Client {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return auth.Client{RemoteAddr: host, UserAgent: r.UserAgent()}
}

// decode reads a JSON request body into dst: Content-Type application/json, at most maxBody
// bytes, one value, no fields dst does not have, no text Mamori does not take (decodeJSON).
func (a *api) decode(w http.ResponseWriter, r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return apperr.New(codeUnsupportedMediaType, "error.unsupported_media_type")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
	if err != nil {
		return decodeError(err)
	}
	return decodeJSON(data, dst)
}

// decodeError says what was wrong with a body, naming the field when the decoder does.
func decodeError(err error) error {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return apperr.New(apperr.TooLarge, "error.too_large")
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return apperr.InvalidField(typeErr.Field, "error.json_type")
	}
	// encoding/json has no error type for an unknown field; its message is `json: unknown field "x"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if field, uerr := strconv.Unquote(name); uerr == nil {
			return apperr.InvalidField(field, "error.unknown_field")
		}
	}
	return &apperr.Error{Code: apperr.Invalid, Key: "error.json"}
}

// pathID is the {id} of the path. Anything but a positive integer names nothing: 404.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, nil
}

// queryID reads an optional id from the query string; 0 when absent.
func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, apperr.InvalidField(name, "error.number")
	}
	return id, nil
}

// Paging limits.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// page is the window of a listing the client asked for with ?limit= and ?offset=.
type page struct {
	limit, offset int
}

func pageOf(r *http.Request) (page, error) {
	p := page{limit: defaultLimit}
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, apperr.InvalidField("limit", "error.number")
		}
		p.limit = min(n, maxLimit)
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, apperr.InvalidField("offset", "error.number")
		}
		p.offset = n
	}
	return p, nil
}

// window cuts a page out of a listing the service returned whole.
func window[T any](items []T, p page) []T {
	start := min(p.offset, len(items))
	end := min(start+p.limit, len(items))
	return items[start:end]
}

// queryTime reads a time filter: RFC 3339, or a date (YYYY-MM-DD) meaning midnight in Tokyo.
// With endOfDay a date means the midnight after it, so that ?to=2026-03-31 includes that day.
func queryTime(r *http.Request, name string, endOfDay bool) (time.Time, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	// An unencoded "+" in "…T09:00:00+09:00" arrives as a space.
	if t, err := time.Parse(time.RFC3339, strings.Replace(s, " ", "+", 1)); err == nil {
		return t.UTC(), nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, i18n.Tokyo)
	if err != nil {
		return time.Time{}, apperr.InvalidField(name, "error.date")
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), nil
}
