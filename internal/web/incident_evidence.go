package web

import (
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/incident"
)

// Evidence (証拠保全): a file kept with its SHA-256, who collected it and when; passing it into
// someone's custody; and downloading it — always as an attachment that the browser neither
// sniffs nor runs, so that a file can never act as a page of Mamori.

func evidenceID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("evidence"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, nil
}

func (w *Server) incidentEvidenceAdd(rw http.ResponseWriter, r *http.Request) error {
	return w.incidentAct(rw, r, "evidence", "evidence", func(id int64, v *apperr.Validation) error {
		e := incident.NewEvidence{Description: r.PostForm.Get("description"), CollectedAt: localTime(v, r, "collected_at"),
			CollectedByID: formID(v, r, "collected_by")}
		var files []*multipart.FileHeader
		if r.MultipartForm != nil {
			files = r.MultipartForm.File["file"]
		}
		if len(files) == 0 || (files[0].Filename == "" && files[0].Size == 0) {
			v.Add("file", "incidents.error.file")
		}
		if err := v.Err(); err != nil {
			return err
		}
		body, err := readUpload(files[0])
		if err != nil {
			return err
		}
		e.Name, e.ContentType, e.Body = files[0].Filename, files[0].Header.Get("Content-Type"), body
		_, err = w.s.Incidents.AddEvidence(r.Context(), stateOf(r).who, id, e)
		return err
	})
}

func (w *Server) incidentEvidenceHandOver(rw http.ResponseWriter, r *http.Request) error {
	eid, err := evidenceID(r)
	if err != nil {
		return err
	}
	return w.incidentAct(rw, r, "custody-"+strconv.FormatInt(eid, 10), "evidence", func(id int64, v *apperr.Validation) error {
		to := formID(v, r, "to_staff_id")
		if to == 0 {
			v.Add("to_staff_id", "error.choose")
		}
		at := localTime(v, r, "at")
		if err := v.Err(); err != nil {
			return err
		}
		_, err := w.s.Incidents.HandOver(r.Context(), stateOf(r).who, id, eid, to, at, r.PostForm.Get("purpose"))
		return err
	})
}

// incidentEvidenceFile sends an evidence file as described on incident.Evidence.
func (w *Server) incidentEvidenceFile(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	eid, err := evidenceID(r)
	if err != nil {
		return err
	}
	ev, body, err := w.s.Incidents.EvidenceBody(r.Context(), stateOf(r).who, id, eid)
	if err != nil {
		return err
	}
	ct := ev.DeclaredType
	if t, _, err := mime.ParseMediaType(ct); err != nil || t == "" || t == "text/html" {
		ct = "application/octet-stream"
	}
	h := rw.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Evidence-SHA256", ev.SHA256)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err = rw.Write(body)
	return err
}
