// Package apperr is Mamori's one application error: a code that decides the HTTP status and a
// catalog key that decides the message a user reads. Internal detail stays in the wrapped
// error, which is logged and never shown.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for callers; internal/web and internal/api map it to a status.
type Code string

const (
	Invalid         Code = "invalid"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	Forbidden       Code = "forbidden"
	Unauthenticated Code = "unauthenticated"
	Locked          Code = "locked"
	TooLarge        Code = "too_large"
	TooMany         Code = "too_many_requests"
	Internal        Code = "internal"
)

// FieldError is one problem with one input field (or a row of an imported file).
type FieldError struct {
	Field string
	Key   string // i18n catalog key of the message
	Args  []any
}

// Error is the application error.
type Error struct {
	Code   Code
	Key    string // i18n catalog key of the message shown to the user
	Args   []any
	Fields []FieldError
	Err    error // internal cause, for logs only
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, " [%s: %s]", f.Field, f.Key)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Field returns the first field the error names, or "".
func (e *Error) Field() string {
	if len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

// New makes an error with a code and a message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Wrap makes an internal error that keeps err for the log.
func Wrap(err error, context string) *Error {
	return &Error{Code: Internal, Key: "error.internal", Err: fmt.Errorf("%s: %w", context, err)}
}

// InvalidField reports one invalid field.
func InvalidField(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Key: "error.invalid", Fields: []FieldError{{Field: field, Key: key, Args: args}}}
}

// As returns err as an *Error, turning anything unexpected into an internal error.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Key: "error.internal", Err: err}
}

// CodeOf returns the code of err ("" for nil).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return As(err).Code
}

// Validation collects field errors and turns them into one Invalid error.
type Validation struct{ fields []FieldError }

// Add records a problem with field.
func (v *Validation) Add(field, key string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Key: key, Args: args})
}

// Has reports whether field already has a problem.
func (v *Validation) Has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was added.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: "error.invalid", Fields: v.fields}
}
