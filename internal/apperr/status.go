package apperr

import (
	"maps"
	"net/http"
	"slices"
)

// Codes for HTTP-level problems that no domain service reports.
const (
	MethodNotAllowed     Code = "method_not_allowed"
	UnsupportedMediaType Code = "unsupported_media_type"
	// Malformed is a request whose text cannot be taken at all (a NUL, invalid UTF-8, a
	// bidirectional override), refused before it reaches a service.
	Malformed Code = "malformed"
)

var statusOf = map[Code]int{
	Invalid:              http.StatusUnprocessableEntity,
	NotFound:             http.StatusNotFound,
	Conflict:             http.StatusConflict,
	Forbidden:            http.StatusForbidden,
	Unauthenticated:      http.StatusUnauthorized,
	Locked:               http.StatusLocked,
	TooLarge:             http.StatusRequestEntityTooLarge,
	TooMany:              http.StatusTooManyRequests,
	Internal:             http.StatusInternalServerError,
	MethodNotAllowed:     http.StatusMethodNotAllowed,
	UnsupportedMediaType: http.StatusUnsupportedMediaType,
	Malformed:            http.StatusBadRequest,
}

// HTTPStatus is the one place an error code becomes an HTTP status, for the web interface and
// the API alike. An unknown code is an internal error.
func HTTPStatus(c Code) int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Codes lists every code that has a status, sorted (for the API's schema).
func Codes() []Code { return slices.Sorted(maps.Keys(statusOf)) }
