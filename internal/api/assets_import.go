package api

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/assetio"
)

// importMaxMemory is how much of an upload is held in memory; the rest is spooled to a
// temporary file while it is read.
const importMaxMemory = 8 << 20

// importAssets takes a register sheet (.xlsx, or .csv in UTF-8 or Shift_JIS) into the register
// in the request: the multipart field file; the switches dry_run and valid_only, as form fields
// or query parameters; and mapping, a JSON object of header → field id ("" leaves a column out)
// over the guessed and remembered mapping. update, dispose_missing and values (field → cell →
// target) are the options of assetio.Options. It answers the report: 200 for a dry run, 201 when
// rows were registered, 422 when rows are bad and nothing was registered. A file that cannot be
// read is an error, and changes nothing.
func (a *api) importAssets(w http.ResponseWriter, r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return apperr.New(codeUnsupportedMediaType, "error.unsupported_media_type")
	}
	r.Body = http.MaxBytesReader(w, r.Body, assetio.DefaultMaxBytes+1<<20)
	if err := r.ParseMultipartForm(importMaxMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "import.error.too_large", assetio.DefaultMaxBytes>>20)
		}
		return errNoFile
	}
	defer r.MultipartForm.RemoveAll()
	var opts assetio.Options
	var err error
	if opts.DryRun, err = formSwitch(r, "dry_run"); err != nil {
		return err
	}
	if opts.ValidOnly, err = formSwitch(r, "valid_only"); err != nil {
		return err
	}
	if opts.Update, err = formSwitch(r, "update"); err != nil {
		return err
	}
	if opts.DisposeMissing, err = formSwitch(r, "dispose_missing"); err != nil {
		return err
	}
	if s := strings.TrimSpace(r.FormValue("values")); s != "" {
		if err := decodeJSON([]byte(s), &opts.Values); err != nil {
			if apperr.CodeOf(err) == apperr.Malformed {
				return err
			}
			return apperr.InvalidField("values", "error.json")
		}
	}
	if s := strings.TrimSpace(r.FormValue("mapping")); s != "" {
		if err := decodeJSON([]byte(s), &opts.Mapping); err != nil {
			if apperr.CodeOf(err) == apperr.Malformed {
				return err
			}
			return apperr.InvalidField("mapping", "error.json")
		}
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return errNoFile
	}
	defer f.Close()
	im := &assetio.Importer{Assets: a.s.Assets, DB: a.s.DB}
	rep, err := im.Import(r.Context(), actor(r), hdr.Filename, f, opts)
	switch {
	case err != nil:
		return err
	case opts.DryRun:
		return ok(w, rep)
	case rep.Applied:
		writeJSON(w, http.StatusCreated, rep)
	default:
		writeJSON(w, http.StatusUnprocessableEntity, rep)
	}
	return nil
}

var errNoFile = &apperr.Error{Code: apperr.Invalid, Key: "import.error.no_file",
	Fields: []apperr.FieldError{{Field: "file", Key: "import.error.no_file"}}}

// formSwitch reads an on/off form field or query parameter: absent or empty is off.
func formSwitch(r *http.Request, name string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(r.FormValue(name))) {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	}
	return false, apperr.InvalidField(name, "error.choose")
}
