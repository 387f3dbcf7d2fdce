package web

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"

	"mamori/internal/apperr"
	"mamori/internal/sysaccount"
)

// The import of a system's account list, in the register import's steps: choose the system and
// the file, see what the dry run found (changing nothing) — every bad row with its row and
// column, the accounts it adds, changes and would remove — then apply it all at once.

type sysAccountImportData struct {
	Systems       []sysaccount.System
	System        string
	RemoveMissing bool
	Report        *sysaccount.ImportReport
	FileName      string
	Data          string // the checked file, carried to the apply step
	MaxMiB        int
}

func (w *Server) sysAccountImportForm(rw http.ResponseWriter, r *http.Request) error {
	return w.renderSysAccountImport(rw, r, http.StatusOK, sysAccountImportData{System: r.URL.Query().Get("system")}, nil)
}

func (w *Server) renderSysAccountImport(rw http.ResponseWriter, r *http.Request, status int, d sysAccountImportData, err error) error {
	systems, e := w.s.SystemAccounts.Changeable(r.Context(), stateOf(r).who)
	if e != nil {
		return e
	}
	if len(systems) == 0 {
		return apperr.New(apperr.Forbidden, "sysaccount.error.forbidden")
	}
	d.Systems, d.MaxMiB = systems, sysaccount.MaxFileBytes>>20
	p := w.newPage(r, "sysaccount.import.title", "system-accounts")
	p.Crumbs = []crumb{{p.T("sysaccount.title"), "/system-accounts"}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = d
	w.render(rw, r, status, "sysaccount_import", p)
	return nil
}

// sysAccountImport checks the uploaded list (a dry run), or with apply=yes applies the list
// the dry run checked.
func (w *Server) sysAccountImport(rw http.ResponseWriter, r *http.Request) error {
	d := sysAccountImportData{System: r.PostForm.Get("system"), RemoveMissing: r.PostForm.Get("remove_missing") == "on"}
	var body []byte
	if enc := r.PostForm.Get("data"); enc != "" {
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return apperr.InvalidField("file", "sysaccount.import.error.empty")
		}
		body, d.FileName = b, r.PostForm.Get("file_name")
	} else {
		if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
			return w.renderSysAccountImport(rw, r, http.StatusUnprocessableEntity, d, apperr.InvalidField("file", "error.required"))
		}
		fh := r.MultipartForm.File["file"][0]
		f, err := fh.Open()
		if err != nil {
			return apperr.Wrap(err, "upload")
		}
		defer f.Close()
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(f); err != nil {
			return apperr.Wrap(err, "upload")
		}
		body, d.FileName = buf.Bytes(), fh.Filename
	}
	apply := r.PostForm.Get("apply") == "yes"
	rep, err := w.s.SystemAccounts.Import(r.Context(), stateOf(r).who, d.FileName, bytes.NewReader(body),
		sysaccount.ImportOptions{SystemRef: d.System, DryRun: !apply, RemoveMissing: d.RemoveMissing})
	if apperr.CodeOf(err) == apperr.Invalid || apperr.CodeOf(err) == apperr.TooLarge {
		return w.renderSysAccountImport(rw, r, http.StatusUnprocessableEntity, d, err)
	}
	if err != nil {
		return err
	}
	if rep.Applied {
		return w.redirect(rw, r, "/system-accounts?system="+url.QueryEscape(d.System), "sysaccount.import.applied")
	}
	d.Report = &rep
	if len(rep.Errors) == 0 {
		d.Data = base64.StdEncoding.EncodeToString(body)
	}
	return w.renderSysAccountImport(rw, r, http.StatusOK, d, nil)
}
