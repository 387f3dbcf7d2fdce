package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// MaxEvidenceSize is the largest evidence file an audit keeps: a scanned record, a screenshot,
// a settings export. 監査証拠 are kept so that none is lost (上毛町 9(1)⑥).
const MaxEvidenceSize = 10 << 20

// NewEvidence is a file given as evidence.
type NewEvidence struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Body        []byte `json:"-"`
}

// evidenceTypes are the types evidence is taken as, by extension, each with what content
// sniffing (net/http.DetectContentType) may find in it: documents, images, text and the
// Office formats (zip containers).
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

// checkEvidence refuses a file that is empty, too large, of a type not taken, or whose content
// is not what its name says, naming the file.
func checkEvidence(field string, e *NewEvidence) error {
	e.Name = strings.TrimSpace(e.Name)
	if e.Name == "" || utf8.RuneCountInString(e.Name) > 200 || strings.ContainsAny(e.Name, `/\:*?"<>|`) || strings.HasPrefix(e.Name, ".") {
		return apperr.InvalidField(field, "audits.error.evidence_name")
	}
	if len(e.Body) == 0 {
		return apperr.InvalidField(field, "audits.error.evidence_empty", e.Name)
	}
	if len(e.Body) > MaxEvidenceSize {
		return apperr.InvalidField(field, "audits.error.evidence_size", e.Name, MaxEvidenceSize>>20)
	}
	t, ok := evidenceTypes[strings.ToLower(path.Ext(e.Name))]
	if !ok {
		return apperr.InvalidField(field, "audits.error.evidence_type", e.Name)
	}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(e.Body))
	found := false
	for _, x := range t.sniffed {
		found = found || x == sniffed
	}
	if !found {
		return apperr.InvalidField(field, "audits.error.evidence_mismatch", e.Name)
	}
	e.ContentType = t.declared
	return nil
}

func checkAll(field string, list []NewEvidence) error {
	for i := range list {
		if err := checkEvidence(field, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

func storeEvidence(ctx context.Context, tx *sql.Tx, who access.Actor, auditID, itemID, actionID int64, e NewEvidence, now time.Time) (Evidence, error) {
	sum := sha256.Sum256(e.Body)
	ev := Evidence{ItemID: itemID, ActionID: actionID, Name: e.Name, ContentType: e.ContentType, Size: int64(len(e.Body)),
		SHA256: hex.EncodeToString(sum[:]), AddedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO audit_evidence (org_id, audit_id, item_id, action_id, name, content_type, size, sha256, body,
		added_by_user_id, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		who.OrgID, auditID, nullID(itemID), nullID(actionID), ev.Name, ev.ContentType, ev.Size, ev.SHA256, e.Body, nullID(who.UserID), now).Scan(&ev.ID)
	if err != nil {
		return ev, apperr.Wrap(err, "audit evidence")
	}
	return ev, nil
}

// EvidenceBody returns an evidence file of an audit and its bytes, its SHA-256 checked: the
// evidence of an item to those who read the audit whole, that of a corrective action also to
// its department.
func (s *Service) EvidenceBody(ctx context.Context, who access.Actor, auditID, id int64) (Evidence, []byte, error) {
	a, err := s.load(ctx, s.DB.SQL, who.OrgID, auditID)
	if err != nil {
		return Evidence{}, nil, err
	}
	g := sightOf(who, a, today(s.now()))
	var e Evidence
	var body []byte
	var dept int64
	err = s.DB.SQL.QueryRowContext(ctx, `SELECT e.id, COALESCE(e.item_id, 0), COALESCE(e.action_id, 0), e.name, e.content_type, e.size, e.sha256,
		e.added_at, e.body, COALESCE(c.department_id, 0) FROM audit_evidence e LEFT JOIN audit_actions c ON c.id = e.action_id
		WHERE e.id = $1 AND e.audit_id = $2 AND e.org_id = $3`, id, auditID, who.OrgID).
		Scan(&e.ID, &e.ItemID, &e.ActionID, &e.Name, &e.ContentType, &e.Size, &e.SHA256, &e.AddedAt, &body, &dept)
	if errors.Is(err, sql.ErrNoRows) || !(g.all || (e.ActionID != 0 && g.dept(dept))) {
		return Evidence{}, nil, apperr.New(apperr.NotFound, "audits.error.not_found")
	}
	if err != nil {
		return Evidence{}, nil, apperr.Wrap(err, "audit evidence")
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != e.SHA256 {
		return Evidence{}, nil, apperr.Wrap(errors.New("evidence hash differs"), "audit evidence")
	}
	return e, body, nil
}
