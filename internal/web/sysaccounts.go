package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/sysaccount"
)

// The accounts of the organisation's systems (利用者ID・特権ID): the list the actor may read,
// filtered by system, kind, owner and finding, with each account's owner, grant, last sign-in,
// password change and the pack's findings; its xlsx export and the A4 list of one system for
// its 情報システム管理者's signature.

type sysAccountRow struct {
	sysaccount.Account
	SystemName string
	Flags      []policy.AccountRule
}

type sysAccountsData struct {
	Rows      []sysAccountRow
	Total     int
	Filter    sysaccount.Filter
	Systems   []sysaccount.System
	Kinds     []string
	Rules     []policy.AccountRule
	CanImport bool
	Query     string // the filter as a query string, for the export and print links
	System    sysaccount.System
	PrintedOn string
}

func sysAccountFilter(r *http.Request) sysaccount.Filter {
	q := r.URL.Query()
	return sysaccount.Filter{SystemRef: q.Get("system"), Kind: q.Get("kind"), Flag: q.Get("flag"), State: q.Get("state"),
		Query: q.Get("q"), Limit: 500}
}

func (w *Server) sysAccountsView(r *http.Request, title string, all bool) (*page, sysAccountsData, error) {
	ctx, who := r.Context(), stateOf(r).who
	f := sysAccountFilter(r)
	var d sysAccountsData
	var list []sysaccount.Account
	if all {
		var err error
		if list, err = w.s.SystemAccounts.All(ctx, who, f); err != nil {
			return nil, d, err
		}
		d.Total = len(list)
	} else {
		pg, err := w.s.SystemAccounts.List(ctx, who, f)
		if err != nil {
			return nil, d, err
		}
		list, d.Total = pg.Accounts, pg.Total
	}
	systems, err := w.s.SystemAccounts.Systems(ctx, who)
	if err != nil {
		return nil, d, err
	}
	changeable, err := w.s.SystemAccounts.Changeable(ctx, who)
	if err != nil {
		return nil, d, err
	}
	rules, err := w.s.SystemAccounts.Rules(ctx, who.OrgID)
	if err != nil {
		return nil, d, err
	}
	names := map[string]string{}
	for _, s := range systems {
		names[s.Ref] = s.Name
		if s.Ref == f.SystemRef {
			d.System = s
		}
	}
	byID := map[string]policy.AccountRule{}
	for _, ru := range rules {
		byID[ru.ID] = ru
	}
	p := w.newPage(r, title, "system-accounts")
	d.Filter, d.Systems, d.Kinds, d.Rules, d.CanImport = f, systems, sysaccount.Kinds, rules, len(changeable) > 0
	d.Query = r.URL.Query().Encode()
	d.PrintedOn = p.Date(w.s.Now())
	if d.System.Ref == "" && f.SystemRef != "" {
		d.System = sysaccount.System{Ref: f.SystemRef, Name: f.SystemRef}
	}
	for _, a := range list {
		row := sysAccountRow{Account: a, SystemName: names[a.SystemRef]}
		if row.SystemName == "" {
			row.SystemName = a.SystemRef
		}
		for _, id := range a.Findings {
			if ru, ok := byID[id]; ok {
				row.Flags = append(row.Flags, ru)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return p, d, nil
}

func (w *Server) sysAccounts(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.sysAccountsView(r, "sysaccount.title", false)
	if err != nil {
		return err
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "sysaccounts", p)
	return nil
}

// sysAccountsPrint is a system's account list on A4, for its 情報システム管理者 to sign.
func (w *Server) sysAccountsPrint(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.sysAccountsView(r, "sysaccount.print.title", true)
	if err != nil {
		return err
	}
	p.Crumbs = []crumb{{p.T("sysaccount.title"), "/system-accounts"}}
	p.Data = d
	w.render(rw, r, http.StatusOK, "sysaccount_print", p)
	return nil
}

// sysAccountsExport downloads the accounts the actor reads, as filtered, as .xlsx.
func (w *Server) sysAccountsExport(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.sysAccountsView(r, "sysaccount.title", true)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(d.Rows))
	for _, a := range d.Rows {
		var flags []string
		for _, f := range a.Flags {
			flags = append(flags, f.Title)
		}
		rows = append(rows, []any{a.SystemName, a.Login, p.Label("sysaccount.kind.", a.Kind), a.DisplayName, a.OwnerEmployeeNo, a.OwnerName,
			a.OwnerDepartmentName, a.ResponsibleName, a.DeputyName, a.GrantedOn, a.approval(), a.LastLoginOn, a.PasswordChangedOn,
			a.LastReviewedOn, p.Label("sysaccount.state.", a.State), a.RemovedOn, a.RemovedByName, strings.Join(flags, "、"), a.Note})
	}
	head := []string{}
	for _, k := range []string{"system", "login", "kind", "display_name", "owner_no", "owner", "owner_department", "responsible", "deputy",
		"granted_on", "approval", "last_login_on", "password_changed_on", "last_reviewed_on", "state", "removed_on", "removed_by",
		"findings", "note"} {
		head = append(head, p.T("sysaccount.field."+k))
	}
	return sendXLSX(rw, "system-accounts-"+time.Now().In(i18n.Tokyo).Format("20060102"), p.T("sysaccount.title"), head, rows)
}

// approval names what granted the account: its request, or the paper approval.
func (a sysAccountRow) approval() string {
	if a.GrantedRequestID != 0 {
		return "#" + strconv.FormatInt(a.GrantedRequestID, 10)
	}
	return a.ApprovalRef
}

// FlagLink is the list filtered by one more value.
func (d sysAccountsData) Link(key, value string) string {
	q, _ := url.ParseQuery(d.Query)
	q.Set(key, value)
	return "/system-accounts?" + q.Encode()
}

// CanListSystemAccounts says whether the navigation offers the accounts of the systems: the
// pack has account rules, and the actor is signed in (everyone reads at least their own).
func (p *page) CanListSystemAccounts() bool {
	return p.Who != nil && p.pack != nil && p.pack.Accounts.Defined()
}

// AccountRule is the pack's account rule with the id, for naming a finding on the desk.
func (p *page) AccountRule(id string) *policy.AccountRule {
	if p.pack == nil {
		return nil
	}
	if r, ok := p.pack.AccountRule(id); ok {
		return &r
	}
	return nil
}
