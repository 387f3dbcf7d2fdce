package task

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

// MaxFileSize is the largest file that closes a task: a training record, a maintenance report,
// a scanned list of attendees.
const MaxFileSize = 10 << 20

// Upload is a file given as a task's evidence.
type Upload struct {
	Name string
	Body []byte
}

// fileTypes are the kinds of file a task accepts, by extension: the type it is kept and sent
// as, and the types content sniffing may find for it.
var fileTypes = map[string]struct {
	kind  string
	sniff []string
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

// FileTypes is the list of extensions a task accepts, as the form and the error name them.
const FileTypes = "PDF, PNG, JPEG, TXT, CSV, XLSX, DOCX"

type checkedFile struct {
	name, kind, sum string
	body            []byte
}

// checkFile refuses a file too large, of a kind not accepted, or whose content is not what its
// name says.
func checkFile(u Upload) (checkedFile, error) {
	name := strings.TrimSpace(filepath.Base(strings.ReplaceAll(u.Name, "\\", "/")))
	if len(u.Body) > MaxFileSize {
		return checkedFile{}, apperr.InvalidField("file", "tasks.error.file_size", MaxFileSize>>20)
	}
	ft, ok := fileTypes[strings.ToLower(filepath.Ext(name))]
	if !ok || name == "" || name == "." {
		return checkedFile{}, apperr.InvalidField("file", "tasks.error.file_type", FileTypes)
	}
	sniffed := strings.SplitN(http.DetectContentType(u.Body), ";", 2)[0]
	match := false
	for _, s := range ft.sniff {
		match = match || s == sniffed
	}
	if !match {
		return checkedFile{}, apperr.InvalidField("file", "tasks.error.file_content", FileTypes)
	}
	sum := sha256.Sum256(u.Body)
	return checkedFile{name: name, kind: ft.kind, sum: hex.EncodeToString(sum[:]), body: u.Body}, nil
}

func insertFile(ctx context.Context, tx *sql.Tx, orgID, taskID int64, f checkedFile, at time.Time) (File, error) {
	out := File{Name: f.name, ContentType: f.kind, Size: int64(len(f.body)), SHA256: f.sum}
	err := tx.QueryRowContext(ctx, `INSERT INTO task_files (org_id, task_id, name, content_type, size, sha256, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, orgID, taskID, f.name, f.kind, out.Size, f.sum, f.body, at).Scan(&out.ID)
	if err != nil {
		return out, apperr.Wrap(err, "task file")
	}
	return out, nil
}

func fileOf(ctx context.Context, q store.Querier, orgID, taskID int64) (*File, error) {
	var f File
	err := q.QueryRowContext(ctx, `SELECT id, name, content_type, size, sha256 FROM task_files WHERE org_id = $1 AND task_id = $2
		ORDER BY id DESC LIMIT 1`, orgID, taskID).Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Wrap(err, "task file")
	}
	return &f, nil
}

// FileBody returns the file that closed a task the actor reads, checked against its SHA-256.
func (s *Service) FileBody(ctx context.Context, who access.Actor, id int64) (File, []byte, error) {
	t, err := s.Get(ctx, who, id)
	if err != nil {
		return File{}, nil, err
	}
	if t.File == nil {
		return File{}, nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	var body []byte
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT body FROM task_files WHERE id = $1 AND org_id = $2`, t.File.ID, who.OrgID).
		Scan(&body); err != nil {
		return File{}, nil, apperr.Wrap(err, "task file")
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != t.File.SHA256 {
		return File{}, nil, apperr.Wrap(errors.New("task file does not match its SHA-256"), "task file")
	}
	return *t.File, body, nil
}
