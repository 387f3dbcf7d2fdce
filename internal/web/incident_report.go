package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// Reporting an incident in two minutes: the pack's report items as a form, the detection time
// already filled with now, files as evidence, and — for a report from outside (住民等) — the name
// and contact of whoever made it, recorded by the staff member who received it. After the
// report the page says who was told and what the reporter does next.

// maxReportFiles is how many files one report takes.
const maxReportFiles = 5

// maxReportBody is how large the body of a form with evidence files may be: maxReportFiles
// files of the largest evidence, and 1 MiB for the rest of the form.
const maxReportBody = maxReportFiles*incident.MaxEvidenceSize + 1<<20

type incidentFormData struct {
	Items      []requestField
	Categories []policy.Category
	Steps      []finderStep // what the one who found it does now, each for its categories
	Outside    bool
	Tree       []org.Department
	Staff      []org.Staff
	Recipients []string
	Cite       policy.Cite
	MaxMB      int
	MaxFiles   int
	FilesLost  bool
}

func (w *Server) incidentForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	pack, e := w.incidentPack(r)
	if e != nil {
		return e
	}
	d := incidentFormData{Outside: r.URL.Query().Get("outside") == "1", Cite: pack.Incident.Cite,
		MaxMB: incident.MaxEvidenceSize >> 20, MaxFiles: maxReportFiles}
	for _, f := range pack.Incident.ReportItems {
		name := "items." + f.ID
		if f.Type == "file" {
			name = "files." + f.ID
		}
		d.Items = append(d.Items, requestField{Field: f, Name: name, Elem: fieldID(name)})
	}
	for _, c := range pack.Incident.Recipients() {
		d.Recipients = append(d.Recipients, contactName(pack.Incident, c))
	}
	d.Categories, d.Steps = pack.Incident.Categories, finderSteps(pack, "")
	if _, d.Tree, e = w.departmentNames(ctx, who); e != nil {
		return e
	}
	if d.Staff, _, e = w.s.Org.ListStaff(ctx, who, org.StaffFilter{Limit: 500}); e != nil {
		return e
	}
	title := "incidents.new.title"
	if d.Outside {
		title = "incidents.outside.title"
	}
	p := w.newPage(r, title, "incidents")
	p.Crumbs = []crumb{{p.T("incidents.title"), "/incidents"}}
	if p.Form.Get("detected_at") == "" {
		p.Form = url.Values{}
		for k, v := range r.PostForm {
			p.Form[k] = v
		}
		p.Form.Set("detected_at", w.localNow())
		if p.Form.Get("department_id") == "" && who.DepartmentID != 0 {
			p.Form.Set("department_id", strconv.FormatInt(who.DepartmentID, 10))
		}
	}
	if err != nil {
		fieldErrors(p, err)
		for i, e := range p.Errors {
			for _, it := range pack.Incident.ReportItems {
				if it.Type == "file" && e.Field == "items-"+it.ID {
					p.Errors[i].Field = "files-" + it.ID
				}
			}
		}
		nameErrors(p, pack.Incident)
		d.FilesLost = r.MultipartForm != nil && len(r.MultipartForm.File) > 0
	}
	p.Data = d
	w.render(rw, r, status, "incident_form", p)
	return nil
}

func (w *Server) incidentNewForm(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentForm(rw, r, http.StatusOK, nil)
}

// incidentCreate records the report with the related asset named on it.
func (w *Server) incidentCreate(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	pack, err := w.incidentPack(r)
	if err != nil {
		return err
	}
	in, inputs, err := w.reportInput(r, pack.Incident)
	var made incident.Incident
	if err == nil {
		made, err = w.s.Incidents.Report(ctx, who, in)
	}
	err = reportInputs(err, inputs)
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.incidentForm(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, incidentHref(made.ID)+"/reported", "incidents.reported")
}

// reportInput reads the report form, with the related asset chosen by its 管理番号. Besides the
// input it returns the input each evidence file came from.
func (w *Server) reportInput(r *http.Request, pi policy.Incident) (incident.ReportInput, []string, error) {
	var v apperr.Validation
	f := r.PostForm
	in := incident.ReportInput{Title: f.Get("title"), Items: map[string]any{}, DetectedAt: localTime(&v, r, "detected_at")}
	in.DepartmentID = formID(&v, r, "department_id")
	in.Category = strings.TrimSpace(f.Get("category"))
	if r.URL.Query().Get("outside") == "1" {
		in.Outside = &incident.OutsideReport{Reporter: f.Get("outside.reporter"), Contact: f.Get("outside.contact")}
	}
	for _, it := range pi.ReportItems {
		s := strings.TrimSpace(f.Get("items." + it.ID))
		switch {
		case it.Type == "file" || s == "":
		case it.Type == "bool":
			in.Items[it.ID] = s == "on"
		case it.Type == "datetime":
			if t := localTime(&v, r, "items."+it.ID); !t.IsZero() {
				in.Items[it.ID] = t.Format(time.RFC3339)
			}
		case it.Type == "asset":
			in.Items[it.ID] = w.assetByNumber(r, s)
		default:
			in.Items[it.ID] = s
		}
	}
	if number := strings.TrimSpace(f.Get("asset")); number != "" {
		if id, ok := w.assetByNumber(r, number).(int64); ok {
			in.AssetIDs = []int64{id}
		} else {
			v.Add("asset", "incidents.error.asset_number", number)
		}
	}
	files, inputs, err := evidenceFiles(r, pi)
	if err != nil {
		return in, nil, err
	}
	in.Evidence = files
	return in, inputs, v.Err()
}

// evidenceFiles reads the files of the report: those of the pack's file items, then the
// general evidence; an error about evidence[i] names the input the file came from.
func evidenceFiles(r *http.Request, pi policy.Incident) ([]incident.NewEvidence, []string, error) {
	if r.MultipartForm == nil {
		return nil, nil, nil
	}
	var out []incident.NewEvidence
	var inputs []string
	read := func(input, field string) error {
		for _, h := range r.MultipartForm.File[input] {
			if h.Filename == "" && h.Size == 0 {
				continue
			}
			if len(out) == maxReportFiles {
				return apperr.InvalidField(input, "requests.error.too_many_files", maxReportFiles)
			}
			body, err := readUpload(h)
			if err != nil {
				return err
			}
			out = append(out, incident.NewEvidence{Field: field, Name: h.Filename, ContentType: h.Header.Get("Content-Type"), Body: body})
			inputs = append(inputs, input)
		}
		return nil
	}
	for _, it := range pi.ReportItems {
		if it.Type == "file" {
			if err := read("files."+it.ID, it.ID); err != nil {
				return nil, nil, err
			}
		}
	}
	if err := read("evidence", ""); err != nil {
		return nil, nil, err
	}
	return out, inputs, nil
}

// reportInputs names, in an error about evidence[i], the input the file came from, and in one
// about the assets, the related asset's input.
func reportInputs(err error, inputs []string) error {
	e := apperr.As(err)
	if e.Code != apperr.Invalid {
		return err
	}
	for i, f := range e.Fields {
		if f.Field == "asset_ids" {
			e.Fields[i].Field = "asset"
		}
		if n, ok := strings.CutPrefix(f.Field, "evidence["); ok {
			if k, _ := strconv.Atoi(strings.TrimSuffix(n, "]")); k >= 0 && k < len(inputs) {
				e.Fields[i].Field = inputs[k]
			}
		}
	}
	return e
}

// readUpload reads an uploaded file, up to one byte past the largest evidence Mamori keeps so
// that the service can refuse a larger one by its size.
func readUpload(h *multipart.FileHeader) ([]byte, error) {
	file, err := h.Open()
	if err != nil {
		return nil, apperr.Wrap(err, "evidence")
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, incident.MaxEvidenceSize+1))
	if err != nil {
		return nil, apperr.Wrap(err, "evidence")
	}
	return body, nil
}

type incidentReportedData struct {
	I     incident.Incident
	Told  []incident.Told
	Steps []finderStep // what the pack asks of whoever found it (LANケーブルの取り外し …), for its category
	Href  string
}

// finderStep is a first-response step the pack asks of whoever found the incident, with the
// categories it belongs to as the form's script reads them (space-separated; "" for every one).
type finderStep struct {
	policy.TriageStep
	For string
}

// finderSteps are the steps of the role every member of staff holds, those of the category
// (all of them while no category is known).
func finderSteps(pack *policy.Compiled, category string) []finderStep {
	var out []finderStep
	for _, st := range pack.Incident.Triage {
		if role, ok := pack.Role(st.By); ok && role.AllStaff && st.For(category) {
			out = append(out, finderStep{TriageStep: st, For: strings.Join(st.Categories, " ")})
		}
	}
	return out
}

// nameErrors makes each message of the report form name its field, so that the summary at the
// top of the form says which field each error is about.
func nameErrors(p *page, pi policy.Incident) {
	names := map[string]string{"title": p.T("incidents.field.title"), "detected_at": p.T("incidents.field.detected_at"),
		"category": p.T("incidents.field.category"), "department_id": p.T("incidents.field.department"), "asset": p.T("incidents.field.asset"),
		"evidence": p.T("incidents.field.evidence"), "outside-reporter": p.T("incidents.outside.reporter"), "outside-contact": p.T("incidents.outside.contact")}
	for _, it := range pi.ReportItems {
		names["items-"+it.ID], names["files-"+it.ID] = it.Name, it.Name
	}
	for i, e := range p.Errors {
		if n, ok := names[e.Field]; ok {
			p.Errors[i].Message = p.T("incidents.error.named", n, e.Message)
		}
	}
}

// incidentReported confirms a report: who was told, and what the reporter does now.
func (w *Server) incidentReported(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pack, err := w.incidentPack(r)
	if err != nil {
		return err
	}
	in, err := w.s.Incidents.Get(ctx, who, id)
	if err != nil {
		return err
	}
	d := incidentReportedData{I: in, Href: incidentHref(id)}
	if d.Told, err = w.s.Incidents.ToldOf(ctx, who, id); err != nil {
		return err
	}
	d.Steps = finderSteps(pack, in.Category)
	p := w.newPage(r, "incidents.reported.title", "incidents")
	p.Crumbs = []crumb{{p.T("incidents.title"), "/incidents"}}
	p.Data = d
	w.render(rw, r, http.StatusOK, "incident_reported", p)
	return nil
}
