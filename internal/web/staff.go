package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/transfer"
)

const staffPageSize = 50

// staffListData is a page of the staff register with the departments to filter by.
type staffListData struct {
	Staff []org.Staff
	Tree  []org.Department
	Pager pager
}

// staffFormData is the form for a staff member, new when ID is 0.
type staffFormData struct {
	ID         int64
	Tree       []org.Department
	Employment []string
	// Moves are the member of staff's 人事異動, newest first (those pending first).
	Moves []transfer.HistoryItem
}

func (w *Server) staffList(rw http.ResponseWriter, r *http.Request) error {
	who := stateOf(r).who
	q := r.URL.Query()
	dept, _ := strconv.ParseInt(q.Get("department_id"), 10, 64)
	page, offset := pageQuery(r, staffPageSize)
	list, total, err := w.s.Org.ListStaff(r.Context(), who, org.StaffFilter{DepartmentID: dept, Query: q.Get("q"), Limit: staffPageSize, Offset: offset})
	if err != nil {
		return err
	}
	tree, err := w.s.Org.Tree(r.Context(), who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "staff.title", "staff")
	p.Form = q
	p.Data = staffListData{Staff: list, Tree: tree, Pager: newPager(r, page, staffPageSize, total)}
	w.render(rw, r, http.StatusOK, "staff", p)
	return nil
}

func (w *Server) staffForm(rw http.ResponseWriter, r *http.Request, status int, id int64, err error) error {
	who := stateOf(r).who
	if !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	tree, e := w.s.Org.Tree(r.Context(), who)
	if e != nil {
		return e
	}
	title := "staff.new.title"
	if id != 0 {
		title = "staff.edit.title"
	}
	p := w.newPage(r, title, "staff")
	p.Crumbs = []crumb{{p.T("staff.title"), "/staff"}}
	if err != nil {
		p.withErrors(err)
	}
	d := staffFormData{ID: id, Tree: tree, Employment: org.EmploymentTypes}
	if id != 0 && transfer.MayRead(who) {
		if d.Moves, e = w.s.Transfers.History(r.Context(), who, id); e != nil {
			return e
		}
	}
	p.Data = d
	w.render(rw, r, status, "staff_form", p)
	return nil
}

func (w *Server) staffNewForm(rw http.ResponseWriter, r *http.Request) error {
	r.PostForm = map[string][]string{"employment": {"regular"}}
	return w.staffForm(rw, r, http.StatusOK, 0, nil)
}

func (w *Server) staffEditForm(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := w.s.Org.StaffMember(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	r.PostForm = map[string][]string{
		"department_id": {strconv.FormatInt(st.DepartmentID, 10)}, "employee_no": {st.EmployeeNo}, "name": {st.Name},
		"kana": {st.Kana}, "title": {st.Title}, "employment": {st.Employment}, "email": {st.Email}, "active": {checkbox(st.Active)},
	}
	return w.staffForm(rw, r, http.StatusOK, id, nil)
}

func staffInput(r *http.Request) (org.StaffInput, error) {
	var v apperr.Validation
	f := r.PostForm
	in := org.StaffInput{DepartmentID: formID(&v, r, "department_id"), EmployeeNo: f.Get("employee_no"), Name: f.Get("name"),
		Kana: f.Get("kana"), Title: f.Get("title"), Employment: f.Get("employment"), Email: f.Get("email"), Active: f.Get("active") == "on"}
	return in, v.Err()
}

func (w *Server) staffCreate(rw http.ResponseWriter, r *http.Request) error {
	in, err := staffInput(r)
	if err == nil {
		_, err = w.s.Org.CreateStaff(r.Context(), stateOf(r).who, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.staffForm(rw, r, status, 0, err) }, "/staff", "staff.created")
}

func (w *Server) staffUpdate(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := staffInput(r)
	if err == nil {
		_, err = w.s.Org.UpdateStaff(r.Context(), stateOf(r).who, id, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.staffForm(rw, r, status, id, err) }, "/staff", "staff.updated")
}
