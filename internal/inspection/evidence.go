package inspection

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

// MaxEvidenceSize is the largest evidence file an answer or a finding's closure takes: a
// scanned record, a screenshot, a spreadsheet of a check done.
const MaxEvidenceSize = 10 << 20

// NewEvidence is an evidence file given with an answer or a finding's closure.
type NewEvidence struct {
	Name        string
	ContentType string
	Body        []byte
}

// Evidence is a stored evidence file.
type Evidence struct {
	ID          int64
	SheetID     int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	Body        []byte
}

// evidenceTypes are the files taken as evidence, by extension, with the types content sniffing
// (net/http.DetectContentType) may find for each: PDF, images, text and CSV, and the office
// formats (which sniff as zip).
var evidenceTypes = map[string]struct {
	declared string
	sniffed  []string
}{
	".pdf":  {"application/pdf", []string{"application/pdf"}},
	".png":  {"image/png", []string{"image/png"}},
	".jpg":  {"image/jpeg", []string{"image/jpeg"}},
	".jpeg": {"image/jpeg", []string{"image/jpeg"}},
	".txt":  {"text/plain", []string{"text/plain"}},
	".csv":  {"text/csv", []string{"text/plain"}},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{"application/zip"}},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{"application/zip"}},
}

// checkEvidence refuses a file that is empty or too large, whose name could be taken for a path,
// whose type is not one evidence is taken as, or whose content is not what its name says.
func checkEvidence(e *NewEvidence) error {
	e.Name = strings.TrimSpace(e.Name)
	switch {
	case len(e.Body) == 0:
		return apperr.New(apperr.Invalid, "inspection.error.evidence_empty")
	case len(e.Body) > MaxEvidenceSize:
		return apperr.New(apperr.Invalid, "inspection.error.evidence_size")
	case e.Name == "" || utf8.RuneCountInString(e.Name) > 200 || strings.ContainsAny(e.Name, `/\:*?"<>|`) ||
		strings.ContainsFunc(e.Name, unicode.IsControl) || strings.HasPrefix(e.Name, "."):
		return apperr.New(apperr.Invalid, "inspection.error.evidence_name")
	}
	t, ok := evidenceTypes[strings.ToLower(filepath.Ext(e.Name))]
	if !ok || strings.Count(e.Name, ".") > 1 && hasOtherExt(e.Name) {
		return apperr.New(apperr.Invalid, "inspection.error.evidence_type")
	}
	sniffed, _, _ := strings.Cut(http.DetectContentType(e.Body), ";")
	if !contains(t.sniffed, sniffed) || bytes.HasPrefix(e.Body, []byte("MZ")) {
		return apperr.New(apperr.Invalid, "inspection.error.evidence_content")
	}
	e.ContentType = t.declared
	return nil
}

// hasOtherExt reports whether a name carries a second extension that is not evidence
// (report.exe.pdf).
func hasOtherExt(name string) bool {
	parts := strings.Split(strings.ToLower(name), ".")
	for _, p := range parts[1 : len(parts)-1] {
		if len(p) <= 4 && p != "" {
			if _, ok := evidenceTypes["."+p]; !ok {
				return true
			}
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func storeEvidence(ctx context.Context, tx *sql.Tx, who access.Actor, sheetID int64, e *NewEvidence, now time.Time) (int64, error) {
	sum := sha256.Sum256(e.Body)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO inspection_evidence (org_id, sheet_id, name, content_type, size, sha256, body, staff_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, who.OrgID, sheetID, e.Name, e.ContentType, len(e.Body),
		hex.EncodeToString(sum[:]), e.Body, store.NullID(who.StaffID), now).Scan(&id)
	if err != nil {
		return 0, apperr.Wrap(err, "insert evidence")
	}
	return id, nil
}

// EvidenceFile returns an evidence file of a sheet the actor reads, its hash checked.
func (s *Service) EvidenceFile(ctx context.Context, who access.Actor, campaignID, sheetID, id int64) (Evidence, error) {
	if _, _, _, _, err := s.place(ctx, s.DB.SQL, who, campaignID, sheetID); err != nil {
		return Evidence{}, err
	}
	var e Evidence
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT id, sheet_id, name, content_type, size, sha256, body FROM inspection_evidence
		WHERE org_id = $1 AND sheet_id = $2 AND id = $3`, who.OrgID, sheetID, id).
		Scan(&e.ID, &e.SheetID, &e.Name, &e.ContentType, &e.Size, &e.SHA256, &e.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return e, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return e, apperr.Wrap(err, "evidence")
	}
	if sum := sha256.Sum256(e.Body); hex.EncodeToString(sum[:]) != e.SHA256 {
		return e, apperr.Wrap(errors.New("hash mismatch"), "evidence")
	}
	return e, nil
}
