package web

import (
	"net/http"

	"mamori/internal/schedule"
)

// jobs shows the platform administrators the recent runs of the background jobs, the errors of
// those that failed included.
func (w *Server) jobs(rw http.ResponseWriter, r *http.Request) error {
	runs, err := w.s.Jobs.Runs(r.Context(), stateOf(r).who, "", 200)
	if err != nil {
		return err
	}
	p := w.newPage(r, "jobs.title", "jobs")
	p.Crumbs = []crumb{{p.T("users.title"), "/users"}}
	p.Data = jobsData{Runs: runs}
	w.render(rw, r, http.StatusOK, "jobs", p)
	return nil
}

type jobsData struct {
	Runs []schedule.Run
}
