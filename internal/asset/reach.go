package asset

import "mamori/internal/access"

// reach is what an actor may see and change in the register:
//   - the program itself (the system actor of the command line and of start-up): everything;
//   - holders of an organisation-wide security role (marked so by the pack: CISO, 統括情報セキュリティ
//     責任者, CSIRT …): read and change everything, details included;
//   - auditors: read everything, details included; change nothing;
//   - holders of a department-wide security role (情報セキュリティ管理者 of a 課 …): read and
//     change the assets of that department, details included;
//   - other staff: read the assets of their own department, details included;
//   - platform administrators (users who run the system, not a role of the policy) and holders
//     of other organisation-wide roles (ネットワーク管理者, 委員会 …): read and change every
//     asset, but not the details of an asset of the highest class outside their own department;
//   - holders of other department-wide roles: read and change that department's assets, with
//     the same exception;
//   - the role every member of staff holds (marked all_staff by the pack: 職員等) widens nothing.
//
// An asset whose details an actor may not see cannot be changed or deleted by that actor: it
// is listed with its number, kind, class, department and state only (see redact). Registering
// a new asset of the highest class stays open to all who may change the department's assets.
type reach struct {
	readAll, writeAll bool
	read, write       map[int64]bool // department ids
	// detailAll: the details of every asset the actor reads; detail: of the highest-class
	// assets of these departments. The details of an asset below the highest class go with
	// reading it.
	detailAll bool
	detail    map[int64]bool
}

func reachOf(who access.Actor) reach {
	r := reach{read: map[int64]bool{}, write: map[int64]bool{}, detail: map[int64]bool{}}
	if who.IsSystem() {
		r.readAll, r.writeAll, r.detailAll = true, true, true
		return r
	}
	if who.PlatformAdmin {
		r.readAll, r.writeAll = true, true
	}
	if who.DepartmentID != 0 {
		r.read[who.DepartmentID], r.detail[who.DepartmentID] = true, true
	}
	for _, g := range who.Roles {
		security := g.Security
		switch {
		case access.Actor{Roles: []access.Grant{g}}.IsAuditor():
			r.readAll, r.detailAll = true, true
		case g.AllStaff:
		case g.Scope == "organization":
			r.readAll, r.writeAll = true, true
			r.detailAll = r.detailAll || security
		case g.Scope == "department" && g.DepartmentID != 0:
			r.read[g.DepartmentID], r.write[g.DepartmentID] = true, true
			if security {
				r.detail[g.DepartmentID] = true
			}
		}
	}
	return r
}

func (r reach) canRead(dept int64) bool  { return r.readAll || r.read[dept] }
func (r reach) canWrite(dept int64) bool { return r.writeAll || r.write[dept] }

// seesDetails reports whether the actor sees the details of an asset of the department that
// is of the highest class.
func (r reach) seesDetails(dept int64) bool { return r.detailAll || r.detail[dept] }

// departments returns the departments the actor may read, or nil for all.
func (r reach) departments() []int64 { return keys(r.read, r.readAll) }

// detailDepartments returns the departments whose highest-class details the actor sees, or
// nil for all.
func (r reach) detailDepartments() []int64 { return keys(r.detail, r.detailAll) }

// hidesSome reports whether some asset the actor reads may have its details hidden.
func (r reach) hidesSome() bool {
	if r.detailAll {
		return false
	}
	if r.readAll {
		return true
	}
	for d := range r.read {
		if !r.detail[d] {
			return true
		}
	}
	return false
}

func keys(m map[int64]bool, all bool) []int64 {
	if all {
		return nil
	}
	out := make([]int64, 0, len(m))
	for d := range m {
		out = append(out, d)
	}
	return out
}
