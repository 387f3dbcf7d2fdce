// Package directory signs staff in from the organisation's directory — Active Directory or
// another LDAP server, or an OpenID Connect provider such as Entra ID — and maps what the
// directory says of a person (department, groups) to Mamori's staff record and pack roles, as
// the organisation's settings say.
package directory

// Identity is a person as a directory or identity provider asserts them at sign-in or in a
// read of its people. Department and Groups are the directory's own values; the organisation's
// mapping turns them into a department and pack roles.
type Identity struct {
	Source     string   `json:"source"`  // SourceLDAP or SourceOIDC
	Subject    string   `json:"subject"` // the entry's DN (LDAP) or the token's sub (OIDC)
	Login      string   `json:"login"`   // sAMAccountName, uid or preferred_username
	Name       string   `json:"name"`
	Email      string   `json:"email,omitempty"`
	EmployeeNo string   `json:"employee_no,omitempty"`
	Department string   `json:"department,omitempty"` // the mapped attribute's or claim's value, or the OU
	Groups     []string `json:"groups,omitempty"`     // group DNs or names
	// MFA is true only when the provider asserts that a second factor was used (OIDC amr/acr);
	// a directory bind never does.
	MFA bool `json:"mfa,omitempty"`
}

// Sources of an identity.
const (
	SourceLDAP = "ldap"
	SourceOIDC = "oidc"
)
