package web

import (
	"mime"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/pledge"
	"mamori/internal/policy"
)

// The printed pledge (A4) for paper signing — its title, the text, the article it rests on and
// blanks for 日付・所属・氏名・印 — and the 情報政策課's record of a paper pledge with its scan.

type pledgePrintData struct {
	Pledge    policy.Pledge
	Sum       string
	PrintedOn string
}

func (w *Server) pledgePrint(rw http.ResponseWriter, r *http.Request) error {
	p := w.newPage(r, "pledges.print.title", "pledges")
	if p.pack == nil {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	x, ok := p.pack.Pledge(r.PathValue("pledge"))
	if !ok {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	p.Data = pledgePrintData{Pledge: x, Sum: x.TextSHA256(), PrintedOn: p.Date(w.s.Now())}
	w.render(rw, r, http.StatusOK, "pledge_print", p)
	return nil
}

// maxPledgeBody admits a scan somewhat over pledge.MaxScanSize, so that the service, not the
// reading of the body, refuses it with its own message.
const maxPledgeBody = 2*pledge.MaxScanSize + 1<<20

type pledgePaperData struct {
	Pledges   []policy.Pledge
	Staff     []pledge.Item // the people still to sign, to choose from
	ScanTypes string
	MaxScanMB int
}

func (w *Server) pledgePaperForm(rw http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	r.PostForm = map[string][]string{"pledge_id": {q.Get("pledge")}, "staff_id": {q.Get("staff")}}
	return w.pledgePaperPage(rw, r, http.StatusOK, nil)
}

func (w *Server) pledgePaperPage(rw http.ResponseWriter, r *http.Request, status int, formErr error) error {
	ctx, who := r.Context(), stateOf(r).who
	if !pledge.MayRecordPaper(who) {
		return apperr.New(apperr.Forbidden, "pledges.error.not_policy_office")
	}
	b, err := w.s.Pledges.Status(ctx, who, pledge.Filter{})
	if err != nil {
		return err
	}
	p := w.newPage(r, "pledges.paper.title", "pledges")
	p.Crumbs = []crumb{{p.T("pledges.title"), "/pledges"}, {p.T("pledges.status.title"), "/pledges/status"}}
	d := pledgePaperData{Staff: b.Items, ScanTypes: pledge.ScanTypes, MaxScanMB: pledge.MaxScanSize >> 20}
	for _, ps := range b.Pledges {
		d.Pledges = append(d.Pledges, ps.Pledge)
	}
	if formErr != nil {
		p.withErrors(formErr)
	}
	p.Data = d
	w.render(rw, r, status, "pledge_paper", p)
	return nil
}

// pledgePaper records the paper pledge of the form; a refusal shows the form again with its
// message, nothing recorded.
func (w *Server) pledgePaper(rw http.ResponseWriter, r *http.Request) error {
	var v apperr.Validation
	in := pledge.PaperInput{PledgeID: r.PostForm.Get("pledge_id"), StaffID: formID(&v, r, "staff_id"), SignedOn: r.PostForm.Get("signed_on")}
	if r.MultipartForm != nil {
		if files := r.MultipartForm.File["scan"]; len(files) > 0 && files[0].Size > 0 {
			if files[0].Size > pledge.MaxScanSize {
				return w.pledgePaperPage(rw, r, http.StatusUnprocessableEntity,
					apperr.InvalidField("scan", "pledges.error.scan_size", pledge.MaxScanSize>>20))
			}
			body, err := readUpload(files[0])
			if err != nil {
				return err
			}
			in.Scan = pledge.Upload{Name: files[0].Filename, Body: body}
		}
	}
	err := v.Err()
	var g pledge.Signature
	if err == nil {
		g, err = w.s.Pledges.RecordPaper(r.Context(), stateOf(r).who, in)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.pledgePaperPage(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/pledges/staff/"+strconv.FormatInt(g.StaffID, 10), "pledges.flash.recorded")
}

// pledgeScan sends the scan of a paper pledge, as an attachment the browser neither sniffs nor
// runs.
func (w *Server) pledgeScan(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sc, body, err := w.s.Pledges.ScanBody(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	h := rw.Header()
	h.Set("Content-Type", sc.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": sc.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err = rw.Write(body)
	return err
}
