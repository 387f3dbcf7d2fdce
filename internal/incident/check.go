package incident

import (
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/apperr"
)

// Limits on what is written, in characters.
const (
	maxTitle = 200
	maxText  = 8000
	maxShort = 200
)

// checkText trims a text and checks its length; required texts must not be empty.
func checkText(v *apperr.Validation, field string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	switch {
	case required && *s == "":
		v.Add(field, "incident.error.required")
	case utf8.RuneCountInString(*s) > max:
		v.Add(field, "incident.error.too_long", max)
	case strings.ContainsFunc(*s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' }):
		v.Add(field, "incident.error.control")
	}
}

// checkAt checks the time an event happened: given (or now), not in the future, and not before
// the incident was detected. It returns the time to record.
func checkAt(v *apperr.Validation, field string, at time.Time, detected, now time.Time) time.Time {
	if at.IsZero() {
		return now
	}
	at = at.UTC().Truncate(time.Microsecond)
	switch {
	case at.After(now):
		v.Add(field, "incident.error.future")
	case !detected.IsZero() && at.Before(detected):
		v.Add(field, "incident.error.before_detection")
	}
	return at
}

// Severities an incident is triaged into.
var Severities = []string{"low", "medium", "high", "critical"}
