package oidc

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"mamori/internal/directory"
)

// secondFactors are the amr values (RFC 8176 "Authentication Method Reference Values", and
// "fido" as providers send it) that show a factor besides the password was used: "mfa" itself,
// a one-time code, a hardware, software or smart-card key, a biometric, or a confirmation by
// SMS or telephone.
var secondFactors = []string{"mfa", "otp", "hwk", "swk", "sc", "fido", "pop", "face", "fpt", "iris", "retina", "vbm", "sms", "tel"}

// identityOf turns the verified token's claims into what the directory maps.
func (s *Service) identityOf(subject string, raw map[string]any) directory.Identity {
	c := s.cfg
	id := directory.Identity{
		Source:     directory.SourceOIDC,
		Subject:    subject,
		Login:      text(raw["preferred_username"]),
		Name:       text(raw["name"]),
		Email:      text(raw["email"]),
		EmployeeNo: text(raw[c.EmployeeClaim]),
		Department: first(raw[c.DepartmentClaim]),
		Groups:     list(raw[c.GroupsClaim]),
		MFA:        multiFactor(raw, c.MFAACR),
	}
	if id.Name == "" {
		id.Name = strings.TrimSpace(text(raw["family_name"]) + " " + text(raw["given_name"]))
	}
	if id.Login == "" {
		id.Login = text(raw["upn"]) // Entra ID v1 tokens
	}
	return id
}

// multiFactor is true only when the token says a second factor was used: an amr value of
// secondFactors, or an acr value the organisation lists as multi-factor.
func multiFactor(raw map[string]any, acrs []string) bool {
	for _, m := range list(raw["amr"]) {
		if slices.Contains(secondFactors, strings.ToLower(m)) {
			return true
		}
	}
	acr := text(raw["acr"])
	return acr != "" && slices.Contains(acrs, acr)
}

// text reads a claim that should be one value: a string, or a number as providers send staff
// numbers.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool, nil:
		return ""
	}
	return ""
}

// first reads a claim that may be one value or a list of them (a department path).
func first(v any) string {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return ""
}

// list reads a claim that may be a list or a single value, dropping empty entries.
func list(v any) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if t := text(e); t != "" {
				out = append(out, t)
			}
		}
	case []string:
		for _, e := range v {
			if t := strings.TrimSpace(e); t != "" {
				out = append(out, t)
			}
		}
	default:
		if t := text(v); t != "" {
			out = []string{t}
		}
	}
	return out
}
