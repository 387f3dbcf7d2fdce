package api

import (
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/logbook"
	"mamori/internal/policy"
)

// logbookInfo is a pack logbook as the API lists it: its fields and citation, and whether the
// caller may write in it.
type logbookInfo struct {
	policy.Logbook
	RoomAccess bool `json:"room_access"` // visitors must be escorted (visitor, escort_staff_id)
	CanWrite   bool `json:"can_write"`
}

func (a *api) listLogbooks(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	p, err := a.s.Logbooks.Pack(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	out := make([]logbookInfo, 0, len(p.Logbooks))
	for _, lb := range p.Logbooks {
		out = append(out, logbookInfo{Logbook: lb, RoomAccess: logbook.IsRoomAccess(lb), CanWrite: logbook.CanWriteAny(actor(r), lb)})
	}
	from := min(pg.offset, len(out))
	return writeList(w, r, pg, out[from:min(from+pg.limit, len(out))], len(out))
}

// listLogbookEntries lists a logbook's entries, newest first: from and to (JST dates),
// department_id, unconfirmed=true, history=true (corrected entries too), q (words).
func (a *api) listLogbookEntries(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	dept, err := queryID(r, "department_id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := logbook.Filter{Logbook: r.PathValue("logbook"), From: q.Get("from"), To: q.Get("to"), DepartmentID: dept, Query: q.Get("q"),
		Unconfirmed: isTrue(q.Get("unconfirmed")), History: isTrue(q.Get("history")), Limit: p.limit, Offset: p.offset}
	items, total, err := a.s.Logbooks.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, items, total)
}

func isTrue(s string) bool { return s == "1" || strings.EqualFold(s, "true") }

// logbookEntryRequest is the body of a new entry.
type logbookEntryRequest struct {
	DepartmentID  int64          `json:"department_id,omitempty"` // absent: the token holder's department
	Fields        map[string]any `json:"fields"`                  // field id → value, typed as the pack's field
	Visitor       bool           `json:"visitor,omitempty"`
	EscortStaffID int64          `json:"escort_staff_id,omitempty"`
	Supersedes    int64          `json:"supersedes_id,omitempty"` // the entry this one corrects
}

// createLogbookEntry writes an entry; with supersedes, it corrects that entry.
func (a *api) createLogbookEntry(w http.ResponseWriter, r *http.Request) error {
	var req logbookEntryRequest
	if err := a.decode(w, r, &req); err != nil {
		return err
	}
	in := logbook.Input{Logbook: r.PathValue("logbook"), DepartmentID: req.DepartmentID, Fields: req.Fields,
		Visitor: req.Visitor, EscortStaffID: req.EscortStaffID}
	if _, _, err := a.s.Logbooks.Logbook(r.Context(), actor(r).OrgID, in.Logbook); err != nil {
		return err
	}
	var made logbook.Entry
	var err error
	if req.Supersedes != 0 {
		made, err = a.s.Logbooks.Correct(r.Context(), actor(r), req.Supersedes, in)
	} else {
		made, err = a.s.Logbooks.Create(r.Context(), actor(r), in)
	}
	if err != nil {
		return err
	}
	return created(w, entryPath(made), made)
}

func entryPath(e logbook.Entry) string {
	return "/api/v1/logbooks/" + e.Logbook + "/entries/" + strconv.FormatInt(e.ID, 10)
}

// entryOf reads the entry {id} of the path, which must belong to the {logbook} of the path.
func (a *api) entryOf(r *http.Request) (logbook.Entry, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return logbook.Entry{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	e, err := a.s.Logbooks.Get(r.Context(), actor(r), id)
	if err == nil && e.Logbook != r.PathValue("logbook") {
		err = apperr.New(apperr.NotFound, "error.not_found")
	}
	return e, err
}

func (a *api) getLogbookEntry(w http.ResponseWriter, r *http.Request) error {
	e, err := a.entryOf(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// confirmLogbookEntry records the caller as the entry's second person.
func (a *api) confirmLogbookEntry(w http.ResponseWriter, r *http.Request) error {
	e, err := a.entryOf(r)
	if err != nil {
		return err
	}
	if e, err = a.s.Logbooks.Confirm(r.Context(), actor(r), e.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
