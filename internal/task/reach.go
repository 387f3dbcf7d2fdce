package task

import (
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Who reads a task, decided here for every path (list, detail, calendar, export, print, the
// audit log, the desk, notices): the holders of its role in its scope (acting holders
// included), the holders of an organisation-wide security role, and the auditors. Others do
// not see it, nor learn that it exists.

// watches reports whether the actor reads every task of the organisation.
func watches(who access.Actor) bool {
	if who.IsSystem() || who.IsAuditor() {
		return true
	}
	for _, g := range who.Roles {
		if g.Scope == "organization" && g.Security && !g.AllStaff {
			return true
		}
	}
	return false
}

// Watches reports whether the actor reads every task of the organisation (the calendar of the
// whole organisation is theirs).
func Watches(who access.Actor) bool { return watches(who) }

// holds reports whether the actor holds the task's role in its scope today.
func holds(who access.Actor, t Task) bool {
	if who.IsSystem() {
		return false
	}
	for _, g := range who.Roles {
		if g.RoleID == t.RoleID && grantKey(g) == scopeKey(t.DepartmentID, t.SystemRef) {
			return true
		}
	}
	return false
}

func grantKey(g access.Grant) string {
	switch g.Scope {
	case "department":
		return scopeKey(g.DepartmentID, "")
	case "system":
		return scopeKey(0, g.SystemRef)
	}
	return ""
}

// Readable reports whether the actor reads the task.
func Readable(who access.Actor, t Task) bool { return watches(who) || holds(who, t) }

// MayComplete refuses, with the reason, an actor who may not close the task: only a holder of
// its role in its scope closes it, and only while it is open.
func MayComplete(who access.Actor, t Task) error {
	if who.ReadOnly || !holds(who, t) {
		return apperr.New(apperr.Forbidden, "tasks.error.not_holder")
	}
	if t.State != Open {
		return apperr.New(apperr.Conflict, "tasks.error.closed")
	}
	return nil
}

// readWhere is the SQL condition (on alias t) that keeps the tasks the actor reads, with its
// arguments numbered from next; all is true when the actor reads every task.
func readWhere(who access.Actor, next int) (cond string, args []any, all bool) {
	if watches(who) {
		return "", nil, true
	}
	c, a := holderWhere(who, next)
	return c, a, false
}

// holderWhere is the SQL condition (on alias t) that keeps the tasks whose role the actor
// holds in their scope.
func holderWhere(who access.Actor, next int) (string, []any) {
	var ors []string
	var args []any
	if who.IsSystem() {
		return "1 = 0", nil
	}
	for _, g := range who.Roles {
		ors = append(ors, "(t.role_id = $"+itoa(next)+" AND t.scope_key = $"+itoa(next+1)+")")
		args = append(args, g.RoleID, grantKey(g))
		next += 2
	}
	if len(ors) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}
