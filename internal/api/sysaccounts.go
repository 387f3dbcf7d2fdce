package api

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/sysaccount"
)

// The accounts of the organisation's systems (利用者ID・特権ID), each with the findings of the
// pack's account rules. The service decides who reads what: a system's role holders, the
// organisation-wide security roles, auditors and the pack's account keepers all of a system's
// accounts, a department's role holders those of its staff, a person their own.

// sysAccountDetail is one account with the acts the token holder may do on it.
type sysAccountDetail struct {
	Account sysaccount.Account `json:"account"`
	Actions sysaccount.Actions `json:"actions"`
}

// sysAccountRemoval is the body of a removal.
type sysAccountRemoval struct {
	RemovedOn string `json:"removed_on"`
	Note      string `json:"note"`
}

// sysAccountPassword is the body of a password change.
type sysAccountPassword struct {
	PasswordChangedOn string `json:"password_changed_on"`
}

func (a *api) listSystemAccounts(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := sysaccount.Filter{SystemRef: q.Get("system"), Kind: q.Get("kind"), Flag: q.Get("flag"), State: q.Get("state"),
		Query: q.Get("q"), Limit: p.limit, Offset: p.offset}
	if s := q.Get("owner_staff_id"); s != "" {
		if f.OwnerStaffID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return apperr.InvalidField("owner_staff_id", "error.number")
		}
	}
	pg, err := a.s.SystemAccounts.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, pg.Accounts, pg.Total)
}

func (a *api) getSystemAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := a.s.SystemAccounts.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, sysAccountDetail{Account: x, Actions: a.s.SystemAccounts.ActionsFor(r.Context(), actor(r), x)})
}

func (a *api) createSystemAccount(w http.ResponseWriter, r *http.Request) error {
	var in sysaccount.Input
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	x, err := a.s.SystemAccounts.Create(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, x)
	return nil
}

func (a *api) updateSystemAccount(w http.ResponseWriter, r *http.Request) error {
	var in sysaccount.Input
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	x, err := a.s.SystemAccounts.Update(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return ok(w, x)
}

func (a *api) removeSystemAccount(w http.ResponseWriter, r *http.Request) error {
	var in sysAccountRemoval
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	x, err := a.s.SystemAccounts.Remove(r.Context(), actor(r), id, in.RemovedOn, in.Note)
	if err != nil {
		return err
	}
	return ok(w, x)
}

func (a *api) recordSystemAccountPassword(w http.ResponseWriter, r *http.Request) error {
	var in sysAccountPassword
	id, err := a.decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	x, err := a.s.SystemAccounts.RecordPassword(r.Context(), actor(r), id, in.PasswordChangedOn)
	if err != nil {
		return err
	}
	return ok(w, x)
}

// importSystemAccounts imports a system's account list: 200 for a dry run, 201 when applied,
// 422 with the report when a row is bad (nothing written).
func (a *api) importSystemAccounts(w http.ResponseWriter, r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return apperr.New(codeUnsupportedMediaType, "error.unsupported_media_type")
	}
	r.Body = http.MaxBytesReader(w, r.Body, sysaccount.MaxFileBytes+1<<20)
	if err := r.ParseMultipartForm(importMaxMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "import.error.too_large", sysaccount.MaxFileBytes>>20)
		}
		return errNoFile
	}
	defer r.MultipartForm.RemoveAll()
	opts := sysaccount.ImportOptions{SystemRef: r.FormValue("system")}
	var err error
	if opts.DryRun, err = formSwitch(r, "dry_run"); err != nil {
		return err
	}
	if opts.RemoveMissing, err = formSwitch(r, "remove_missing"); err != nil {
		return err
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return errNoFile
	}
	defer f.Close()
	rep, err := a.s.SystemAccounts.Import(r.Context(), actor(r), hdr.Filename, f, opts)
	switch {
	case err != nil:
		return err
	case opts.DryRun:
		return ok(w, rep)
	case rep.Applied:
		writeJSON(w, http.StatusCreated, rep)
	case len(rep.Errors) == 0:
		return ok(w, rep) // nothing to change
	default:
		writeJSON(w, http.StatusUnprocessableEntity, rep)
	}
	return nil
}
