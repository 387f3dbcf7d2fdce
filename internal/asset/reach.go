package asset

import "mamori/internal/access"

// reach is what an actor may see and change in the register:
//   - platform administrators and holders of organisation-wide roles (CISO, 統括 …): everything;
//   - auditors: read everything, change nothing;
//   - holders of a department role (情報セキュリティ管理者 of a 課 …): read and change the
//     assets of that department and of their own;
//   - other staff: read the assets of their own department.
type reach struct {
	readAll, writeAll bool
	read, write       map[int64]bool // department ids
}

func reachOf(who access.Actor) reach {
	r := reach{read: map[int64]bool{}, write: map[int64]bool{}}
	if who.PlatformAdmin {
		r.readAll, r.writeAll = true, true
		return r
	}
	if who.DepartmentID != 0 {
		r.read[who.DepartmentID] = true
	}
	for _, g := range who.Roles {
		switch {
		case access.Actor{Roles: []access.Grant{g}}.IsAuditor():
			r.readAll = true
		case g.Scope == "organization":
			r.readAll, r.writeAll = true, true
		case g.Scope == "department" && g.DepartmentID != 0:
			r.read[g.DepartmentID], r.write[g.DepartmentID] = true, true
		}
	}
	return r
}

func (r reach) canRead(dept int64) bool  { return r.readAll || r.read[dept] }
func (r reach) canWrite(dept int64) bool { return r.writeAll || r.write[dept] }

// departments returns the departments the actor may read, or nil for all.
func (r reach) departments() []int64 {
	if r.readAll {
		return nil
	}
	out := make([]int64, 0, len(r.read))
	for d := range r.read {
		out = append(out, d)
	}
	return out
}
