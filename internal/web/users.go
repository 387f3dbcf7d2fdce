package web

import (
	"net/http"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/org"
)

func (w *Server) users(rw http.ResponseWriter, r *http.Request) error {
	users, err := w.s.Auth.ListUsers(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "users.title", "users")
	p.Data = users
	w.render(rw, r, http.StatusOK, "users", p)
	return nil
}

// userNewData is the form for a new account with the staff it may belong to.
type userNewData struct {
	Staff []org.Staff
}

func (w *Server) userForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	who := stateOf(r).who
	if !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	staff, _, e := w.s.Org.ListStaff(r.Context(), who, org.StaffFilter{Limit: 500})
	if e != nil {
		return e
	}
	p := w.newPage(r, "users.new.title", "users")
	p.Crumbs = []crumb{{p.T("users.title"), "/users"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = userNewData{Staff: staff}
	w.render(rw, r, status, "user_new", p)
	return nil
}

func (w *Server) userNewForm(rw http.ResponseWriter, r *http.Request) error {
	return w.userForm(rw, r, http.StatusOK, nil)
}

func (w *Server) userCreate(rw http.ResponseWriter, r *http.Request) error {
	var v apperr.Validation
	in := auth.NewUser{Login: r.PostForm.Get("login"), DisplayName: r.PostForm.Get("display_name"),
		StaffID: formID(&v, r, "staff_id"), PlatformAdmin: r.PostForm.Get("platform_admin") == "on", Lang: r.PostForm.Get("lang")}
	err := v.Err()
	var u auth.User
	var pw string
	if err == nil {
		u, pw, err = w.s.Auth.CreateUser(r.Context(), stateOf(r).who, in)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.userForm(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.showTemporaryPassword(rw, r, u, pw, "users.created")
}

// tempPasswordData is an account with its temporary password, shown this once.
type tempPasswordData struct {
	User     auth.User
	Password string
}

func (w *Server) showTemporaryPassword(rw http.ResponseWriter, r *http.Request, u auth.User, pw, noticeKey string) error {
	p := w.newPage(r, "users.temp.title", "users")
	p.Crumbs = []crumb{{p.T("users.title"), "/users"}}
	p.Flash = noticeKey
	p.Data = tempPasswordData{User: u, Password: pw}
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, http.StatusOK, "temp_password", p)
	return nil
}

func (w *Server) userDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.renderUserDetail(rw, r, http.StatusOK, nil)
}

// userDetailData is an account's page: its staff record, a service account's roles and the
// account's API tokens with the token form's day limits.
type userDetailData struct {
	User        auth.User
	Staff       *org.Staff
	Self        bool
	Tokens      []auth.APIToken
	Roles       []serviceRoleView
	DefaultDays int
	MaxDays     int
}

// renderUserDetail shows an account with its API tokens (and a service account's roles); err
// holds the token form's errors.
func (w *Server) renderUserDetail(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	id, e := pathID(r)
	if e != nil {
		return e
	}
	ctx, who := r.Context(), stateOf(r).who
	u, e := w.s.Auth.User(ctx, who, id)
	if e != nil {
		return e
	}
	var staff *org.Staff
	if u.StaffID != 0 {
		st, e := w.s.Org.StaffMember(ctx, who, u.StaffID)
		if e != nil {
			return e
		}
		staff = &st
	}
	tokens, e := w.s.Auth.Tokens(ctx, who, id)
	if e != nil {
		return e
	}
	var roles []serviceRoleView
	if u.ServiceAccount {
		if roles, e = w.serviceRoles(r, id); e != nil {
			return e
		}
	}
	p := w.newPage(r, "users.detail.title", "users")
	p.Crumbs = []crumb{{p.T("users.title"), "/users"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = userDetailData{User: u, Staff: staff, Self: u.ID == who.UserID, Tokens: tokens, Roles: roles,
		DefaultDays: auth.DefaultTokenDays, MaxDays: auth.MaxTokenDays}
	w.render(rw, r, status, "user_detail", p)
	return nil
}

func (w *Server) userAction(rw http.ResponseWriter, r *http.Request, title, message string, act func(id int64) error, notice string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	back := "/users/" + r.PathValue("id")
	if !stateOf(r).who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if !w.confirmed(rw, r, title, message, back) {
		return nil
	}
	if err := act(id); err != nil {
		return err
	}
	return w.redirect(rw, r, back, notice)
}

func (w *Server) userUnlock(rw http.ResponseWriter, r *http.Request) error {
	who := stateOf(r).who
	return w.userAction(rw, r, "users.unlock.title", "users.unlock.confirm",
		func(id int64) error { return w.s.Auth.Unlock(r.Context(), who, id) }, "users.unlocked")
}

func (w *Server) userDisable(rw http.ResponseWriter, r *http.Request) error {
	who := stateOf(r).who
	return w.userAction(rw, r, "users.disable.title", "users.disable.confirm",
		func(id int64) error { return w.s.Auth.SetDisabled(r.Context(), who, id, true) }, "users.disabled")
}

func (w *Server) userEnable(rw http.ResponseWriter, r *http.Request) error {
	who := stateOf(r).who
	return w.userAction(rw, r, "users.enable.title", "users.enable.confirm",
		func(id int64) error { return w.s.Auth.SetDisabled(r.Context(), who, id, false) }, "users.enabled")
}

func (w *Server) userResetPassword(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who := stateOf(r).who
	if !who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if !w.confirmed(rw, r, "users.reset.title", "users.reset.confirm", "/users/"+r.PathValue("id")) {
		return nil
	}
	pw, err := w.s.Auth.ResetPassword(r.Context(), who, id)
	if err != nil {
		return err
	}
	u, err := w.s.Auth.User(r.Context(), who, id)
	if err != nil {
		return err
	}
	return w.showTemporaryPassword(rw, r, u, pw, "users.reset_done")
}
