package web

import (
	"net/http"

	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/transfer"
)

type rolesData struct {
	Pack     *policy.Compiled
	Holdings []org.RoleHolding
	Staff    []org.Staff
	Tree     []org.Department
	Today    string
	// Vacancies are the roles left without a holder, by a move or by hand.
	Vacancies []transfer.Vacancy
}

// roles lists who holds which of the pack's roles and lets administrators assign them.
func (w *Server) roles(rw http.ResponseWriter, r *http.Request) error {
	return w.renderRoles(rw, r, http.StatusOK, nil)
}

func (w *Server) renderRoles(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	d := rolesData{Today: today(w.s.Now())}
	p, _, e := w.s.Policy.Active(ctx, who.OrgID)
	if e != nil && apperr.CodeOf(e) != apperr.NotFound {
		return e
	}
	d.Pack = p
	var e2 error
	if d.Holdings, e2 = w.s.Org.Holdings(ctx, who, d.Today); e2 != nil {
		return e2
	}
	if d.Staff, _, e2 = w.s.Org.ListStaff(ctx, who, org.StaffFilter{Limit: 500}); e2 != nil {
		return e2
	}
	if d.Tree, e2 = w.s.Org.Tree(ctx, who); e2 != nil {
		return e2
	}
	if d.Vacancies, e2 = w.s.Transfers.Vacancies(ctx, who, d.Today); e2 != nil {
		return e2
	}
	page := w.newPage(r, "roles.title", "roles")
	if err != nil {
		page.withErrors(err)
	}
	page.Data = d
	w.render(rw, r, status, "roles", page)
	return nil
}

func (w *Server) roleAssign(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	var v apperr.Validation
	f := r.PostForm
	in := org.RoleAssignment{RoleID: f.Get("role_id"), DepartmentID: formID(&v, r, "department_id"), SystemRef: f.Get("system_ref"),
		HolderStaffID: formID(&v, r, "holder_staff_id"), ActingStaffID: formID(&v, r, "acting_staff_id"),
		ValidFrom: f.Get("valid_from"), ValidTo: f.Get("valid_to")}
	// The scope is the pack's: the form does not ask for it.
	if p, _, err := w.s.Policy.Active(ctx, who.OrgID); err == nil {
		if role, ok := p.Role(in.RoleID); ok {
			in.Scope = role.Scope
		}
	}
	if in.Scope == "" {
		in.Scope = f.Get("scope")
	}
	err := v.Err()
	if err == nil {
		_, err = w.s.Org.AssignRole(ctx, who, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.renderRoles(rw, r, status, err) }, "/roles", "roles.assigned")
}

func (w *Server) roleEnd(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if !w.confirmed(rw, r, "roles.end.title", "roles.end.confirm", "/roles") {
		return nil
	}
	// Ending now means the last day held was yesterday: from today the role is not current.
	day := r.PostForm.Get("valid_to")
	if day == "" {
		day = today(w.s.Now().AddDate(0, 0, -1))
	}
	if err := w.s.Org.EndRole(r.Context(), stateOf(r).who, id, day); err != nil {
		return err
	}
	return w.redirect(rw, r, "/roles", "roles.ended")
}
