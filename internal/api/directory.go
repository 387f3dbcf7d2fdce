package api

import (
	"net/http"

	"mamori/internal/directory"
)

// getDirectorySettings answers the organisation's directory settings (administrators).
func (a *api) getDirectorySettings(w http.ResponseWriter, r *http.Request) error {
	st, err := a.s.Directory.Settings(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return ok(w, st)
}

// putDirectorySettings replaces them whole; version is the one read, so that two
// administrators' edits do not overwrite each other.
func (a *api) putDirectorySettings(w http.ResponseWriter, r *http.Request) error {
	var in directory.SettingsInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	st, err := a.s.Directory.SaveSettings(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return ok(w, st)
}
