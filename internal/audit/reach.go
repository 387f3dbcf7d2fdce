package audit

import (
	"slices"

	"mamori/internal/access"
)

// Who reads an audit, decided here once for every path (list, detail, export, print, the audit
// log, the desk, the facts of a policy review):
//
//   - the program itself, the holders of the pack's audit roles (the chief auditor) and of its
//     organisation-wide security roles (the CISO and those beside them) read every audit;
//   - a member of the audit's team reads the audit whole; an external member (not the
//     organisation's staff) only from its first day to its last;
//   - a member of an audited department, and the holder of a department role there, reads the
//     audit's plan, its issued report, and the findings and corrective actions of those
//     departments — not the items, the evidence of the items, nor other departments' findings.

// sight is what one reader sees of one audit: all of it, the findings of some departments, or
// nothing.
type sight struct {
	all   bool
	depts []int64
}

func (g sight) any() bool { return g.all || len(g.depts) > 0 }

func (g sight) dept(id int64) bool { return g.all || (id != 0 && slices.Contains(g.depts, id)) }

// watches reports whether the actor reads every audit: the program, an audit role, or an
// organisation-wide security role.
func watches(who access.Actor) bool {
	if who.IsSystem() || who.IsAuditor() {
		return true
	}
	return orgSecurity(who)
}

// orgSecurity reports whether the actor holds one of the pack's organisation-wide security
// roles (the CISO, 統括情報セキュリティ責任者 …).
func orgSecurity(who access.Actor) bool {
	for _, g := range who.Roles {
		if g.Scope == "organization" && g.Security && !g.AllStaff {
			return true
		}
	}
	return false
}

// ownDepartments are the actor's department and those of the department roles they hold.
func ownDepartments(who access.Actor) []int64 {
	var out []int64
	if who.DepartmentID != 0 {
		out = append(out, who.DepartmentID)
	}
	for _, g := range who.Roles {
		if g.Scope == "department" && !g.AllStaff && g.DepartmentID != 0 && !slices.Contains(out, g.DepartmentID) {
			out = append(out, g.DepartmentID)
		}
	}
	return out
}

// member returns the actor's place on the audit's team, if any.
func member(who access.Actor, a Audit) (Auditor, bool) {
	if who.StaffID == 0 {
		return Auditor{}, false
	}
	for _, m := range a.Team {
		if m.StaffID == who.StaffID {
			return m, true
		}
	}
	return Auditor{}, false
}

// inPeriod reports whether day (YYYY-MM-DD, JST) falls within the audit's dates.
func inPeriod(a Audit, day string) bool { return day >= a.StartsOn && day <= a.EndsOn }

// sightOf is the read rule of one audit (its Team and Departments loaded) on day.
func sightOf(who access.Actor, a Audit, day string) sight {
	if watches(who) {
		return sight{all: true}
	}
	if m, ok := member(who, a); ok && (!m.External || inPeriod(a, day)) {
		return sight{all: true}
	}
	var g sight
	for _, d := range ownDepartments(who) {
		for _, n := range a.Departments {
			if n.ID == d {
				g.depts = append(g.depts, d)
			}
		}
	}
	return g
}
