package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/org"
)

func (w *Server) departments(rw http.ResponseWriter, r *http.Request) error {
	tree, err := w.s.Org.Tree(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "departments.title", "departments")
	p.Data = departmentsData{Tree: tree, MayKeep: org.MayKeepDepartments(stateOf(r).who)}
	w.render(rw, r, http.StatusOK, "departments", p)
	return nil
}

type departmentsData struct {
	Tree    []org.Department
	MayKeep bool // may add and change departments (org.MayKeepDepartments)
}

type departmentForm struct {
	ID    int64
	Tree  []org.Department
	Kinds []string
}

func (w *Server) departmentForm(rw http.ResponseWriter, r *http.Request, status int, id int64, err error) error {
	who := stateOf(r).who
	if !org.MayKeepDepartments(who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	tree, e := w.s.Org.Tree(r.Context(), who)
	if e != nil {
		return e
	}
	title := "departments.new.title"
	if id != 0 {
		title = "departments.edit.title"
	}
	p := w.newPage(r, title, "departments")
	p.Crumbs = []crumb{{p.T("departments.title"), "/departments"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = departmentForm{ID: id, Tree: tree, Kinds: org.DepartmentKinds}
	w.render(rw, r, status, "department_form", p)
	return nil
}

func (w *Server) departmentNewForm(rw http.ResponseWriter, r *http.Request) error {
	r.PostForm = map[string][]string{"kind": {"section"}, "parent_id": {r.URL.Query().Get("parent")}}
	return w.departmentForm(rw, r, http.StatusOK, 0, nil)
}

func (w *Server) departmentEditForm(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := w.s.Org.Department(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	r.PostForm = map[string][]string{
		"parent_id": {strconv.FormatInt(d.ParentID, 10)}, "code": {d.Code}, "name": {d.Name}, "kind": {d.Kind},
		"sort_order": {strconv.Itoa(d.SortOrder)}, "active": {checkbox(d.Active)},
	}
	return w.departmentForm(rw, r, http.StatusOK, id, nil)
}

func checkbox(b bool) string {
	if b {
		return "on"
	}
	return ""
}

func departmentInput(r *http.Request) (org.DepartmentInput, error) {
	var v apperr.Validation
	in := org.DepartmentInput{ParentID: formID(&v, r, "parent_id"), Code: r.PostForm.Get("code"), Name: r.PostForm.Get("name"),
		Kind: r.PostForm.Get("kind"), SortOrder: formInt(&v, r, "sort_order"), Active: r.PostForm.Get("active") == "on"}
	return in, v.Err()
}

func (w *Server) departmentCreate(rw http.ResponseWriter, r *http.Request) error {
	in, err := departmentInput(r)
	if err == nil {
		_, err = w.s.Org.CreateDepartment(r.Context(), stateOf(r).who, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.departmentForm(rw, r, status, 0, err) }, "/departments", "departments.created")
}

func (w *Server) departmentUpdate(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := departmentInput(r)
	if err == nil {
		_, err = w.s.Org.UpdateDepartment(r.Context(), stateOf(r).who, id, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.departmentForm(rw, r, status, id, err) }, "/departments", "departments.updated")
}
