package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/textcheck"
)

// Files travel in and out of the API the same way for requests (添付) and incidents (証拠): in
// as parts of a multipart/form-data body, out as a download that can never run as a page of
// Mamori.

func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// eachPart reads a multipart/form-data body of at most limit bytes and calls fn for each part
// with its form name, in order; the caller has checked that the body is multipart.
func eachPart(w http.ResponseWriter, r *http.Request, limit int64, fn func(name string, part *multipart.Part) error) error {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return apperr.New(apperr.Invalid, "error.invalid")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return apperr.New(apperr.Invalid, "error.invalid")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return multipartError(err)
		}
		if err := fn(part.FormName(), part); err != nil {
			return err
		}
	}
}

// filePart is a file part read whole: "file" (a file of its own) or "file.<field>" (the answer
// to the form's file field <field>).
type filePart struct {
	Field, Name, ContentType string
	Body                     []byte
}

func isFilePart(name string) bool { return name == "file" || strings.HasPrefix(name, "file.") }

// readFilePart reads a file part of at most max bytes, and one byte more, so that the service
// refuses a larger file by its name and size.
func readFilePart(part *multipart.Part, max int64) (filePart, error) {
	if p := textcheck.Line(part.FileName()); p != textcheck.OK {
		return filePart{}, textcheck.Refusal(part.FormName(), p) // "‮fdp.exe" shows as "exe.pdf"
	}
	body, err := io.ReadAll(io.LimitReader(part, max+1))
	if err != nil {
		return filePart{}, multipartError(err)
	}
	return filePart{Field: strings.TrimPrefix(strings.TrimPrefix(part.FormName(), "file"), "."), Name: part.FileName(),
		ContentType: part.Header.Get("Content-Type"), Body: body}, nil
}

func multipartError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return apperr.New(apperr.TooLarge, "error.too_large")
	}
	return apperr.New(apperr.Invalid, "error.invalid")
}

// download sends a file as a download, never as a page: Content-Disposition attachment,
// nosniff, and a policy that runs nothing should a browser open it anyway.
func download(w http.ResponseWriter, contentType, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body) // a client that went away is no error of ours
}
