package sysaccount

import (
	"context"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Filter narrows a list of accounts.
type Filter struct {
	SystemRef    string
	Kind         string
	OwnerStaffID int64
	// Flag is the id of an account rule the accounts fail, or "any" for those failing one.
	Flag string
	// State is active (the default), removed, or all.
	State string
	// Query finds a login, a display name, an owner's name or a responsible person.
	Query  string
	Limit  int
	Offset int
}

// Page is one page of a list and the number of accounts matching in all.
type Page struct {
	Accounts []Account `json:"accounts"`
	Total    int       `json:"total"`
}

// List returns the accounts the actor reads that match the filter.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) (Page, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Page{}, err
	}
	cond, args := s.condition(who, p, f)
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT COUNT(*)`+accountFrom+`WHERE `+cond, args...).Scan(&total); err != nil {
		return Page{}, apperr.Wrap(err, "count system accounts")
	}
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 500
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	n := len(args)
	list, err := queryPage(ctx, s.DB.SQL, cond, ` LIMIT $`+strconv.Itoa(n-1)+` OFFSET $`+strconv.Itoa(n), args...)
	if err != nil {
		return Page{}, err
	}
	return Page{Accounts: list, Total: total}, nil
}

// All returns every account the actor reads that matches the filter, unpaged (export, print).
func (s *Service) All(ctx context.Context, who access.Actor, f Filter) ([]Account, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	cond, args := s.condition(who, p, f)
	return query(ctx, s.DB.SQL, cond, args...)
}

func (s *Service) condition(who access.Actor, p *policy.Compiled, f Filter) (string, []any) {
	args := []any{who.OrgID}
	cond := "sa.org_id = $1"
	add := func(expr string, v any) {
		args = append(args, v)
		cond += " AND " + strings.ReplaceAll(expr, "?", "$"+strconv.Itoa(len(args)))
	}
	switch f.State {
	case "all":
	case StateRemoved:
		cond += " AND sa.state = 'removed'"
	default:
		cond += " AND sa.state = 'active'"
	}
	if f.SystemRef != "" {
		add("sa.system_ref = ?", f.SystemRef)
	}
	if f.Kind != "" {
		add("sa.kind = ?", f.Kind)
	}
	if f.OwnerStaffID != 0 {
		add("sa.owner_staff_id = ?", f.OwnerStaffID)
	}
	switch f.Flag {
	case "":
	case "any":
		cond += " AND sa.findings <> ''"
	default:
		add("(',' || sa.findings || ',') LIKE ?", "%,"+store.LikeEscape(f.Flag)+",%")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + store.LikeEscape(q) + "%"
		add("(sa.login LIKE ? OR sa.display_name LIKE ? OR sa.responsible_name LIKE ? OR COALESCE(st.name, '') LIKE ?)", like)
	}
	w, wargs := sightOf(who, p).where(len(args) + 1)
	args = append(args, wargs...)
	return cond + w, args
}

// Get returns one account the actor reads.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Account, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Account{}, err
	}
	a, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return a, err
	}
	if !sightOf(who, p).reads(a) {
		return Account{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return a, nil
}

// Readable reports, for each account id, whether the actor reads it now.
func (s *Service) Readable(ctx context.Context, who access.Actor, ids []int64) ([]bool, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	sg := sightOf(who, p)
	out := make([]bool, len(ids))
	for i, id := range ids {
		a, err := get(ctx, s.DB.SQL, who.OrgID, id)
		if err != nil {
			continue
		}
		out[i] = sg.reads(a)
	}
	return out, nil
}

// AuditReadable is the read rule for the audit entries about accounts (auditlog.Reader): an
// entry about an account is read in full by those who read the account now; an import's or a
// sweep's entry (about a system or the whole organisation), by those who read every account of
// that system.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return out, err
	}
	sg := sightOf(who, p)
	for i, e := range entries {
		if sys, ok := strings.CutPrefix(e.EntityID, "system:"); ok {
			out[i] = sg.readsSystem(sys)
			continue
		}
		id, err := strconv.ParseInt(e.EntityID, 10, 64)
		if err != nil || id <= 0 {
			out[i] = sg.all
			continue
		}
		a, err := get(ctx, s.DB.SQL, who.OrgID, id)
		if err != nil {
			continue
		}
		out[i] = sg.reads(a)
	}
	return out, nil
}

// Systems returns the information systems of the register whose accounts the actor reads in
// full, or (for a person who reads only some accounts) those of the accounts they read.
func (s *Service) Systems(ctx context.Context, who access.Actor) ([]System, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	all, err := systems(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return nil, err
	}
	sg := sightOf(who, p)
	if sg.all {
		return all, nil
	}
	out := []System{}
	for _, sys := range all {
		if sg.systems[sys.Ref] {
			out = append(out, sys)
		}
	}
	return out, nil
}

// SystemNamed returns the system of the register with the reference, or a not-found error.
func (s *Service) SystemNamed(ctx context.Context, who access.Actor, ref string) (System, error) {
	all, err := systems(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return System{}, err
	}
	for _, sys := range all {
		if sys.Ref == ref {
			return sys, nil
		}
	}
	return System{}, apperr.New(apperr.NotFound, "error.not_found")
}
