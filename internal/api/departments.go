package api

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/org"
)

// newDepartmentRequest creates a department; a new one is always active.
type newDepartmentRequest struct {
	ParentID  int64  `json:"parent_id"` // 0 or absent for a top-level unit
	Code      string `json:"code"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	SortOrder int    `json:"sort_order"`
}

// departmentRequest replaces a department. Active must be given, so that leaving it out cannot
// deactivate a department by accident.
type departmentRequest struct {
	newDepartmentRequest
	Active *bool `json:"active"`
}

func (in newDepartmentRequest) input() org.DepartmentInput {
	return org.DepartmentInput{ParentID: in.ParentID, Code: in.Code, Name: in.Name, Kind: in.Kind, SortOrder: in.SortOrder}
}

func (a *api) listDepartments(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	tree, err := a.s.Org.Tree(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(tree, p), len(tree))
}

func (a *api) createDepartment(w http.ResponseWriter, r *http.Request) error {
	var in newDepartmentRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	d, err := a.s.Org.CreateDepartment(r.Context(), actor(r), in.input())
	if err != nil {
		return err
	}
	return created(w, "/api/v1/departments/"+strconv.FormatInt(d.ID, 10), d)
}

func (a *api) getDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := a.s.Org.Department(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, d)
}

func (a *api) updateDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in departmentRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if in.Active == nil {
		return apperr.InvalidField("active", "error.required")
	}
	di := in.input()
	di.Active = *in.Active
	d, err := a.s.Org.UpdateDepartment(r.Context(), actor(r), id, di)
	if err != nil {
		return err
	}
	return ok(w, d)
}
