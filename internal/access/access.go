// Package access describes who is acting — a signed-in user, an API token or the system itself —
// so that every domain service can decide what that actor may see and change.
package access

// Actor is the person or process behind a request. Services receive it explicitly; nothing
// reads it from a global.
type Actor struct {
	OrgID         int64
	UserID        int64 // 0 for the system
	StaffID       int64 // 0 when the user is not linked to a staff member
	DepartmentID  int64 // the staff member's department, 0 if none
	Login         string
	Name          string
	PlatformAdmin bool
	Roles         []Grant
	Lang          string
	RemoteAddr    string
	UserAgent     string
	SessionID     int64 // 0 for token or system actors
	ViaToken      bool
	// ReadOnly: the actor came with a read-only API token and may change nothing.
	ReadOnly bool
	// ServiceAccount: the login of an integration, not of a person.
	ServiceAccount bool
}

// Grant is one role the actor holds today (as holder or acting holder), with its scope.
type Grant struct {
	RoleID       string
	Scope        string // organization, department or system
	DepartmentID int64
	SystemRef    string
	Acting       bool
	// What the organisation's pack says of the role (RoleMarks): a security role, the role
	// every member of staff holds, or an audit role.
	Security bool
	AllStaff bool
	Auditor  bool
}

// RoleMarks is what an organisation's pack says of a role beyond its scope.
type RoleMarks struct {
	Security bool // carries responsibility for information security itself
	AllStaff bool // held by every member of staff; grants nothing beyond one's department
	Auditor  bool // carries out the 情報セキュリティ監査; reads the audit log
}

// Marked returns the grant with what the pack says of its role, and nothing else.
func (g Grant) Marked(m RoleMarks) Grant {
	g.Security, g.AllStaff, g.Auditor = m.Security, m.AllStaff, m.Auditor
	return g
}

// System returns the actor for work the program does itself or that an operator runs from the
// command line with direct access to the data.
func System(orgID int64, name string) Actor {
	return Actor{OrgID: orgID, Login: name, Name: name, PlatformAdmin: true}
}

// IsSystem reports whether the actor is the program itself rather than a signed-in user.
func (a Actor) IsSystem() bool { return a.UserID == 0 }

// HasRole reports whether the actor holds role anywhere in the organisation.
func (a Actor) HasRole(role string) bool {
	for _, g := range a.Roles {
		if g.RoleID == role {
			return true
		}
	}
	return false
}

// CanAdminister reports whether the actor may manage users, departments and staff.
func (a Actor) CanAdminister() bool { return a.PlatformAdmin }

// IsAuditor reports whether the actor holds a role the pack marks as an audit role
// (policy.Role.Auditor: 監査統括責任者, 監査員班 …), whatever the role's id.
func (a Actor) IsAuditor() bool {
	for _, g := range a.Roles {
		if g.Auditor {
			return true
		}
	}
	return false
}

// CanReadAuditLog reports whether the actor may read the organisation's audit log: platform
// administrators and auditors.
func (a Actor) CanReadAuditLog() bool { return a.PlatformAdmin || a.IsAuditor() }
