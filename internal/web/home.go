package web

import (
	"net/http"

	"mamori/internal/auditlog"
	"mamori/internal/org"
)

type homeData struct {
	Departments int
	Staff       int
	Users       int
	Today       string
	SignIns     auditlog.SignInSummary
}

func (w *Server) home(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	var d homeData
	tree, err := w.s.Org.Tree(ctx, who)
	if err != nil {
		return err
	}
	d.Departments = len(tree)
	if _, n, err := w.s.Org.ListStaff(ctx, who, org.StaffFilter{Limit: 1}); err == nil {
		d.Staff = n
	} else {
		return err
	}
	if who.CanAdminister() {
		users, err := w.s.Auth.ListUsers(ctx, who)
		if err != nil {
			return err
		}
		d.Users = len(users)
	}
	if d.SignIns, err = w.s.Audit.SignIns(ctx, who); err != nil {
		return err
	}
	p := w.newPage(r, "home.title", "home")
	d.Today = p.Date(w.s.Now())
	p.Data = d
	w.render(rw, r, http.StatusOK, "home", p)
	return nil
}
