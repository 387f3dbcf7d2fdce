package pledge

import (
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Who reads a person's pledges, decided here once for every path (my pledges, the status
// page, a person's history, the exports, the printed form, the scans, the audit log, the desk):
//
//   - the person themselves;
//   - the holder of a department role (the 課長 as 情報セキュリティ責任者 …), the people of that
//     department;
//   - the program, the platform administrators, the holders of an organisation-wide security
//     role (the 情報政策課, CISO …) and the auditors, everyone.
//
// To anyone else a person's pledges are not found. A scan is read by whoever reads the record.

// reach is what one reader sees.
type reach struct {
	all   bool
	self  int64
	depts []int64
}

func reachOf(who access.Actor) reach {
	r := reach{all: watches(who), self: who.StaffID}
	for _, g := range who.Roles {
		if g.Scope == "department" && !g.AllStaff && g.DepartmentID != 0 && !slices.Contains(r.depts, g.DepartmentID) {
			r.depts = append(r.depts, g.DepartmentID)
		}
	}
	slices.Sort(r.depts)
	return r
}

// sees reports whether the reader reads the pledges of the staff member in the department.
func (r reach) sees(staffID, deptID int64) bool {
	return r.all || (staffID != 0 && staffID == r.self) || (deptID != 0 && slices.Contains(r.depts, deptID))
}

// others reports whether the reader reads anyone's pledges but their own.
func (r reach) others() bool { return r.all || len(r.depts) > 0 }

// watches reports whether the actor reads every person's pledges.
func watches(who access.Actor) bool {
	return who.IsSystem() || who.PlatformAdmin || who.IsAuditor() || orgSecurity(who)
}

// orgSecurity reports whether the actor holds an organisation-wide security role.
func orgSecurity(who access.Actor) bool {
	for _, g := range who.Roles {
		if g.Scope == "organization" && g.Security && !g.AllStaff {
			return true
		}
	}
	return false
}

// Watches reports whether the actor reads the whole organisation's pledges.
func Watches(who access.Actor) bool { return watches(who) }

// ReadsOthers reports whether the actor reads anyone's pledges but their own (the status page).
func ReadsOthers(who access.Actor) bool { return reachOf(who).others() }

func forbidden(key string) error { return apperr.New(apperr.Forbidden, key) }

// maySign: a person signs their own pledge in Mamori, as a signed-in user linked to their staff
// record; a read-only token signs nothing.
func maySign(who access.Actor) error {
	if who.ReadOnly || who.IsSystem() || who.ServiceAccount {
		return forbidden("error.forbidden")
	}
	if who.StaffID == 0 {
		return forbidden("pledges.error.no_staff")
	}
	return nil
}

// mayRecordPaper: the 情報政策課 — the platform administrators and the holders of an
// organisation-wide security role — records a paper pledge.
func mayRecordPaper(who access.Actor) error {
	if who.ReadOnly {
		return forbidden("error.forbidden")
	}
	if !who.IsSystem() && !who.PlatformAdmin && !orgSecurity(who) {
		return forbidden("pledges.error.not_policy_office")
	}
	return nil
}

// MayRecordPaper reports whether the actor records paper pledges (the form on the pages).
func MayRecordPaper(who access.Actor) bool { return mayRecordPaper(who) == nil }
