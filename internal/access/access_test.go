package access

import "testing"

func TestAuditorsAreThoseThePackMarks(t *testing.T) {
	marks := map[string]RoleMarks{"inspector": {Auditor: true}, "ciso": {Security: true}, "staff": {AllStaff: true}}
	for _, c := range []struct {
		role    string
		auditor bool
	}{{"inspector", true}, {"audit_x", false}, {"auditor", false}, {"ciso", false}, {"staff", false}} {
		g := Grant{RoleID: c.role, Scope: "organization"}.Marked(marks[c.role])
		a := Actor{OrgID: 1, UserID: 2, Roles: []Grant{g}}
		if a.IsAuditor() != c.auditor || a.CanReadAuditLog() != c.auditor {
			t.Errorf("%s: auditor %v, reads the audit log %v, want %v", c.role, a.IsAuditor(), a.CanReadAuditLog(), c.auditor)
		}
		if g.Security != marks[c.role].Security || g.AllStaff != marks[c.role].AllStaff || g.RoleID != c.role || g.Scope != "organization" {
			t.Errorf("%s: marked grant %+v", c.role, g)
		}
	}
	if !(Actor{PlatformAdmin: true}).CanReadAuditLog() {
		t.Error("a platform administrator does not read the audit log")
	}
}
