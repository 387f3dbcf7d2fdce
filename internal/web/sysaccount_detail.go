package web

import (
	"net/http"
	"net/url"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/sysaccount"
)

// One account of a system: its owner, grant, sign-in, password change and deputy, the pack's
// findings with their articles, and for those who keep it the record of its removal (抹消) and
// of a privileged ID's password change.

type sysAccountData struct {
	Account    sysaccount.Account
	SystemName string
	Flags      []policy.AccountRule
	Actions    sysaccount.Actions
	Today      string
}

func (w *Server) sysAccountDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.sysAccountForm(rw, r, http.StatusOK, nil)
}

func (w *Server) sysAccountForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	id, e := pathID(r)
	if e != nil {
		return e
	}
	a, e := w.s.SystemAccounts.Get(ctx, who, id)
	if e != nil {
		return e
	}
	rules, e := w.s.SystemAccounts.Rules(ctx, who.OrgID)
	if e != nil {
		return e
	}
	d := sysAccountData{Account: a, SystemName: a.SystemRef, Actions: w.s.SystemAccounts.ActionsFor(ctx, who, a),
		Today: w.s.Now().Format("2006-01-02")}
	if sys, e := w.s.SystemAccounts.SystemNamed(ctx, who, a.SystemRef); e == nil {
		d.SystemName = sys.Name
	}
	for _, f := range a.Findings {
		for _, ru := range rules {
			if ru.ID == f {
				d.Flags = append(d.Flags, ru)
			}
		}
	}
	p := w.newPage(r, "sysaccount.detail.title", "system-accounts")
	p.Crumbs = []crumb{{p.T("sysaccount.title"), "/system-accounts"}, {d.SystemName, "/system-accounts?system=" + url.QueryEscape(a.SystemRef)}}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = d
	w.render(rw, r, status, "sysaccount_detail", p)
	return nil
}

// sysAccountRemove records the account's removal, after the 確認 step.
func (w *Server) sysAccountRemove(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	back := "/system-accounts/" + strconv.FormatInt(id, 10)
	if !w.confirmed(rw, r, "sysaccount.remove.title", "sysaccount.remove.confirm", back) {
		return nil
	}
	_, err = w.s.SystemAccounts.Remove(r.Context(), stateOf(r).who, id, r.PostForm.Get("removed_on"), r.PostForm.Get("note"))
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.sysAccountForm(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, back, "sysaccount.removed")
}

// sysAccountPassword records the day a privileged ID's password was changed.
func (w *Server) sysAccountPassword(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = w.s.SystemAccounts.RecordPassword(r.Context(), stateOf(r).who, id, r.PostForm.Get("password_changed_on"))
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.sysAccountForm(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/system-accounts/"+strconv.FormatInt(id, 10), "sysaccount.password.recorded")
}
