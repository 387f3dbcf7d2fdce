package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/transfer"
)

// 人事異動: upload a list (as a dry run, or applied at once), read it, apply it, withdraw it.

func (a *api) listTransfers(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	switch state {
	case "", transfer.StateDraft, transfer.StatePending, transfer.StateApplied, transfer.StateWithdrawn, transfer.StateFailed:
	default:
		return apperr.InvalidField("state", "error.choose")
	}
	lists, err := a.s.Transfers.Lists(r.Context(), actor(r), state, p.offset+p.limit)
	if err != nil {
		return err
	}
	total := len(lists)
	if p.offset < len(lists) {
		lists = lists[p.offset:]
	} else {
		lists = nil
	}
	return writeList(w, r, p, lists, total)
}

// uploadTransfers keeps the list and answers its dry run (dry_run, 200) or applies it at once
// (201); a list with a wrong row is kept as a draft, nothing changes, and the answer is 422 with
// the report naming each wrong row.
func (a *api) uploadTransfers(w http.ResponseWriter, r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return apperr.New(codeUnsupportedMediaType, "error.unsupported_media_type")
	}
	r.Body = http.MaxBytesReader(w, r.Body, transfer.MaxBytes+1<<20)
	if err := r.ParseMultipartForm(importMaxMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "import.error.too_large", transfer.MaxBytes>>20)
		}
		return errNoFile
	}
	defer r.MultipartForm.RemoveAll()
	dry, err := formSwitch(r, "dry_run")
	if err != nil {
		return err
	}
	var mapping []string
	if s := strings.TrimSpace(r.FormValue("mapping")); s != "" {
		if err := decodeJSON([]byte(s), &mapping); err != nil {
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
	data, err := io.ReadAll(io.LimitReader(f, transfer.MaxBytes+1))
	if err != nil {
		return apperr.Wrap(err, "read upload")
	}
	ctx, who := r.Context(), actor(r)
	l, err := a.s.Transfers.Upload(ctx, who, hdr.Filename, data)
	if err != nil {
		return err
	}
	if mapping != nil {
		if _, err := a.s.Transfers.SetMapping(ctx, who, l.ID, mapping); err != nil {
			return err
		}
	}
	w.Header().Set("Location", "/api/v1/transfers/"+strconv.FormatInt(l.ID, 10))
	if dry {
		rep, err := a.s.Transfers.Check(ctx, who, l.ID)
		if err != nil {
			return err
		}
		return ok(w, worded(rep))
	}
	return a.applied(w, r, l.ID)
}

func (a *api) applied(w http.ResponseWriter, r *http.Request, id int64) error {
	ctx, who := r.Context(), actor(r)
	rep, err := a.s.Transfers.Apply(ctx, who, id)
	if apperr.CodeOf(err) == apperr.Invalid {
		if checked, cerr := a.s.Transfers.Check(ctx, who, id); cerr == nil && !checked.OK() {
			writeJSON(w, http.StatusUnprocessableEntity, worded(checked))
			return nil
		}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, worded(rep))
	return nil
}

func (a *api) getTransfers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := a.s.Transfers.Check(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, worded(rep))
}

func (a *api) applyTransfers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.applied(w, r, id)
}

func (a *api) withdrawTransfers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	l, err := a.s.Transfers.Withdraw(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, l)
}

// worded puts each problem of the report in Japanese and English words.
func worded(rep transfer.Report) transfer.Report {
	for i := range rep.Rows {
		for j := range rep.Rows[i].Problems {
			p := &rep.Rows[i].Problems[j]
			p.Message = "行" + strconv.Itoa(rep.Rows[i].Row) + " " + i18n.T(i18n.Ja, "transfer.field."+p.Field) + ": " + i18n.T(i18n.Ja, p.Key, p.Args...)
			p.MessageEn = "row " + strconv.Itoa(rep.Rows[i].Row) + " " + i18n.T(i18n.En, "transfer.field."+p.Field) + ": " + i18n.T(i18n.En, p.Key, p.Args...)
		}
	}
	return rep
}
