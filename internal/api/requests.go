package api

import (
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/request"
)

// Requests (申請・承認): the pack's approval kinds, filing with subject assets and attachments,
// decisions, and the life of an approved request. The request service decides who may do what.

func (a *api) listRequestKinds(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	kinds, err := a.s.Requests.Kinds(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(kinds, p), len(kinds))
}

// requestStates are the states a listing may be narrowed to.
var requestStates = []string{request.Pending, request.SentBack, request.Approved, request.Rejected, request.Cancelled,
	request.TakenOut, request.Lent, request.Returned, request.Disposed}

// listRequests lists the requests the caller may see, newest first: state, kind, mine=true,
// department_id (the applicant's), from and to (the days they were filed on).
func (a *api) listRequests(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	dept, err := queryID(r, "department_id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := request.Filter{State: q.Get("state"), Kind: q.Get("kind"), Mine: isTrue(q.Get("mine")), DepartmentID: dept,
		Since: q.Get("from"), Until: q.Get("to"), Limit: p.limit, Offset: p.offset}
	if f.State != "" && !slices.Contains(requestStates, f.State) {
		return apperr.InvalidField("state", "error.invalid")
	}
	items, total, err := a.s.Requests.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, items, total)
}

// requestInput is a new request as JSON, or the "request" part of a multipart body whose file
// parts are its attachments.
type requestInput struct {
	Kind     string         `json:"kind"`
	AssetIDs []int64        `json:"asset_ids,omitempty"`
	Fields   map[string]any `json:"fields,omitempty"`
	PostHoc  bool           `json:"post_hoc,omitempty"`
	ActedAt  *time.Time     `json:"acted_at,omitempty"`
	Comment  string         `json:"comment,omitempty"`
}

func (a *api) createRequest(w http.ResponseWriter, r *http.Request) error {
	var req requestInput
	files, err := a.decodeWithFiles(w, r, &req)
	if err != nil {
		return err
	}
	in := request.Input{Kind: req.Kind, AssetIDs: req.AssetIDs, Fields: req.Fields, PostHoc: req.PostHoc, Comment: req.Comment, Attachments: files}
	if req.ActedAt != nil {
		in.ActedAt = *req.ActedAt
	}
	made, err := a.s.Requests.Submit(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/requests/"+strconv.FormatInt(made.ID, 10), made)
}

func (a *api) getRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	req, err := a.s.Requests.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, req)
}

// decisionInput is an approver's decision; version is the request's version the approver saw.
type decisionInput struct {
	Decision string `json:"decision"`
	Comment  string `json:"comment,omitempty"`
	Version  int    `json:"version,omitempty"`
}

func (a *api) decideRequest(w http.ResponseWriter, r *http.Request) error {
	var in decisionInput
	return a.act(w, r, &in, func(id int64) (request.Request, error) {
		return a.s.Requests.Decide(r.Context(), actor(r), id, request.Decision(in))
	})
}

// resubmissionInput is a sent-back request filed again, as JSON or as the "request" part of a
// multipart body with more attachments.
type resubmissionInput struct {
	Fields  map[string]any `json:"fields"`
	Comment string         `json:"comment,omitempty"`
	Version int            `json:"version,omitempty"`
}

func (a *api) resubmitRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in resubmissionInput
	files, err := a.decodeWithFiles(w, r, &in)
	if err != nil {
		return err
	}
	req, err := a.s.Requests.Resubmit(r.Context(), actor(r), id, request.Resubmission{Fields: in.Fields, Comment: in.Comment,
		Version: in.Version, Attachments: files})
	if err != nil {
		return err
	}
	return ok(w, req)
}

// commentInput is the body of a cancellation or an acknowledgement.
type commentInput struct {
	Comment string `json:"comment,omitempty"`
	Version int    `json:"version,omitempty"`
}

func (a *api) cancelRequest(w http.ResponseWriter, r *http.Request) error {
	var in commentInput
	return a.act(w, r, &in, func(id int64) (request.Request, error) {
		return a.s.Requests.Cancel(r.Context(), actor(r), id, in.Comment, in.Version)
	})
}

func (a *api) acknowledgeRequest(w http.ResponseWriter, r *http.Request) error {
	var in commentInput
	return a.act(w, r, &in, func(id int64) (request.Request, error) {
		return a.s.Requests.Acknowledge(r.Context(), actor(r), id, in.Comment)
	})
}

func (a *api) takeOutRequest(w http.ResponseWriter, r *http.Request) error {
	var in request.TakeOut
	return a.act(w, r, &in, func(id int64) (request.Request, error) {
		return a.s.Requests.RecordTakeOut(r.Context(), actor(r), id, in)
	})
}

func (a *api) returnRequest(w http.ResponseWriter, r *http.Request) error {
	var in request.Return
	return a.act(w, r, &in, func(id int64) (request.Request, error) {
		return a.s.Requests.RecordReturn(r.Context(), actor(r), id, in)
	})
}

// confirmReturn is the second person's confirmation of a recorded return.
func (a *api) confirmReturn(w http.ResponseWriter, r *http.Request) error {
	var in commentInput
	return a.act(w, r, &in, func(id int64) (request.Request, error) {
		return a.s.Requests.ConfirmReturn(r.Context(), actor(r), id, in.Version)
	})
}

// disposalInput is how an approved disposal was carried out (日時、担当者及び処理内容).
type disposalInput struct {
	On              string `json:"disposed_on"`
	OperatorStaffID int64  `json:"operator_staff_id,omitempty"` // absent: the caller
	Method          string `json:"method"`
	Version         int    `json:"version,omitempty"`
}

func (a *api) disposeRequest(w http.ResponseWriter, r *http.Request) error {
	var in disposalInput
	return a.act(w, r, &in, func(id int64) (request.Request, error) {
		d := request.Disposal{On: in.On, OperatorStaffID: in.OperatorStaffID, Method: in.Method}
		return a.s.Requests.RecordDisposal(r.Context(), actor(r), id, d, in.Version)
	})
}

// act decodes the JSON body of an act on the request {id} into in, does it and answers the
// request as the act left it. An empty body is an empty object.
func (a *api) act(w http.ResponseWriter, r *http.Request, in any, do func(id int64) (request.Request, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if r.ContentLength != 0 {
		if err := a.decode(w, r, in); err != nil {
			return err
		}
	}
	req, err := do(id)
	if err != nil {
		return err
	}
	return ok(w, req)
}

func (a *api) inbox(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Requests.Inbox(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) overdue(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Requests.Overdue(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

// requestAttachment sends an attachment as a download, never as a page.
func (a *api) requestAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil || aid < 1 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	att, body, err := a.s.Requests.AttachmentBody(r.Context(), actor(r), id, aid)
	if err != nil {
		return err
	}
	download(w, att.ContentType, att.Name, body)
	return nil
}

// maxRequestFiles is how many files one multipart body may carry.
const maxRequestFiles = 8

// decodeWithFiles reads a body that is either JSON (into dst) or multipart/form-data: a part
// "request" holding the JSON, and file parts "file" (a general attachment) or "file.<field>"
// (the answer to the form's file field <field>).
func (a *api) decodeWithFiles(w http.ResponseWriter, r *http.Request, dst any) ([]request.NewAttachment, error) {
	if !isMultipart(r) {
		return nil, a.decode(w, r, dst)
	}
	var files []request.NewAttachment
	seenJSON := false
	err := eachPart(w, r, a.maxBody+maxRequestFiles*request.MaxAttachmentSize, func(name string, part *multipart.Part) error {
		switch {
		case name == "request":
			data, err := io.ReadAll(io.LimitReader(part, a.maxBody))
			if err != nil {
				return multipartError(err)
			}
			if err := decodeJSON(data, dst); err != nil {
				return err
			}
			seenJSON = true
		case isFilePart(name):
			if len(files) == maxRequestFiles {
				return apperr.New(apperr.TooLarge, "error.too_large")
			}
			f, err := readFilePart(part, request.MaxAttachmentSize)
			if err != nil {
				return err
			}
			files = append(files, request.NewAttachment{Field: f.Field, Name: f.Name, ContentType: f.ContentType, Body: f.Body})
		default:
			return apperr.InvalidField(name, "error.unknown_field")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !seenJSON {
		return nil, apperr.InvalidField("request", "error.json")
	}
	return files, nil
}
