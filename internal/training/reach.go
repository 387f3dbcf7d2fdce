package training

import (
	"slices"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// Who reads whose training, decided here for every path (lists, the completion matrix, exports,
// prints, the audit log, the desk): the plan, its courses and sessions are open to every member
// of the organisation; a person's assignments and attendance are read by the person, by those
// who oversee the organisation's training (the roles that plan it and receive its report, the
// organisation-wide security roles, auditors and platform administrators), by the holders of a
// department's security role (課長) for their department, and by those who run a course for
// its audience in their scope.

// Reach is what one actor reads of the organisation's attendance.
type Reach struct {
	All         bool            // every assignment
	Departments []int64         // the assignments of people in these departments
	Courses     map[string]bool // every assignment of these courses
	CourseDepts map[string][]int64
	StaffID     int64 // the actor's own
}

// ReachOf decides what the actor reads under the pack.
func ReachOf(who access.Actor, p *policy.Pack) Reach {
	r := Reach{StaffID: who.StaffID, Courses: map[string]bool{}, CourseDepts: map[string][]int64{}}
	if oversees(who, p) {
		r.All = true
		return r
	}
	for _, g := range who.Roles {
		if g.Scope == "department" && g.Security && !g.AllStaff {
			r.Departments = append(r.Departments, g.DepartmentID)
		}
	}
	if p != nil {
		for _, c := range p.Training.Courses {
			for _, g := range who.Roles {
				if g.RoleID != c.RunBy || c.RunBy == "" {
					continue
				}
				if g.Scope == "department" {
					r.CourseDepts[c.ID] = append(r.CourseDepts[c.ID], g.DepartmentID)
				} else {
					r.Courses[c.ID] = true
				}
			}
		}
	}
	return r
}

// oversees reports whether the actor reads every assignment of the organisation.
func oversees(who access.Actor, p *policy.Pack) bool {
	if who.IsSystem() || who.PlatformAdmin || who.IsAuditor() {
		return true
	}
	for _, g := range who.Roles {
		if g.AllStaff {
			continue
		}
		if g.Scope == "organization" && g.Security {
			return true
		}
		if p != nil && (slices.Contains(p.Training.PlannedBy, g.RoleID) || slices.Contains(p.Training.ReportTo, g.RoleID)) {
			return true
		}
	}
	return false
}

// Oversees reports whether the actor reads the completion of the whole organisation.
func Oversees(who access.Actor, p *policy.Pack) bool { return oversees(who, p) }

// Reads reports whether the reach holds one assignment.
func (r Reach) Reads(a Assignment) bool {
	switch {
	case r.All, r.StaffID != 0 && a.StaffID == r.StaffID, r.Courses[a.CourseID]:
		return true
	case slices.Contains(r.Departments, a.DepartmentID) && a.DepartmentID != 0:
		return true
	}
	return a.DepartmentID != 0 && slices.Contains(r.CourseDepts[a.CourseID], a.DepartmentID)
}

// Others reports whether the reach holds anyone's assignments but the actor's own.
func (r Reach) Others() bool {
	return r.All || len(r.Departments) > 0 || len(r.Courses) > 0 || len(r.CourseDepts) > 0
}

// where is the SQL condition (on alias a for assignments and st for staff) that keeps the
// assignments of the reach, with its arguments numbered from next.
func (r Reach) where(next int) (string, []any) {
	if r.All {
		return "1 = 1", nil
	}
	var ors []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		next++
		return "$" + strconv.Itoa(next-1)
	}
	if r.StaffID != 0 {
		ors = append(ors, "a.staff_id = "+arg(r.StaffID))
	}
	for _, d := range r.Departments {
		ors = append(ors, "st.department_id = "+arg(d))
	}
	for c := range r.Courses {
		ors = append(ors, "a.course_id = "+arg(c))
	}
	for c, ds := range r.CourseDepts {
		for _, d := range ds {
			ors = append(ors, "(a.course_id = "+arg(c)+" AND st.department_id = "+arg(d)+")")
		}
	}
	if len(ors) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}
