package web

import (
	"net/http"

	"mamori/internal/auditlog"
	"mamori/internal/desk"
	"mamori/internal/incident"
	"mamori/internal/logbook"
	"mamori/internal/policy"
)

// The home page is the person's desk (desk.Desk): what waits for them and what they own, and
// for those who watch the whole organisation its state at a glance. Platform administrators
// also keep the counts of departments, staff and users they look after.

type homeData struct {
	Today   string
	SignIns auditlog.SignInSummary
	Desk    desk.Desk
	// What the pack names: the parties of each checklist step, the logbook of each entry.
	Steps         []deskStep
	Confirmations []deskEntry
	Overview      *overviewView
	// The platform administrator's counts.
	Admin                     bool
	Departments, Staff, Users int
}

// deskStep is a checklist step with its parties' names.
type deskStep struct {
	incident.ChecklistStep
	FromName string
}

// deskEntry is a logbook entry with its logbook's name.
type deskEntry struct {
	logbook.Entry
	LogbookName string
}

func (w *Server) home(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	p := w.newPage(r, "home.title", "home")
	d := homeData{Today: p.Date(w.s.Now()), Admin: who.CanAdminister()}
	var err error
	if d.SignIns, err = w.s.Audit.SignIns(ctx, who); err != nil {
		return err
	}
	if d.Admin {
		c, err := w.s.Org.Count(ctx, who)
		if err != nil {
			return err
		}
		d.Departments, d.Staff = c.Departments, c.Staff
		if d.Users, err = w.s.Auth.CountUsers(ctx, who); err != nil {
			return err
		}
	}
	if d.Desk, err = w.s.Desks.For(ctx, who); err != nil {
		return err
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	d.Steps, d.Confirmations = deskNames(pack, d.Desk)
	if o := d.Desk.Overview; o != nil {
		d.Overview = newOverview(p, *o)
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "home", p)
	return nil
}

// deskNames gives the desk's steps and entries the names the pack has for them.
func deskNames(pack *policy.Compiled, d desk.Desk) ([]deskStep, []deskEntry) {
	steps := make([]deskStep, len(d.Steps.Items))
	for i, n := range d.Steps.Items {
		steps[i] = deskStep{ChecklistStep: n, FromName: n.From}
		if pack != nil {
			if c, ok := pack.Contact(n.From); ok {
				steps[i].FromName = c.Name
			}
		}
	}
	entries := make([]deskEntry, len(d.Confirmations.Items))
	for i, e := range d.Confirmations.Items {
		entries[i] = deskEntry{Entry: e, LogbookName: e.Logbook}
		if pack != nil {
			if lb, ok := logbook.Find(pack, e.Logbook); ok {
				entries[i].LogbookName = lb.Name
			}
		}
	}
	return steps, entries
}
