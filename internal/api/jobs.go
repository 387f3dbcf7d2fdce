package api

import "net/http"

// listJobRuns answers the runs of the background jobs, for the platform administrators.
func (a *api) listJobRuns(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	runs, err := a.s.Jobs.Runs(r.Context(), actor(r), r.URL.Query().Get("job"), maxLimit)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(runs, p), len(runs))
}
