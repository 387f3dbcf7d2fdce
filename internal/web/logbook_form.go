package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/i18n"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// logbookField is a pack field as the form shows it: posted as fields.<id>, with the element id
// f-fields-<id> that the error summary links to.
type logbookField struct {
	policy.Field
	Name, Elem string
}

type logbookFormData struct {
	Logbook    logbookView
	Fields     []logbookField
	Tree       []org.Department
	Staff      []org.Staff
	Assets     []asset.Asset
	RoomAccess bool
	OwnEscort  bool // the pack's room access log has an escort field of its own
	Correct    int64
	Action     string
	Back       string
}

// logbookForm shows the form for a new entry, or for the correction of entry correct.
func (w *Server) logbookForm(rw http.ResponseWriter, r *http.Request, status int, correct int64, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	lb, _, e := w.logbookOf(r)
	if e != nil {
		return e
	}
	if !lb.CanWrite {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	d := logbookFormData{Logbook: lb, RoomAccess: logbook.IsRoomAccess(lb.Logbook), Correct: correct,
		Action: lb.Href, Back: lb.Href}
	if correct != 0 {
		d.Action = fmt.Sprintf("%s/%d/correct", lb.Href, correct)
		d.Back = fmt.Sprintf("%s/%d", lb.Href, correct)
	}
	for _, f := range lb.Fields {
		d.Fields = append(d.Fields, logbookField{Field: f, Name: "fields." + f.ID, Elem: fieldID("fields." + f.ID)})
		if f.ID == "escort" && f.Type == "staff" {
			d.OwnEscort = true
		}
	}
	tree, e := w.s.Org.Tree(ctx, who)
	if e != nil {
		return e
	}
	for _, dep := range tree {
		if logbook.CanWrite(who, lb.Logbook, dep.ID) {
			d.Tree = append(d.Tree, dep)
		}
	}
	if d.Staff, _, e = w.s.Org.ListStaff(ctx, who, org.StaffFilter{Limit: 500}); e != nil {
		return e
	}
	if d.Assets, _, e = w.s.Assets.List(ctx, who, asset.Filter{Limit: 200}); e != nil {
		return e
	}
	title := "logbooks.new.title"
	if correct != 0 {
		title = "logbooks.correct.title"
	}
	p := w.newPage(r, title, "logbooks")
	p.Crumbs = []crumb{{p.T("logbooks.title"), "/logbooks"}, {lb.Name, lb.Href}}
	if err != nil {
		p.withErrors(err)
		for i := range p.Errors {
			p.Errors[i].Field = fieldID(p.Errors[i].Field)
		}
	}
	p.Data = d
	w.render(rw, r, status, "logbook_form", p)
	return nil
}

func (w *Server) logbookNewForm(rw http.ResponseWriter, r *http.Request) error {
	r.PostForm = url.Values{}
	if who := stateOf(r).who; who.DepartmentID != 0 {
		r.PostForm.Set("department_id", strconv.FormatInt(who.DepartmentID, 10))
	}
	return w.logbookForm(rw, r, http.StatusOK, 0, nil)
}

// logbookInput reads the form as logbook.ParseField reads a field. Empty fields and unticked
// boxes are left out; an asset is chosen by its 管理番号, staff and departments from lists that
// post their ids.
func (w *Server) logbookInput(r *http.Request, lb policy.Logbook) (logbook.Input, error) {
	var v apperr.Validation
	f := r.PostForm
	in := logbook.Input{Logbook: lb.ID, DepartmentID: formID(&v, r, "department_id"), Fields: map[string]any{},
		Visitor: f.Get("visitor") == "on", EscortStaffID: formID(&v, r, "escort_staff_id")}
	for _, fd := range lb.Fields {
		val := logbook.ParseField(fd, f.Get("fields."+fd.ID))
		if val == nil {
			continue
		}
		if fd.Type == "asset" {
			id, found, err := w.s.Logbooks.Refer(r.Context(), stateOf(r).who.OrgID, fd, val.(string))
			if err != nil {
				return in, err
			}
			if !found {
				v.Add("fields."+fd.ID, "logbook.error.asset", fd.Name)
				continue
			}
			val = id
		}
		in.Fields[fd.ID] = val
	}
	return in, v.Err()
}

// assetByNumber finds the asset with the 管理番号 among those the actor may read; an unknown
// number stays as typed, and the service reports it.
func (w *Server) assetByNumber(r *http.Request, number string) any {
	list, _, err := w.s.Assets.List(r.Context(), stateOf(r).who, asset.Filter{Query: number, Limit: 50})
	if err == nil {
		for _, a := range list {
			if a.Number == number {
				return a.ID
			}
		}
	}
	return number
}

func (w *Server) logbookCreate(rw http.ResponseWriter, r *http.Request) error {
	lb, _, err := w.logbookOf(r)
	if err != nil {
		return err
	}
	if !lb.CanWrite {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	in, err := w.logbookInput(r, lb.Logbook)
	var e logbook.Entry
	if err == nil {
		e, err = w.s.Logbooks.Create(r.Context(), stateOf(r).who, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.logbookForm(rw, r, status, 0, err) },
		fmt.Sprintf("%s/%d", lb.Href, e.ID), "logbooks.created")
}

// entryOf reads the path's logbook and its entry {id}.
func (w *Server) entryOf(r *http.Request) (logbookView, logbook.Entry, error) {
	lb, _, err := w.logbookOf(r)
	if err != nil {
		return lb, logbook.Entry{}, err
	}
	id, err := pathID(r)
	if err != nil {
		return lb, logbook.Entry{}, err
	}
	e, err := w.s.Logbooks.Get(r.Context(), stateOf(r).who, id)
	if err == nil && e.Logbook != lb.ID {
		err = apperr.New(apperr.NotFound, "error.not_found")
	}
	return lb, e, err
}

type logbookEntryData struct {
	Logbook    logbookView
	Entry      logbook.Entry
	Columns    []logbook.Column
	CanConfirm bool
	CanCorrect bool
}

// logbookEntry shows one entry, with the confirm button for its second person.
func (w *Server) logbookEntry(rw http.ResponseWriter, r *http.Request) error {
	lb, e, err := w.entryOf(r)
	if err != nil {
		return err
	}
	who := stateOf(r).who
	p := w.newPage(r, "logbooks.entry.title", "logbooks")
	p.Crumbs = []crumb{{p.T("logbooks.title"), "/logbooks"}, {lb.Name, lb.Href}}
	p.Data = logbookEntryData{Logbook: lb, Entry: e, Columns: logbook.Columns(lb.Logbook, p.dates()),
		CanConfirm: logbook.CanConfirm(who, lb.Logbook, e),
		CanCorrect: e.SupersededBy == 0 && logbook.CanWrite(who, lb.Logbook, e.DepartmentID)}
	w.render(rw, r, http.StatusOK, "logbook_entry", p)
	return nil
}

// entryFormValues are an entry's values as the form posts them.
func entryFormValues(lb policy.Logbook, e logbook.Entry) url.Values {
	v := url.Values{"department_id": {strconv.FormatInt(e.DepartmentID, 10)}}
	if e.Visitor {
		v.Set("visitor", "on")
	}
	if e.EscortStaffID != 0 {
		v.Set("escort_staff_id", strconv.FormatInt(e.EscortStaffID, 10))
	}
	for _, f := range lb.Fields {
		val, ok := e.Fields[f.ID]
		if !ok {
			continue
		}
		s := attrText(val)
		switch f.Type {
		case "datetime":
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				s = t.In(i18n.Tokyo).Format("2006-01-02T15:04")
			}
		case "asset":
			s, _, _ = strings.Cut(e.Display[f.ID], " ")
		}
		v.Set("fields."+f.ID, s)
	}
	return v
}

func (w *Server) logbookCorrectForm(rw http.ResponseWriter, r *http.Request) error {
	lb, e, err := w.entryOf(r)
	if err != nil {
		return err
	}
	r.PostForm = entryFormValues(lb.Logbook, e)
	return w.logbookForm(rw, r, http.StatusOK, e.ID, nil)
}

func (w *Server) logbookCorrect(rw http.ResponseWriter, r *http.Request) error {
	lb, old, err := w.entryOf(r)
	if err != nil {
		return err
	}
	in, err := w.logbookInput(r, lb.Logbook)
	var e logbook.Entry
	if err == nil {
		e, err = w.s.Logbooks.Correct(r.Context(), stateOf(r).who, old.ID, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.logbookForm(rw, r, status, old.ID, err) },
		fmt.Sprintf("%s/%d", lb.Href, e.ID), "logbooks.corrected")
}

// logbookConfirm records the second person's confirmation, after a 確認 step.
func (w *Server) logbookConfirm(rw http.ResponseWriter, r *http.Request) error {
	lb, e, err := w.entryOf(r)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("%s/%d", lb.Href, e.ID)
	if !w.confirmed(rw, r, "logbooks.confirm.title", "logbooks.confirm.message", back) {
		return nil
	}
	if _, err := w.s.Logbooks.Confirm(r.Context(), stateOf(r).who, e.ID); err != nil {
		return err
	}
	return w.redirect(rw, r, back, "logbooks.confirmed")
}
