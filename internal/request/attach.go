package request

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

// MaxAttachmentSize is the largest attachment a request takes (a scanned signed form, a plan
// as PDF or spreadsheet).
const MaxAttachmentSize = 10 << 20

// NewAttachment is a file given with a request: the name and type the browser declared, and
// the bytes.
type NewAttachment struct {
	Field       string // the file field it answers, "" for a general attachment
	Name        string
	ContentType string
	Body        []byte
}

// Attachment is an attachment's metadata. The body is read on its own (AttachmentBody).
//
// Attachments are never served as active content: the web and the API send them with
// Content-Disposition: attachment and X-Content-Type-Options: nosniff, under the type checked
// here, so that a file cannot run as a page of Mamori.
type Attachment struct {
	ID          int64     `json:"id"`
	Field       string    `json:"field,omitempty"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	StaffID     int64     `json:"staff_id,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// allowed are the types a request takes, each with the file name extensions that declare it
// and the type content sniffing (net/http.DetectContentType) must find.
var allowed = map[string]struct {
	exts  []string
	sniff []string
}{
	"application/pdf": {[]string{".pdf"}, []string{"application/pdf"}},
	"image/png":       {[]string{".png"}, []string{"image/png"}},
	"image/jpeg":      {[]string{".jpg", ".jpeg"}, []string{"image/jpeg"}},
	"image/gif":       {[]string{".gif"}, []string{"image/gif"}},
	"text/plain":      {[]string{".txt"}, []string{"text/plain"}},
	"text/csv":        {[]string{".csv"}, []string{"text/plain"}},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {[]string{".xlsx"}, []string{"application/zip"}},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {[]string{".docx"}, []string{"application/zip"}},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {[]string{".pptx"}, []string{"application/zip"}},
	"application/vnd.ms-excel": {[]string{".xls"}, []string{"application/octet-stream"}},
	"application/msword":       {[]string{".doc"}, []string{"application/octet-stream"}},
}

// forbiddenExts are programs, scripts and active documents, refused whatever type is declared.
var forbiddenExts = []string{".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js",
	".jse", ".wsf", ".wsh", ".hta", ".sh", ".bash", ".py", ".pl", ".rb", ".php", ".jar", ".apk", ".app", ".lnk",
	".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".mht", ".mhtml", ".swf", ".docm", ".xlsm", ".pptm"}

// executableMagic are the first bytes of programs and scripts, whatever the file is called.
var executableMagic = []string{"MZ", "\x7fELF", "#!", "\xca\xfe\xba\xbe", "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf",
	"\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe", "\x00asm"}

// checkAttachment refuses an attachment that is too large, of a type a request does not take,
// or whose content, name and declared type disagree. field names the input ("attachments[0]").
func checkAttachment(field string, a *NewAttachment) error {
	a.Name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(a.Name, `\`, "/")))
	switch {
	case a.Name == "" || a.Name == "." || a.Name == "/":
		return apperr.InvalidField(field, "request.error.attachment_name")
	case utf8.RuneCountInString(a.Name) > 200 || !utf8.ValidString(a.Name):
		return apperr.InvalidField(field, "request.error.attachment_name")
	case len(a.Body) == 0:
		return apperr.InvalidField(field, "request.error.attachment_empty", a.Name)
	case len(a.Body) > MaxAttachmentSize:
		return apperr.InvalidField(field, "request.error.attachment_size", a.Name, MaxAttachmentSize>>20)
	}
	ext := strings.ToLower(filepath.Ext(a.Name))
	declared, _, err := mime.ParseMediaType(a.ContentType)
	if err != nil {
		declared = ""
	}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(a.Body))
	for _, f := range forbiddenExts {
		if ext == f {
			return apperr.InvalidField(field, "request.error.attachment_type", a.Name)
		}
	}
	for _, m := range executableMagic {
		if strings.HasPrefix(string(a.Body[:min(len(a.Body), 8)]), m) {
			return apperr.InvalidField(field, "request.error.attachment_type", a.Name)
		}
	}
	if sniffed == "text/html" || sniffed == "text/xml" || sniffed == "application/wasm" {
		return apperr.InvalidField(field, "request.error.attachment_type", a.Name)
	}
	rule, ok := allowed[declared]
	if !ok {
		return apperr.InvalidField(field, "request.error.attachment_type", a.Name)
	}
	extOK, sniffOK := false, false
	for _, e := range rule.exts {
		extOK = extOK || e == ext
	}
	for _, s := range rule.sniff {
		sniffOK = sniffOK || s == sniffed
	}
	if !extOK || !sniffOK {
		return apperr.InvalidField(field, "request.error.attachment_mismatch", a.Name)
	}
	a.ContentType = declared
	return nil
}

// checkAttachments checks every attachment and the field each answers; it returns which file
// fields are answered.
func checkAttachments(list []NewAttachment, fileFields map[string]bool) (map[string]bool, error) {
	answered := map[string]bool{}
	for i := range list {
		field := "attachments[" + strconv.Itoa(i) + "]"
		if f := list[i].Field; f != "" && !fileFields[f] {
			return nil, apperr.InvalidField(field, "request.error.unknown_field", f)
		}
		if err := checkAttachment(field, &list[i]); err != nil {
			return nil, err
		}
		answered[list[i].Field] = true
	}
	return answered, nil
}

func insertAttachment(ctx context.Context, tx *sql.Tx, orgID, requestID, staffID int64, at time.Time, a NewAttachment) (Attachment, error) {
	sum := sha256.Sum256(a.Body)
	out := Attachment{Field: a.Field, Name: a.Name, ContentType: a.ContentType, Size: int64(len(a.Body)),
		SHA256: hex.EncodeToString(sum[:]), StaffID: staffID, CreatedAt: at}
	err := tx.QueryRowContext(ctx, `INSERT INTO request_attachments (org_id, request_id, field, name, content_type, size, sha256, body, staff_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		orgID, requestID, a.Field, a.Name, a.ContentType, out.Size, out.SHA256, a.Body, store.NullID(staffID), at).Scan(&out.ID)
	if err != nil {
		return out, apperr.Wrap(err, "insert attachment")
	}
	return out, nil
}
