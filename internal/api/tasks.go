package api

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/task"
)

// listTasks lists the tasks of recurring duties the caller reads, soonest due first: status
// (overdue, current, upcoming, done), year (fiscal year, from April), role, mine=true for the
// tasks the caller holds.
func (a *api) listTasks(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := task.Filter{Status: q.Get("status"), Role: q.Get("role"), Mine: isTrue(q.Get("mine")), Limit: p.limit, Offset: p.offset}
	if y := q.Get("year"); y != "" {
		if f.FiscalYear, err = strconv.Atoi(y); err != nil || f.FiscalYear < 1900 || f.FiscalYear > 9999 {
			return apperr.InvalidField("year", "tasks.error.year")
		}
	}
	items, total, err := a.s.Tasks.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, items, total)
}

func (a *api) getTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := a.s.Tasks.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// taskCompletion is the body that closes a task: the evidence its duty names.
type taskCompletion struct {
	Note           string `json:"note,omitempty"`             // what was done; required when the evidence is a note
	LogbookEntryID int64  `json:"logbook_entry_id,omitempty"` // evidence: logbook
	Ticked         []int  `json:"ticked,omitempty"`           // evidence: checklist — the indexes of the items ticked, from 0
	FileName       string `json:"file_name,omitempty"`        // evidence: file — its name, whose extension gives its type
	FileBase64     string `json:"file_base64,omitempty"`      // evidence: file — its bytes, base64
}

func (a *api) completeTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req taskCompletion
	if err := a.decode(w, r, &req); err != nil {
		return err
	}
	in := task.Completion{Note: req.Note, LogbookEntryID: req.LogbookEntryID, Ticked: req.Ticked}
	if req.FileBase64 != "" || req.FileName != "" {
		body, err := base64.StdEncoding.DecodeString(req.FileBase64)
		if err != nil {
			return apperr.InvalidField("file_base64", "tasks.error.file")
		}
		in.File = &task.Upload{Name: req.FileName, Body: body}
	}
	t, err := a.s.Tasks.Complete(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// taskFile sends the file that closed a task, checked against its SHA-256.
func (a *api) taskFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, body, err := a.s.Tasks.FileBody(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	download(w, f.ContentType, f.Name, body)
	return nil
}
