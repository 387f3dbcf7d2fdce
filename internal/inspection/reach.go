package inspection

import (
	"slices"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// Who reads a sheet, and what they may do with it — decided here for every path that shows one
// (the pages, the API, the exports and prints, the audit log, the findings, the desk and the
// policy review's facts).
//
// A sheet is read by
//   - the program itself;
//   - holders of an organisation-wide security role (the 情報政策課: CISO, 統括情報セキュリティ
//     責任者 …), who start and close campaigns and send submitted sheets back (差戻し);
//   - those who answer it: for a department's sheet, the holders and acting holders of the
//     answering roles (answeringRoles) of that department; for a role's sheet, the holders and
//     acting holders of that role;
//   - auditors, who read only.
//
// Nobody else: to them a sheet is not found, and a campaign is listed only to those who read
// one of its sheets or all of them.

type standing int

const (
	none     standing = iota
	reader            // auditors: read only
	answerer          // answer and submit the sheet
	steward           // organisation-wide security roles: read every sheet, return, close
)

// isSecurity reports whether a grant is of a security role (never the role every member of
// staff holds).
func isSecurity(p *policy.Compiled, g access.Grant) bool {
	if g.AllStaff {
		return false
	}
	r, ok := p.Role(g.RoleID)
	return g.Security || (ok && r.Security && !r.AllStaff)
}

// orgSecurity reports whether the actor holds an organisation-wide security role.
func orgSecurity(p *policy.Compiled, who access.Actor) bool {
	for _, g := range who.Roles {
		if g.Scope == "organization" && isSecurity(p, g) {
			return true
		}
	}
	return false
}

// AnsweringRoles are the roles whose holders answer a department's sheet (see answeringRoles).
func AnsweringRoles(p *policy.Compiled) []string { return answeringRoles(p) }

// answeringRoles are the roles whose holders answer a department's sheet: the pack's
// department-scoped security roles, or, where it has none, its department-scoped roles.
func answeringRoles(p *policy.Compiled) []string {
	var sec, dept []string
	for _, r := range p.Roles {
		if r.Scope != "department" || r.AllStaff {
			continue
		}
		dept = append(dept, r.ID)
		if r.Security {
			sec = append(sec, r.ID)
		}
	}
	if len(sec) > 0 {
		return sec
	}
	return dept
}

// targetOf says which sheet an item goes on: its role's, for a role of the organisation or of
// a system; the departments' otherwise.
func targetOf(p *policy.Compiled, role string) string {
	r, ok := p.Role(role)
	if !ok || r.AllStaff || r.Scope == "department" {
		return TargetDepartment
	}
	return TargetRole
}

// answers reports whether the actor answers the sheet.
func answers(p *policy.Compiled, who access.Actor, sh Sheet) bool {
	roles := answeringRoles(p)
	for _, g := range who.Roles {
		if sh.DepartmentID != 0 {
			if g.Scope == "department" && g.DepartmentID == sh.DepartmentID && slices.Contains(roles, g.RoleID) {
				return true
			}
		} else if g.RoleID == sh.RoleID && !g.AllStaff {
			return true
		}
	}
	return false
}

// standingOf is the actor's place in a sheet of their organisation.
func standingOf(p *policy.Compiled, who access.Actor, sh Sheet) standing {
	switch {
	case who.IsSystem():
		return steward
	case orgSecurity(p, who):
		return steward
	case answers(p, who, sh):
		return answerer
	case who.IsAuditor():
		return reader
	}
	return none
}

// seesAll reports whether the actor reads every sheet of every campaign.
func seesAll(p *policy.Compiled, who access.Actor) bool {
	return who.IsSystem() || orgSecurity(p, who) || who.IsAuditor()
}

// reach is what an actor who does not see everything answers: the departments whose sheets and
// the roles whose sheets are theirs.
func reach(p *policy.Compiled, who access.Actor) (depts []int64, roles []string) {
	answering := answeringRoles(p)
	for _, g := range who.Roles {
		if g.AllStaff {
			continue
		}
		if g.Scope == "department" && slices.Contains(answering, g.RoleID) && g.DepartmentID != 0 {
			if !slices.Contains(depts, g.DepartmentID) {
				depts = append(depts, g.DepartmentID)
			}
		}
		if targetOf(p, g.RoleID) == TargetRole && !slices.Contains(roles, g.RoleID) {
			roles = append(roles, g.RoleID)
		}
	}
	return depts, roles
}
