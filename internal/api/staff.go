package api

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/org"
)

// newStaffRequest registers a staff member (職員等); a new one is always active.
type newStaffRequest struct {
	DepartmentID int64  `json:"department_id"`
	EmployeeNo   string `json:"employee_no"`
	Name         string `json:"name"`
	Kana         string `json:"kana"`
	Title        string `json:"title"`
	Employment   string `json:"employment"`
	Email        string `json:"email"`
}

// staffRequest replaces a staff member's details; Active must be given.
type staffRequest struct {
	newStaffRequest
	Active *bool `json:"active"`
}

func (in newStaffRequest) input() org.StaffInput {
	return org.StaffInput{DepartmentID: in.DepartmentID, EmployeeNo: in.EmployeeNo, Name: in.Name, Kana: in.Kana,
		Title: in.Title, Employment: in.Employment, Email: in.Email}
}

func (a *api) listStaff(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	dept, err := queryID(r, "department_id")
	if err != nil {
		return err
	}
	staff, total, err := a.s.Org.ListStaff(r.Context(), actor(r), org.StaffFilter{DepartmentID: dept,
		Query: r.URL.Query().Get("q"), Limit: p.limit, Offset: p.offset})
	if err != nil {
		return err
	}
	return writeList(w, r, p, staff, total)
}

func (a *api) createStaff(w http.ResponseWriter, r *http.Request) error {
	var in newStaffRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	st, err := a.s.Org.CreateStaff(r.Context(), actor(r), in.input())
	if err != nil {
		return err
	}
	return created(w, "/api/v1/staff/"+strconv.FormatInt(st.ID, 10), st)
}

func (a *api) getStaff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := a.s.Org.StaffMember(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, st)
}

func (a *api) updateStaff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in staffRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if in.Active == nil {
		return apperr.InvalidField("active", "error.required")
	}
	si := in.input()
	si.Active = *in.Active
	st, err := a.s.Org.UpdateStaff(r.Context(), actor(r), id, si)
	if err != nil {
		return err
	}
	return ok(w, st)
}
