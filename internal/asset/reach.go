package asset

import (
	"sort"

	"mamori/internal/access"
)

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
//   - holders of a role held for an information system (情報システム管理者 of 住民基本台帳
//     システム …): read and change the assets that belong to that system (SystemOf), whichever
//     department owns them — 上毛町 第2章 3(2)①ア 「情報システム管理者は、その所管する情報資産に
//     ついて管理責任を有する」, 山形県 3.1 「情報セキュリティ管理者及び情報システム管理者は、所管
//     する情報資産について管理責任を有する」 — seeing the details of those of the highest class
//     only when the pack marks the role as a security role;
//   - the role every member of staff holds (marked all_staff by the pack: 職員等) widens nothing.
//
// An asset whose details an actor may not see cannot be changed or deleted by that actor: it
// is listed with its number, kind, class, department and state only (see redact). Registering
// a new asset of the highest class stays open to all who may change the department's assets.
type reach struct {
	readAll, writeAll bool
	read, write       map[int64]bool // department ids
	// readSys, writeSys: the information systems whose assets the actor reads and changes,
	// by system reference.
	readSys, writeSys map[string]bool
	// detailAll: the details of every asset the actor reads; detail: of the highest-class
	// assets of these departments; detailSys: of those of these systems. The details of an
	// asset below the highest class go with reading it.
	detailAll bool
	detail    map[int64]bool
	detailSys map[string]bool
}

func reachOf(who access.Actor) reach {
	r := reach{read: map[int64]bool{}, write: map[int64]bool{}, detail: map[int64]bool{},
		readSys: map[string]bool{}, writeSys: map[string]bool{}, detailSys: map[string]bool{}}
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
		case g.Scope == "system" && g.SystemRef != "":
			r.readSys[g.SystemRef], r.writeSys[g.SystemRef] = true, true
			if security {
				r.detailSys[g.SystemRef] = true
			}
		}
	}
	return r
}

// canRead reports whether the actor may read an asset of the department that belongs to the
// system ("" for none).
func (r reach) canRead(dept int64, system string) bool {
	return r.readAll || r.read[dept] || (system != "" && r.readSys[system])
}

// canWrite reports whether the actor may change an asset of the department and system.
func (r reach) canWrite(dept int64, system string) bool {
	return r.writeAll || r.write[dept] || (system != "" && r.writeSys[system])
}

// seesDetails reports whether the actor sees the details of an asset of the department and
// system that is of the highest class.
func (r reach) seesDetails(dept int64, system string) bool {
	return r.detailAll || r.detail[dept] || (system != "" && r.detailSys[system])
}

// readsAsset, writesAsset and seesDetailsOf ask the same of an asset.
func (r reach) readsAsset(a Asset) bool    { return r.canRead(a.DepartmentID, SystemOf(a)) }
func (r reach) writesAsset(a Asset) bool   { return r.canWrite(a.DepartmentID, SystemOf(a)) }
func (r reach) seesDetailsOf(a Asset) bool { return r.seesDetails(a.DepartmentID, SystemOf(a)) }
func (r reach) writesInput(in Input) bool  { return r.canWrite(in.DepartmentID, in.system()) }
func (r reach) writesSomething() bool      { return r.writeAll || len(r.write) > 0 || len(r.writeSys) > 0 }

// departments returns the departments the actor may read, or nil for all; systems, the
// systems whose assets they read besides (nil when they read all).
func (r reach) departments() []int64 { return keys(r.read, r.readAll) }
func (r reach) systems() []string    { return names(r.readSys, r.readAll) }

// detailDepartments returns the departments whose highest-class details the actor sees, or
// nil for all; detailSystems, the systems whose highest-class details they see besides.
func (r reach) detailDepartments() []int64 { return keys(r.detail, r.detailAll) }
func (r reach) detailSystems() []string    { return names(r.detailSys, r.detailAll) }

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
	for sys := range r.readSys {
		if !r.detailSys[sys] {
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

func names(m map[string]bool, all bool) []string {
	if all {
		return nil
	}
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// SystemOf is the information system an asset belongs to: its system reference, or for an
// information system itself (kind system) that names none, its own number; "" for an asset of
// no system. The register's rule (reach) and the routes of requests (of: system) both read it.
func SystemOf(a Asset) string {
	if a.SystemRef != "" {
		return a.SystemRef
	}
	if a.Kind == "system" {
		return a.Number
	}
	return ""
}

// system is SystemOf for an input.
func (in Input) system() string {
	return SystemOf(Asset{SystemRef: in.SystemRef, Kind: in.Kind, Number: in.Number})
}

// systemExpr is SystemOf in SQL, over the assets table under the alias.
func systemExpr(alias string) string {
	return "(CASE WHEN " + alias + ".system_ref <> '' THEN " + alias + ".system_ref WHEN " + alias + ".kind = 'system' THEN " +
		alias + ".number ELSE '' END)"
}
