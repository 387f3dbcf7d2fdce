package review

import (
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"mamori/internal/apperr"
)

// MaxFileSize is the largest procedure document the register keeps.
const MaxFileSize = 10 << 20

// fileTypes are the documents a procedure may be: the type declared, the names that declare it
// and what content sniffing must find.
var fileTypes = map[string]struct{ ext, sniff []string }{
	"application/pdf": {[]string{".pdf"}, []string{"application/pdf"}},
	"text/plain":      {[]string{".txt"}, []string{"text/plain"}},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {[]string{".docx"}, []string{"application/zip"}},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       {[]string{".xlsx"}, []string{"application/zip"}},
	"application/msword":       {[]string{".doc"}, []string{"application/octet-stream"}},
	"application/vnd.ms-excel": {[]string{".xls"}, []string{"application/octet-stream"}},
}

// byExt finds the type of a file whose browser declared none or a generic one.
func byExt(ext string) string {
	for t, r := range fileTypes {
		for _, e := range r.ext {
			if e == ext {
				return t
			}
		}
	}
	return ""
}

// checkFile refuses a file without a name, empty, too large, of a type the register does not
// keep, or whose content, name and declared type disagree.
func checkFile(field string, f *File) error {
	f.Name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(f.Name, `\`, "/")))
	switch {
	case f.Name == "" || f.Name == "." || f.Name == "/" || utf8.RuneCountInString(f.Name) > 200 || !utf8.ValidString(f.Name):
		return apperr.InvalidField(field, "procedure.error.file_name")
	case len(f.Body) == 0:
		return apperr.InvalidField(field, "procedure.error.file_empty", f.Name)
	case len(f.Body) > MaxFileSize:
		return apperr.InvalidField(field, "procedure.error.file_size", f.Name, MaxFileSize>>20)
	}
	ext := strings.ToLower(filepath.Ext(f.Name))
	declared, _, err := mime.ParseMediaType(f.ContentType)
	if err != nil || declared == "application/octet-stream" || declared == "" {
		declared = byExt(ext)
	}
	rule, ok := fileTypes[declared]
	if !ok {
		return apperr.InvalidField(field, "procedure.error.file_type", f.Name)
	}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(f.Body))
	extOK, sniffOK := false, false
	for _, e := range rule.ext {
		extOK = extOK || e == ext
	}
	for _, s := range rule.sniff {
		sniffOK = sniffOK || s == sniffed
	}
	for _, m := range []string{"MZ", "\x7fELF", "#!"} {
		if strings.HasPrefix(string(f.Body[:min(len(f.Body), 8)]), m) {
			sniffOK = false
		}
	}
	if !extOK || !sniffOK {
		return apperr.InvalidField(field, "procedure.error.file_type", f.Name)
	}
	f.ContentType = declared
	return nil
}
