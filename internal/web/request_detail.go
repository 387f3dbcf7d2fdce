package web

import (
	"context"
	"mime"
	"net/http"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// One request: its fields, subject assets, route, decisions and attachments, and the acts the
// user may take on it (request_act.go).

type requestDetailData struct {
	R        request.Request
	Kind     kindView
	Fields   []fieldText
	Subjects []assetView
	Steps    []stepView
	Notices  []deciderView
	Events   []eventView
	Actions  request.Actions
	Staff    []org.Staff
	Operator string // who disposed of the assets
	Today    string
	Href     string
}

// requestOf reads the request {id} of the path.
func (w *Server) requestOf(r *http.Request) (request.Request, error) {
	id, err := pathID(r)
	if err != nil {
		return request.Request{}, err
	}
	return w.s.Requests.Get(r.Context(), stateOf(r).who, id)
}

// requestDetailData gathers what the detail page and the printed form show.
func (w *Server) requestData(ctx context.Context, who access.Actor, p *page, pack *policy.Compiled, rq request.Request) (requestDetailData, error) {
	kind := approvalOf(pack, rq)
	d := requestDetailData{R: rq, Kind: viewKind(pack, kind), Today: w.today(), Href: "/requests/" + strconv.FormatInt(rq.ID, 10)}
	depts, _, err := w.departmentNames(ctx, who)
	if err != nil {
		return d, err
	}
	if d.Steps, d.Notices, err = w.routeView(ctx, who, pack, rq, depts); err != nil {
		return d, err
	}
	d.Events = viewEvents(pack, rq.Events)
	// A subject asset the user may no longer read is shown as it was last frozen.
	var last []eventView
	for _, e := range d.Events {
		if len(e.Assets) > 0 {
			last = []eventView{e}
		}
	}
	for _, id := range rq.AssetIDs {
		a, err := w.s.Assets.Get(ctx, who, id)
		if err != nil && len(last) > 0 {
			for _, s := range last[0].Assets {
				if s.ID == id {
					a, err = s.Asset, nil
				}
			}
		}
		if err == nil {
			d.Subjects = append(d.Subjects, viewAsset(pack, a))
		}
	}
	assets := map[int64]string{}
	for _, a := range d.Subjects {
		assets[a.ID] = a.Number + " " + a.Name
	}
	d.Fields = w.fieldTexts(ctx, who, p, kind, rq, names{depts: depts, assets: assets, staff: map[int64]string{}})
	if rq.Disposal != nil && rq.Disposal.OperatorStaffID != 0 {
		if st, err := w.s.Org.StaffMember(ctx, who, rq.Disposal.OperatorStaffID); err == nil {
			d.Operator = st.Name
		}
	}
	return d, nil
}

// requestDetail shows one request; status and err carry the outcome of an act that is shown
// on the page again (a field error, a conflict).
func (w *Server) requestDetailPage(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	rq, e := w.requestOf(r)
	if e != nil {
		return e
	}
	pack, e := w.activePack(r)
	if e != nil {
		return e
	}
	if pack == nil {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	p := w.newPage(r, "requests.detail.title", "requests")
	p.Crumbs = []crumb{{p.T("requests.title"), "/requests"}}
	d, e := w.requestData(ctx, who, p, pack, rq)
	if e != nil {
		return e
	}
	if d.Actions, e = w.s.Requests.ActionsFor(ctx, who, rq); e != nil {
		return e
	}
	if d.Actions.Dispose {
		if d.Staff, _, e = w.s.Org.ListStaff(ctx, who, org.StaffFilter{DepartmentID: rq.DepartmentID, Limit: 500}); e != nil {
			return e
		}
	}
	switch apperr.CodeOf(err) {
	case apperr.Conflict:
		p.Errors = append(p.Errors, fieldMessage{Message: p.T("requests.error.decided_first")})
	case apperr.Invalid:
		p.withErrors(stateArgs(p.Lang, err))
	}
	p.Data = d
	w.render(rw, r, status, "request_detail", p)
	return nil
}

func (w *Server) requestDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.requestDetailPage(rw, r, http.StatusOK, nil)
}

// requestAttachment downloads an attachment: always as a download, under the type the
// service checked, never rendered by the browser as a page of Mamori.
func (w *Server) requestAttachment(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.PathValue("attachment"), 10, 64)
	if err != nil || aid <= 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	a, body, err := w.s.Requests.AttachmentBody(r.Context(), stateOf(r).who, id, aid)
	if err != nil {
		return err
	}
	ct := a.ContentType
	if t, _, err := mime.ParseMediaType(ct); err != nil || t == "" || t == "text/html" {
		ct = "application/octet-stream"
	}
	h := rw.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err = rw.Write(body)
	return err
}
