package api

import (
	"net/http"

	"mamori/internal/org"
)

// roleAssignmentRequest says who holds a pack role (and who acts for them, 代行), over which
// scope and for which period.
type roleAssignmentRequest struct {
	RoleID        string `json:"role_id"`
	Scope         string `json:"scope"` // organization, department or system
	DepartmentID  int64  `json:"department_id"`
	SystemRef     string `json:"system_ref"`
	HolderStaffID int64  `json:"holder_staff_id"`
	ActingStaffID int64  `json:"acting_staff_id"`
	ValidFrom     string `json:"valid_from"` // YYYY-MM-DD, inclusive; absent for open
	ValidTo       string `json:"valid_to"`   // YYYY-MM-DD, inclusive; absent for open
}

func (a *api) listRoleAssignments(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	roles, err := a.s.Org.Roles(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(roles, p), len(roles))
}

func (a *api) createRoleAssignment(w http.ResponseWriter, r *http.Request) error {
	var in roleAssignmentRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	ra, err := a.s.Org.AssignRole(r.Context(), actor(r), org.RoleAssignment{RoleID: in.RoleID, Scope: in.Scope,
		DepartmentID: in.DepartmentID, SystemRef: in.SystemRef, HolderStaffID: in.HolderStaffID,
		ActingStaffID: in.ActingStaffID, ValidFrom: in.ValidFrom, ValidTo: in.ValidTo})
	if err != nil {
		return err
	}
	return created(w, "", ra)
}
