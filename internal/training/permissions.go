package training

import (
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// One function per act: each act calls it and refuses with its error; the pages call the same
// functions to offer the act.

// plans reports whether the actor holds a role that makes the year's plan.
func plans(who access.Actor, p *policy.Pack) bool {
	if who.IsSystem() || who.PlatformAdmin {
		return true
	}
	for _, g := range who.Roles {
		if p != nil && slices.Contains(p.Training.PlannedBy, g.RoleID) {
			return true
		}
	}
	return false
}

// runs reports whether the actor holds the role that runs the course, and in which department
// when that role is a department's (0 for the whole organisation).
func runs(who access.Actor, c policy.Course) (bool, []int64) {
	var depts []int64
	whole := false
	for _, g := range who.Roles {
		if c.RunBy == "" || g.RoleID != c.RunBy {
			continue
		}
		if g.Scope == "department" {
			depts = append(depts, g.DepartmentID)
		} else {
			whole = true
		}
	}
	if whole {
		return true, nil
	}
	return len(depts) > 0, depts
}

// MayPlan refuses an actor who may not make or refresh the year's plan, nor import attendance:
// the holders of the roles the pack names to plan training, and platform administrators.
func MayPlan(who access.Actor, p *policy.Pack) error {
	if who.ReadOnly || !plans(who, p) {
		return apperr.New(apperr.Forbidden, "training.error.not_planner")
	}
	return nil
}

// MaySchedule refuses an actor who may not add a session of the course: the planners and those
// who run the course.
func MaySchedule(who access.Actor, p *policy.Pack, c policy.Course) error {
	if who.ReadOnly {
		return apperr.New(apperr.Forbidden, "training.error.not_runner")
	}
	if plans(who, p) {
		return nil
	}
	if ok, _ := runs(who, c); ok {
		return nil
	}
	return apperr.New(apperr.Forbidden, "training.error.not_runner")
}

// MayRecord refuses an actor who may not record a person's attendance of the course: the
// planners, those who run the course over the organisation, and those who run it in a
// department for the people of that department.
func MayRecord(who access.Actor, p *policy.Pack, c policy.Course, departmentID int64) error {
	if who.ReadOnly {
		return apperr.New(apperr.Forbidden, "training.error.not_runner")
	}
	if plans(who, p) {
		return nil
	}
	ok, depts := runs(who, c)
	if ok && (depts == nil || slices.Contains(depts, departmentID)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "training.error.not_runner")
}

// MayConfirm refuses a confirmation of an e-learning module by anyone but the person assigned,
// of a course that is not e-learning, or of one already completed.
func MayConfirm(who access.Actor, a Assignment) error {
	if who.ReadOnly || who.StaffID == 0 || who.StaffID != a.StaffID {
		return apperr.New(apperr.Forbidden, "training.error.not_yours")
	}
	if a.Format != policy.FormatELearning {
		return apperr.New(apperr.Conflict, "training.error.not_elearning")
	}
	if a.CompletedOn != "" {
		return apperr.New(apperr.Conflict, "training.error.completed")
	}
	return nil
}
