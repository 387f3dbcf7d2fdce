package incident

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// MaxEvidenceSize is the largest evidence file Mamori keeps (a log extract, a screenshot, a
// mail as .eml, a packet capture, a zip of them). Larger images of disks stay in the custody of
// whoever made them; their hash and where they are kept go in the timeline.
const MaxEvidenceSize = 20 << 20

// NewEvidence is a file given as evidence: the name and type declared, the bytes, who collected
// it and when.
type NewEvidence struct {
	Field         string    // the report's file item it answers (記録), "" for none
	Name          string    `json:"name"`
	ContentType   string    `json:"content_type"`
	Body          []byte    `json:"-"`
	Description   string    `json:"description"`
	CollectedAt   time.Time `json:"collected_at"`
	CollectedByID int64     `json:"collected_by_staff_id"` // the reporter's or recorder's by default
}

// Evidence is an evidence file's metadata; its bytes are read with EvidenceBody. Evidence is
// never changed or deleted (the database refuses it), and its SHA-256 is checked each time it
// is read. Its chain of custody is the timeline entries that name it.
//
// Evidence is never served as active content: the web and the API send it with
// Content-Disposition: attachment, X-Content-Type-Options: nosniff and Content-Security-Policy:
// sandbox, under the type declared here, so that a file cannot run as a page of Mamori.
type Evidence struct {
	ID            int64     `json:"id"`
	IncidentID    int64     `json:"incident_id"`
	Name          string    `json:"name"`
	DeclaredType  string    `json:"declared_type"`
	SniffedType   string    `json:"sniffed_type"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
	Description   string    `json:"description,omitempty"`
	CollectedByID int64     `json:"collected_by_staff_id,omitempty"`
	CollectedAt   time.Time `json:"collected_at"`
	RecordedAt    time.Time `json:"recorded_at"`
	Custody       []Event   `json:"custody,omitempty"`
}

// evidenceTypes are the types evidence may be declared as, each with the types content sniffing
// (net/http.DetectContentType) may find for it.
var evidenceTypes = map[string][]string{
	"text/plain":                   {"text/plain"},
	"text/csv":                     {"text/plain"},
	"application/json":             {"text/plain"},
	"message/rfc822":               {"text/plain"},
	"application/pdf":              {"application/pdf"},
	"image/png":                    {"image/png"},
	"image/jpeg":                   {"image/jpeg"},
	"image/gif":                    {"image/gif"},
	"application/zip":              {"application/zip"},
	"application/vnd.tcpdump.pcap": {"application/octet-stream"},
	"application/octet-stream":     {"application/octet-stream", "text/plain"},
}

// dangerousExts are programs, scripts and active documents: refused wherever they stand in a
// name (report.pdf.exe, invoice.exe.pdf). A malware sample is kept as a password-protected zip.
var dangerousExts = map[string]bool{".exe": true, ".dll": true, ".com": true, ".scr": true, ".msi": true, ".bat": true, ".cmd": true,
	".ps1": true, ".vbs": true, ".vbe": true, ".js": true, ".jse": true, ".wsf": true, ".wsh": true, ".hta": true, ".sh": true, ".jar": true,
	".lnk": true, ".html": true, ".htm": true, ".xhtml": true, ".svg": true, ".xml": true, ".mht": true, ".mhtml": true, ".swf": true,
	".docm": true, ".xlsm": true, ".pptm": true, ".pif": true, ".cpl": true, ".reg": true, ".iso": true, ".img": true, ".apk": true, ".php": true, ".py": true}

// reservedNames are device names Windows will not let a file have, whatever its extension.
var reservedNames = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true, "clock$": true}

var executableMagic = [][]byte{[]byte("MZ"), []byte("\x7fELF"), []byte("#!"), []byte("\xca\xfe\xba\xbe"), []byte("\xcf\xfa\xed\xfe"),
	[]byte("\xce\xfa\xed\xfe"), []byte("\xfe\xed\xfa\xce"), []byte("\xfe\xed\xfa\xcf"), []byte("\x00asm")}

// checkName refuses a name that could be taken for a path or a program, or that Windows cannot
// hold.
func checkName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) {
		return false
	}
	if strings.ContainsAny(name, `/\:*?"<>|`) || strings.ContainsFunc(name, unicode.IsControl) {
		return false
	}
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
		return false
	}
	parts := strings.Split(strings.ToLower(name), ".")
	base := strings.TrimSpace(parts[0])
	if reservedNames[base] || (len(base) == 4 && (strings.HasPrefix(base, "com") || strings.HasPrefix(base, "lpt")) && base[3] >= '0' && base[3] <= '9') {
		return false
	}
	for _, ext := range parts[1:] {
		if dangerousExts["."+strings.TrimSpace(ext)] {
			return false
		}
	}
	return true
}

// checkEvidence refuses a file that is too large or empty, has a dangerous name, a type evidence
// is not taken as, content that is a program, or content that is not what its type declares.
func checkEvidence(field string, e *NewEvidence) error {
	e.Name = strings.TrimSpace(e.Name)
	switch {
	case !checkName(e.Name):
		return apperr.InvalidField(field, "incident.error.evidence_name")
	case len(e.Body) == 0:
		return apperr.InvalidField(field, "incident.error.evidence_empty", e.Name)
	case len(e.Body) > MaxEvidenceSize:
		return apperr.InvalidField(field, "incident.error.evidence_size", e.Name, MaxEvidenceSize>>20)
	}
	declared, _, err := mime.ParseMediaType(e.ContentType)
	allowed, ok := evidenceTypes[declared]
	if err != nil || !ok {
		return apperr.InvalidField(field, "incident.error.evidence_type", e.Name)
	}
	for _, m := range executableMagic {
		if bytes.HasPrefix(e.Body, m) {
			return apperr.InvalidField(field, "incident.error.evidence_type", e.Name)
		}
	}
	sniffed := sniff(e.Body)
	if sniffed == "text/html" || sniffed == "text/xml" || sniffed == "application/wasm" || !contains(allowed, sniffed) {
		return apperr.InvalidField(field, "incident.error.evidence_mismatch", e.Name, declared, sniffed)
	}
	e.ContentType = declared
	checkDescription := e.Description
	var v apperr.Validation
	checkText(&v, field+".description", &checkDescription, maxText, false)
	e.Description = checkDescription
	return v.Err()
}

func sniff(b []byte) string {
	t, _, _ := mime.ParseMediaType(http.DetectContentType(b))
	return t
}

func (s *Service) storeEvidence(ctx context.Context, tx *sql.Tx, who access.Actor, in Incident, e NewEvidence, now time.Time) (Evidence, error) {
	sum := sha256.Sum256(e.Body)
	ev := Evidence{IncidentID: in.ID, Name: e.Name, DeclaredType: e.ContentType, SniffedType: sniff(e.Body), Size: int64(len(e.Body)),
		SHA256: hex.EncodeToString(sum[:]), Description: e.Description, CollectedByID: e.CollectedByID,
		CollectedAt: e.CollectedAt.UTC().Truncate(time.Microsecond), RecordedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO incident_evidence (org_id, incident_id, name, declared_type, sniffed_type, size, sha256,
		body, description, collected_by_staff_id, collected_at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		in.OrgID, in.ID, ev.Name, ev.DeclaredType, ev.SniffedType, ev.Size, ev.SHA256, e.Body, ev.Description, store.NullID(ev.CollectedByID),
		ev.CollectedAt, now).Scan(&ev.ID)
	if err != nil {
		return ev, apperr.Wrap(err, "insert evidence")
	}
	_, err = addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "evidence.collected", At: ev.CollectedAt, RecordedAt: now,
		EvidenceID: ev.ID, Text: ev.Name, Data: map[string]any{"sha256": ev.SHA256, "size": ev.Size, "collected_by_staff_id": ev.CollectedByID}})
	if err != nil {
		return ev, err
	}
	_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident_evidence", EntityID: ev.ID, Action: "incident.evidence", After: ev})
	return ev, err
}

// AddEvidence keeps a file as evidence of an incident, with who collected it and when (not
// before the incident was detected, not in the future). Its handlers and its reporter add
// evidence.
func (s *Service) AddEvidence(ctx context.Context, who access.Actor, id int64, e NewEvidence) (Evidence, error) {
	if err := checkEvidence("file", &e); err != nil {
		return Evidence{}, err
	}
	now := s.now()
	var out Evidence
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, _, st, err := s.place(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if err := mayNote(st); err != nil {
			return err
		}
		var v apperr.Validation
		e.CollectedAt = checkAt(&v, "collected_at", e.CollectedAt, in.DetectedAt, now)
		if e.CollectedByID == 0 {
			e.CollectedByID = who.StaffID
		} else if ok, err := staffIn(ctx, tx, in.OrgID, e.CollectedByID); err != nil {
			return err
		} else if !ok {
			v.Add("collected_by_staff_id", "incident.error.staff")
		}
		if err := v.Err(); err != nil {
			return err
		}
		out, err = s.storeEvidence(ctx, tx, who, in, e, now)
		return err
	})
	return out, err
}

// HandOver records that an evidence item passed into someone's custody (証拠保全の引継ぎ).
func (s *Service) HandOver(ctx context.Context, who access.Actor, id, evidenceID, toStaffID int64, at time.Time, purpose string) (Event, error) {
	now := s.now()
	var out Event
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, _, err := s.mustHandle(ctx, tx, who, id)
		if err != nil {
			return err
		}
		ev, err := evidenceOf(ctx, tx, in.ID, evidenceID)
		if err != nil {
			return err
		}
		var v apperr.Validation
		at = checkAt(&v, "at", at, ev.CollectedAt, now)
		checkText(&v, "purpose", &purpose, maxShort, true)
		if ok, err := staffIn(ctx, tx, in.OrgID, toStaffID); err != nil {
			return err
		} else if !ok {
			v.Add("to_staff_id", "incident.error.staff")
		}
		if err := v.Err(); err != nil {
			return err
		}
		out, err = addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "evidence.custody", At: at, RecordedAt: now,
			EvidenceID: ev.ID, Text: purpose, Data: map[string]any{"to_staff_id": toStaffID, "sha256": ev.SHA256}})
		if err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident_evidence", EntityID: ev.ID, Action: "incident.evidence_custody", After: out})
		return err
	})
	return out, err
}

// EvidenceBody returns an evidence file to those who see its incident, after checking that its
// bytes still have the SHA-256 recorded when it was collected; the reading is itself a link of
// the chain of custody. The caller sends it as described on Evidence.
func (s *Service) EvidenceBody(ctx context.Context, who access.Actor, id, evidenceID int64) (Evidence, []byte, error) {
	now := s.now()
	var ev Evidence
	var body []byte
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, _, st, err := s.place(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if st < reporter {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if ev, err = evidenceOf(ctx, tx, in.ID, evidenceID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT body FROM incident_evidence WHERE id = $1`, ev.ID).Scan(&body); err != nil {
			return apperr.Wrap(err, "evidence body")
		}
		if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != ev.SHA256 {
			return apperr.Wrap(errors.New("evidence "+ev.SHA256+" no longer matches its hash"), "evidence")
		}
		_, err = addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "evidence.read", At: now, RecordedAt: now, EvidenceID: ev.ID})
		return err
	})
	return ev, body, err
}

func evidenceOf(ctx context.Context, q store.Querier, incidentID, id int64) (Evidence, error) {
	list, err := evidenceList(ctx, q, `WHERE incident_id = $1 AND id = $2`, incidentID, id)
	if err != nil {
		return Evidence{}, err
	}
	if len(list) == 0 {
		return Evidence{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return list[0], nil
}

func evidenceList(ctx context.Context, q store.Querier, where string, args ...any) ([]Evidence, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, incident_id, name, declared_type, sniffed_type, size, sha256, description,
		COALESCE(collected_by_staff_id, 0), collected_at, recorded_at FROM incident_evidence `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "evidence")
	}
	defer rows.Close()
	var out []Evidence
	for rows.Next() {
		var e Evidence
		if err := rows.Scan(&e.ID, &e.IncidentID, &e.Name, &e.DeclaredType, &e.SniffedType, &e.Size, &e.SHA256, &e.Description,
			&e.CollectedByID, &e.CollectedAt, &e.RecordedAt); err != nil {
			return nil, apperr.Wrap(err, "evidence")
		}
		e.CollectedAt, e.RecordedAt = e.CollectedAt.UTC(), e.RecordedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
