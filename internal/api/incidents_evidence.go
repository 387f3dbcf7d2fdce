package api

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/incident"
)

// Evidence (証拠) is uploaded as multipart/form-data and downloaded as a file that can never run
// as a page of Mamori: Content-Disposition: attachment, X-Content-Type-Options: nosniff and
// Content-Security-Policy: sandbox, under the type checked when it was collected.

// maxEvidenceFiles is how many files one multipart body may carry.
const maxEvidenceFiles = 8

// evidenceForm is a multipart body read whole: its files and its other parts by name.
type evidenceForm struct {
	files  []incident.NewEvidence
	values map[string]string
}

// readEvidenceForm reads a multipart/form-data body: file parts "file" (evidence) and
// "file.<item>" (the answer to a report's file item) of at most incident.MaxEvidenceSize each —
// one byte more is read so that the service refuses a larger file by name — and text parts of
// at most maxBody bytes.
func (a *api) readEvidenceForm(w http.ResponseWriter, r *http.Request) (evidenceForm, error) {
	form := evidenceForm{values: map[string]string{}}
	if !isMultipart(r) {
		return form, apperr.New(codeUnsupportedMediaType, "error.unsupported_media_type")
	}
	err := eachPart(w, r, a.maxBody+maxEvidenceFiles*(incident.MaxEvidenceSize+1), func(name string, part *multipart.Part) error {
		if isFilePart(name) {
			if len(form.files) == maxEvidenceFiles {
				return apperr.New(apperr.TooLarge, "error.too_large")
			}
			f, err := readFilePart(part, incident.MaxEvidenceSize)
			if err != nil {
				return err
			}
			form.files = append(form.files, incident.NewEvidence{Field: f.Field, Name: f.Name, ContentType: f.ContentType, Body: f.Body})
			return nil
		}
		if _, dup := form.values[name]; dup || name == "" {
			return apperr.InvalidField(name, "error.invalid")
		}
		b, err := io.ReadAll(io.LimitReader(part, a.maxBody+1))
		if err != nil {
			return multipartError(err)
		}
		if int64(len(b)) > a.maxBody {
			return apperr.New(apperr.TooLarge, "error.too_large")
		}
		form.values[name] = string(b)
		return nil
	})
	return form, err
}

// addEvidence keeps one file (part "file") as evidence, with its description, when it was
// collected (RFC 3339; now when absent) and who collected it (the caller when absent).
func (a *api) addEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form, err := a.readEvidenceForm(w, r)
	if err != nil {
		return err
	}
	for name := range form.values {
		switch name {
		case "description", "collected_at", "collected_by_staff_id":
		default:
			return apperr.InvalidField(name, "error.unknown_field")
		}
	}
	if len(form.files) != 1 || form.files[0].Field != "" {
		return apperr.InvalidField("file", "incident.error.required")
	}
	e := form.files[0]
	e.Description = form.values["description"]
	if s := form.values["collected_at"]; s != "" {
		if e.CollectedAt, err = time.Parse(time.RFC3339, s); err != nil {
			return apperr.InvalidField("collected_at", "incident.error.time_format")
		}
	}
	if s := form.values["collected_by_staff_id"]; s != "" {
		if e.CollectedByID, err = strconv.ParseInt(s, 10, 64); err != nil || e.CollectedByID < 1 {
			return apperr.InvalidField("collected_by_staff_id", "error.number")
		}
	}
	ev, err := a.s.Incidents.AddEvidence(r.Context(), actor(r), id, e)
	if err != nil {
		return err
	}
	return created(w, incidentPath(id)+"/evidence/"+strconv.FormatInt(ev.ID, 10), ev)
}

// evidenceFile sends an evidence file as a download, never as a page; the service checks its
// SHA-256 first and records the reading in its chain of custody.
func (a *api) evidenceFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	eid, err := pathNumber(r, "e")
	if err != nil {
		return err
	}
	ev, body, err := a.s.Incidents.EvidenceBody(r.Context(), actor(r), id, eid)
	if err != nil {
		return err
	}
	download(w, ev.DeclaredType, ev.Name, body)
	return nil
}

// custodyInput hands an evidence item into someone's custody (証拠保全の引継ぎ).
type custodyInput struct {
	ToStaffID int64     `json:"to_staff_id"`
	At        time.Time `json:"at,omitzero"`
	Purpose   string    `json:"purpose"`
}

func (a *api) handOverEvidence(w http.ResponseWriter, r *http.Request) error {
	eid, err := pathNumber(r, "e")
	if err != nil {
		return err
	}
	var in custodyInput
	return a.incidentEntry(w, r, &in, func(id int64) (incident.Event, error) {
		return a.s.Incidents.HandOver(r.Context(), actor(r), id, eid, in.ToStaffID, in.At, in.Purpose)
	})
}
