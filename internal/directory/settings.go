package directory

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
)

// Settings are the organisation's directory settings: whether people sign in from the
// directory, where their department comes from, how its values and the directory's groups map
// to Mamori's departments and pack roles, and which local users keep their Mamori password
// (break-glass administrators; platform administrators always do).
type Settings struct {
	OrgID   int64 `json:"org_id"`
	Enabled bool  `json:"enabled"`
	// DepartmentFrom is DeptFromAttribute (DepartmentAttribute names it: department,
	// departmentNumber …) or DeptFromOU (the first OU of the person's DN).
	DepartmentFrom      string           `json:"department_from"`
	DepartmentAttribute string           `json:"department_attribute,omitempty"`
	Departments         []DepartmentRule `json:"departments"`
	Groups              []GroupRule      `json:"groups"`
	BreakGlass          []string         `json:"break_glass"` // logins of local users
	Version             int              `json:"version"`
	UpdatedAt           time.Time        `json:"updated_at"`
}

// DepartmentRule maps one value of the directory's department to a Mamori department.
type DepartmentRule struct {
	Value        string `json:"value"`
	DepartmentID int64  `json:"department_id"`
}

// GroupRule gives the members of a directory group (its DN or name) a pack role, over a scope.
type GroupRule struct {
	Group        string `json:"group"`
	RoleID       string `json:"role_id"`
	Scope        string `json:"scope"`
	DepartmentID int64  `json:"department_id,omitempty"` // ScopeFixedDepartment
	SystemRef    string `json:"system_ref,omitempty"`    // ScopeSystem
}

// Where the department comes from.
const (
	DeptFromAttribute = "attribute"
	DeptFromOU        = "ou"
)

// Scopes of a group's role: the person's own department, the whole organisation, a named
// department, a system of the register.
const (
	ScopeOwnDepartment   = "own_department"
	ScopeOrganization    = "organization"
	ScopeFixedDepartment = "department"
	ScopeSystem          = "system"
)

// GroupScopes lists the scopes in the order a form offers them.
var GroupScopes = []string{ScopeOwnDepartment, ScopeOrganization, ScopeFixedDepartment, ScopeSystem}

// MayConfigure reports whether the actor may change the directory settings: administrators.
func MayConfigure(who access.Actor) bool { return who.CanAdminister() }

// MayRead reports whether the actor may read the directory settings.
func MayRead(who access.Actor) bool { return who.CanAdminister() }

// fold is how directory values are compared: NFKC, trimmed, case folded.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(norm.NFKC.String(s))) }

// departmentFor returns the Mamori department the identity's department value maps to.
func (st Settings) departmentFor(value string) (int64, bool) {
	v := fold(value)
	if v == "" {
		return 0, false
	}
	for _, d := range st.Departments {
		if fold(d.Value) == v {
			return d.DepartmentID, true
		}
	}
	return 0, false
}

// groupMatches reports whether a group the directory names (a DN or a name) is the rule's:
// the same DN or name, or the same name where one side gives a DN.
func groupMatches(rule, group string) bool {
	r, g := fold(rule), fold(group)
	if r == "" || g == "" {
		return false
	}
	return r == g || fold(firstRDNValue(group)) == r || fold(firstRDNValue(rule)) == g
}

// firstRDNValue returns the value of a DN's first component ("cn=情報政策課,ou=…" → "情報政策課"),
// or the text itself when it is no DN.
func firstRDNValue(dn string) string {
	first, _, _ := strings.Cut(dn, ",")
	if _, v, ok := strings.Cut(first, "="); ok {
		return strings.TrimSpace(v)
	}
	return dn
}

// breakGlass reports whether the login is one of the break-glass users.
func (st Settings) breakGlass(login string) bool {
	l := fold(login)
	for _, b := range st.BreakGlass {
		if fold(b) == l {
			return true
		}
	}
	return false
}

// SettingsInput is what an administrator submits.
type SettingsInput struct {
	Enabled             bool             `json:"enabled"`
	DepartmentFrom      string           `json:"department_from"`
	DepartmentAttribute string           `json:"department_attribute,omitempty"`
	Departments         []DepartmentRule `json:"departments"`
	Groups              []GroupRule      `json:"groups"`
	BreakGlass          []string         `json:"break_glass"`
	Version             int              `json:"version"` // the version edited; 0 for the first save
}

// attrName is what an LDAP attribute's name may be.
var attrName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,63}$`)
