package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// The acts on one request: decide, resubmit after a send back, cancel, record the taking out,
// the return and the disposal, acknowledge a report. Each is the service's to allow or refuse;
// a field error or a conflict shows the request again with the message and its fresh state.

// acted finishes an act: a field error or a conflict redisplays the request, success goes back
// to it with a notice.
func (w *Server) acted(rw http.ResponseWriter, r *http.Request, err error, notice string) error {
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return w.requestDetailPage(rw, r, http.StatusUnprocessableEntity, err)
	case apperr.Conflict:
		r.PostForm.Del("comment") // the comment was for a state that is gone
		return w.requestDetailPage(rw, r, http.StatusConflict, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/requests/"+r.PathValue("id"), notice)
}

func version(r *http.Request) int {
	n, _ := strconv.Atoi(r.PostForm.Get("version"))
	return n
}

// requestDecide records an approval, a rejection or a send back of the current step.
func (w *Server) requestDecide(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d := request.Decision{Decision: r.PostForm.Get("decision"), Comment: r.PostForm.Get("comment"), Version: version(r)}
	if d.Version == 0 {
		// A form always carries the version it was shown with; without it the check of who
		// decided first would be skipped.
		return apperr.InvalidField("decision", "requests.error.no_version")
	}
	_, err = w.s.Requests.Decide(r.Context(), stateOf(r).who, id, d)
	return w.acted(rw, r, err, "requests.decided."+d.Decision)
}

// requestEditForm is the form of a sent-back request, to edit and resubmit.
func (w *Server) requestEditForm(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rq, err := w.s.Requests.Draft(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	if pack == nil {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	kind := approvalOf(pack, rq)
	r.PostForm = fieldValues(kind, rq, func(id int64) string {
		if a, err := w.s.Assets.Get(r.Context(), stateOf(r).who, id); err == nil {
			return a.Number
		}
		return ""
	})
	r.PostForm.Set("version", strconv.Itoa(rq.Version))
	return w.requestForm(rw, r, http.StatusOK, pack, kind, &rq, nil)
}

// fieldValues are a request's fields as its form posts them; an asset field by its 管理番号.
func fieldValues(kind policy.Approval, rq request.Request, number func(int64) string) url.Values {
	v := url.Values{}
	for _, f := range kind.Fields {
		val, ok := rq.Fields[f.ID]
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
			if x, ok := val.(float64); ok {
				s = number(int64(x))
			}
		}
		v.Set("fields."+f.ID, s)
	}
	return v
}

// requestResubmit files a sent-back request again.
func (w *Server) requestResubmit(rw http.ResponseWriter, r *http.Request) error {
	rq, err := w.requestOf(r)
	if err != nil {
		return err
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	if pack == nil {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	kind := approvalOf(pack, rq)
	fields := w.fieldsInput(r, kind, rq.AssetIDs)
	files, inputs, err := filesInput(r, kind)
	if err == nil {
		_, err = w.s.Requests.Resubmit(r.Context(), stateOf(r).who, rq.ID, request.Resubmission{Fields: fields,
			Comment: strings.TrimSpace(r.PostForm.Get("comment")), Version: version(r), Attachments: files})
	}
	err = attachmentFields(err, inputs)
	if apperr.CodeOf(err) == apperr.Conflict {
		return w.acted(rw, r, err, "")
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.requestForm(rw, r, status, pack, kind, &rq, err) },
		"/requests/"+strconv.FormatInt(rq.ID, 10), "requests.resubmitted")
}

// requestConfirmData is the 確認 step of an act on a request, with the typed fields it carries
// on as Hidden inputs.
type requestConfirmData struct {
	Action  string
	Message string
	Back    string
	Hidden  map[string]string
}

// confirmAct shows the 確認 step of an act that cannot be undone, carrying what was typed;
// it reports whether the POST is already confirmed.
func (w *Server) confirmAct(rw http.ResponseWriter, r *http.Request, title, message string, keep ...string) bool {
	if r.PostForm.Get("confirmed") == "yes" {
		return true
	}
	p := w.newPage(r, title, "requests")
	hidden := map[string]string{}
	for _, k := range keep {
		hidden[k] = r.PostForm.Get(k)
	}
	p.Data = requestConfirmData{Action: r.URL.Path, Message: message, Back: "/requests/" + r.PathValue("id"), Hidden: hidden}
	w.render(rw, r, http.StatusOK, "request_confirm", p)
	return false
}

// requestCancel withdraws the request, after a 確認 step.
func (w *Server) requestCancel(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if !w.confirmAct(rw, r, "requests.cancel.title", "requests.cancel.message", "comment", "version") {
		return nil
	}
	_, err = w.s.Requests.Cancel(r.Context(), stateOf(r).who, id, r.PostForm.Get("comment"), version(r))
	return w.acted(rw, r, err, "requests.cancelled")
}

func (w *Server) requestTakeOut(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = w.s.Requests.RecordTakeOut(r.Context(), stateOf(r).who, id, request.TakeOut{On: r.PostForm.Get("taken_out_on"),
		DueOn: r.PostForm.Get("due_on"), Version: version(r)})
	return w.acted(rw, r, err, "requests.taken_out")
}

func (w *Server) requestReturn(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = w.s.Requests.RecordReturn(r.Context(), stateOf(r).who, id, request.Return{On: r.PostForm.Get("returned_on"), Version: version(r)})
	return w.acted(rw, r, err, "requests.returned")
}

// requestConfirmReturn is the second person's confirmation of a recorded return.
func (w *Server) requestConfirmReturn(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = w.s.Requests.ConfirmReturn(r.Context(), stateOf(r).who, id, version(r))
	return w.acted(rw, r, err, "requests.return_confirmed")
}

// requestDispose records the disposal of the subject assets, after a 確認 step: it sets them
// disposed in the register.
func (w *Server) requestDispose(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if !w.confirmAct(rw, r, "requests.dispose.title", "requests.dispose.message", "disposed_on", "method", "operator_staff_id", "version") {
		return nil
	}
	var v apperr.Validation
	operator := formID(&v, r, "operator_staff_id")
	if err := v.Err(); err != nil {
		return w.acted(rw, r, err, "")
	}
	_, err = w.s.Requests.RecordDisposal(r.Context(), stateOf(r).who, id, request.Disposal{On: r.PostForm.Get("disposed_on"),
		Method: r.PostForm.Get("method"), OperatorStaffID: operator}, version(r))
	return w.acted(rw, r, err, "requests.disposed")
}

func (w *Server) requestAcknowledge(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = w.s.Requests.Acknowledge(r.Context(), stateOf(r).who, id, r.PostForm.Get("comment"))
	return w.acted(rw, r, err, "requests.acknowledged")
}
