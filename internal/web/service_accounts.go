package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// serviceAccountFormData is the pack's roles, those already ticked, and the departments a role
// may be limited to.
type serviceAccountFormData struct {
	Roles  []policy.Role
	Chosen map[string]bool
	Tree   []org.Department
}

// serviceAccountForm shows the form for an integration's login: name, the pack roles it holds,
// and for roles per department or per system the department or system.
func (w *Server) serviceAccountForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	if !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var roles []policy.Role
	if p, _, e := w.s.Policy.Active(ctx, who.OrgID); e == nil {
		roles = p.Roles
	} else if apperr.CodeOf(e) != apperr.NotFound {
		return e
	}
	tree, e := w.s.Org.Tree(ctx, who)
	if e != nil {
		return e
	}
	p := w.newPage(r, "users.service.new.title", "users")
	p.Crumbs = []crumb{{p.T("users.title"), "/users"}}
	if err != nil {
		p.withErrors(err)
	}
	chosen := map[string]bool{}
	for _, id := range r.PostForm["role"] {
		chosen[id] = true
	}
	p.Data = serviceAccountFormData{Roles: roles, Chosen: chosen, Tree: tree}
	w.render(rw, r, status, "service_account_new", p)
	return nil
}

// serviceRoleView is a role a service account holds, named as the pack names it, with the
// department it is limited to by name.
type serviceRoleView struct {
	auth.ServiceRole
	Name       string
	Department string
}

// serviceRoles returns the roles of a service account for its page.
func (w *Server) serviceRoles(r *http.Request, id int64) ([]serviceRoleView, error) {
	ctx, who := r.Context(), stateOf(r).who
	roles, err := w.s.Auth.ServiceRoles(ctx, who, id)
	if err != nil {
		return nil, err
	}
	p, _, err := w.s.Policy.Active(ctx, who.OrgID)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return nil, err
	}
	depts := map[int64]string{}
	if tree, err := w.s.Org.Tree(ctx, who); err == nil {
		for _, d := range tree {
			depts[d.ID] = d.Name
		}
	} else {
		return nil, err
	}
	out := make([]serviceRoleView, len(roles))
	for i, sr := range roles {
		out[i] = serviceRoleView{ServiceRole: sr, Name: sr.RoleID, Department: depts[sr.DepartmentID]}
		if p != nil {
			out[i].Name = p.RoleName(sr.RoleID)
		}
	}
	return out, nil
}

func (w *Server) serviceAccountNewForm(rw http.ResponseWriter, r *http.Request) error {
	return w.serviceAccountForm(rw, r, http.StatusOK, nil)
}

func (w *Server) serviceAccountCreate(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	var v apperr.Validation
	f := r.PostForm
	dept := formID(&v, r, "department_id")
	in := auth.NewServiceAccount{Login: f.Get("login"), DisplayName: f.Get("display_name"), PlatformAdmin: f.Get("platform_admin") == "on"}
	p, _, perr := w.s.Policy.Active(ctx, who.OrgID)
	for _, id := range f["role"] {
		role := auth.ServiceRole{RoleID: id}
		if perr == nil {
			if pr, ok := p.Role(id); ok {
				role.Scope = pr.Scope
			}
		}
		switch role.Scope {
		case "department":
			role.DepartmentID = dept
		case "system":
			role.SystemRef = f.Get("system_ref")
		}
		in.Roles = append(in.Roles, role)
	}
	err := v.Err()
	var u auth.User
	if err == nil {
		u, err = w.s.Auth.CreateServiceAccount(ctx, who, in)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.serviceAccountForm(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/users/"+strconv.FormatInt(u.ID, 10), "users.service.created")
}
