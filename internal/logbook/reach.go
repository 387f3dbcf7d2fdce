package logbook

import (
	"mamori/internal/access"
	"mamori/internal/policy"
)

// Who may write and read a logbook's entries. A logbook is kept by the holders of the pack's
// kept_by role and by the staff of the department an entry belongs to (the section that keeps
// the server room, the media, the system); the security roles and auditors read them:
//
//   - auditors (any audit role) read every entry of every department and never write or
//     confirm, whatever else they hold: an auditor checks the ledger, and does not keep it;
//   - platform administrators read and write everything (demo and command-line work);
//   - holders of the kept_by role write and read: all departments, or the department of a
//     department-scoped assignment;
//   - staff write and read the entries of their own department, and holders of a department
//     role (情報セキュリティ管理者 of a 課 …) those of that department;
//   - holders of an organisation-wide role (CISO, 統括情報セキュリティ責任者, CSIRT …) read
//     every entry; they write only where one of the rules above lets them.
//
// Confirming is writing: a second person is someone who may write the entry and is not its
// writer.
type reach struct {
	readAll, writeAll bool
	read, write       map[int64]bool // department ids
}

func reachOf(who access.Actor, lb policy.Logbook) reach {
	r := reach{read: map[int64]bool{}, write: map[int64]bool{}}
	if who.PlatformAdmin {
		r.readAll, r.writeAll = true, true
		return r
	}
	auditor := who.IsAuditor()
	if auditor {
		r.readAll = true
	}
	grant := func(dept int64) {
		if dept == 0 {
			r.readAll, r.writeAll = true, true
		} else {
			r.read[dept], r.write[dept] = true, true
		}
	}
	if who.DepartmentID != 0 {
		grant(who.DepartmentID)
	}
	for _, g := range who.Roles {
		switch {
		case lb.KeptBy != "" && g.RoleID == lb.KeptBy:
			if g.Scope == "department" {
				grant(g.DepartmentID)
			} else {
				grant(0)
			}
		case g.AllStaff:
			// The role every member of staff holds widens nothing.
		case g.Scope == "organization":
			r.readAll = true
		case g.Scope == "department" && g.DepartmentID != 0:
			grant(g.DepartmentID)
		}
	}
	if auditor {
		r.writeAll, r.write = false, map[int64]bool{}
	}
	return r
}

func (r reach) canRead(dept int64) bool  { return r.readAll || r.read[dept] || r.canWrite(dept) }
func (r reach) canWrite(dept int64) bool { return r.writeAll || r.write[dept] }

// writesAny reports whether the actor may write in some department.
func (r reach) writesAny() bool { return r.writeAll || len(r.write) > 0 }

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

// CanWrite reports whether the actor may write an entry of the logbook for the department.
func CanWrite(who access.Actor, lb policy.Logbook, dept int64) bool {
	return reachOf(who, lb).canWrite(dept)
}

// CanWriteAny reports whether the actor may write in the logbook for some department.
func CanWriteAny(who access.Actor, lb policy.Logbook) bool { return reachOf(who, lb).writesAny() }

// WritableDepartments filters ids to those the actor may write the logbook's entries for.
func WritableDepartments(who access.Actor, lb policy.Logbook, ids []int64) []int64 {
	r := reachOf(who, lb)
	var out []int64
	for _, id := range ids {
		if r.canWrite(id) {
			out = append(out, id)
		}
	}
	return out
}

// CanConfirm reports whether the actor may confirm the entry as its second person.
func CanConfirm(who access.Actor, lb policy.Logbook, e Entry) bool {
	return e.Status == Pending && e.SupersededBy == 0 && !sameWriter(who, e) && reachOf(who, lb).canWrite(e.DepartmentID)
}

// sameWriter reports whether the actor wrote the entry: the same user, the same member of staff
// under another login, or (for the program itself) the same name.
func sameWriter(who access.Actor, e Entry) bool {
	switch {
	case who.UserID != 0 && who.UserID == e.WrittenByUser:
		return true
	case who.StaffID != 0 && who.StaffID == e.WrittenByStaff:
		return true
	case who.UserID == 0 && e.WrittenByUser == 0 && login(who) == e.WrittenBy:
		return true
	}
	return false
}

func login(who access.Actor) string {
	if who.Login == "" {
		return "system"
	}
	return who.Login
}
