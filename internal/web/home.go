package web

import (
	"net/http"

	"mamori/internal/auditlog"
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
	c, err := w.s.Org.Count(ctx, who)
	if err != nil {
		return err
	}
	d.Departments, d.Staff = c.Departments, c.Staff
	if who.CanAdminister() {
		if d.Users, err = w.s.Auth.CountUsers(ctx, who); err != nil {
			return err
		}
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
