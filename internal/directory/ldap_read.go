package directory

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Account is a directory account as the access reviews take it: the rows of a system's account
// list (login, name, employee number, disabled, last logon, password last set, groups).
type Account struct {
	Login           string     `json:"login"`
	Name            string     `json:"name"`
	EmployeeNo      string     `json:"employee_no,omitempty"`
	Disabled        bool       `json:"disabled"`
	LastLogon       *time.Time `json:"last_logon,omitempty"`
	PasswordLastSet *time.Time `json:"password_last_set,omitempty"`
	Groups          []string   `json:"groups,omitempty"`
	DN              string     `json:"dn"`
}

// pageSize is the paged search's page: Active Directory answers at most 1,000 entries a page.
const pageSize = 500

// peopleFilter finds every person the user filter would find by login.
func (c LDAPConfig) peopleFilter() string {
	return strings.ReplaceAll(c.UserFilter, "%s", "*")
}

func (c LDAPConfig) searchAll(ctx context.Context, attrs []string) (*ldap.Conn, []*ldap.Entry, error) {
	conn, err := c.dial(ctx)
	if err != nil {
		return nil, nil, err
	}
	res, err := conn.SearchWithPaging(ldap.NewSearchRequest(c.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0,
		c.timeLimit()*6, false, c.peopleFilter(), attrs, nil), pageSize)
	if err != nil {
		conn.Close()
		return nil, nil, classify(err, ProblemSearch)
	}
	return conn, res.Entries, nil
}

// People reads every person the user filter finds, as identities (the department from deptAttr
// or, when empty, the OU), in login order: for training audiences and the staff sync. Disabled
// accounts are left out.
func (c LDAPConfig) People(ctx context.Context, deptAttr string) ([]Identity, error) {
	conn, entries, err := c.searchAll(ctx, c.personAttrs(deptAttr))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	out := make([]Identity, 0, len(entries))
	for _, e := range entries {
		if disabled(e) {
			continue
		}
		id, err := c.identityOf(conn, e, deptAttr)
		if err != nil {
			return nil, err
		}
		if id.Login != "" {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b Identity) int { return strings.Compare(a.Login, b.Login) })
	return out, nil
}

// Accounts reads every account the user filter finds, disabled ones included, in login order.
func (c LDAPConfig) Accounts(ctx context.Context) ([]Account, error) {
	conn, entries, err := c.searchAll(ctx, c.personAttrs(""))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	out := make([]Account, 0, len(entries))
	for _, e := range entries {
		id, err := c.identityOf(conn, e, "")
		if err != nil {
			return nil, err
		}
		a := Account{Login: id.Login, Name: id.Name, EmployeeNo: id.EmployeeNo, Disabled: disabled(e), Groups: id.Groups, DN: e.DN,
			LastLogon:       firstTime(e, "lastLogonTimestamp", "authTimestamp"),
			PasswordLastSet: firstTime(e, "pwdLastSet", "pwdChangedTime")}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Account) int { return strings.Compare(a.Login, b.Login) })
	return out, nil
}

// firstTime reads the first of the attributes that holds a time: Active Directory's FILETIME
// (100 ns since 1601) or LDAP's generalized time.
func firstTime(e *ldap.Entry, attrs ...string) *time.Time {
	for _, a := range attrs {
		v := e.GetAttributeValue(a)
		if v == "" || v == "0" {
			continue
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			t := time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n/10000) * time.Millisecond)
			return &t
		}
		for _, layout := range []string{"20060102150405Z", "20060102150405.0Z", "20060102150405-0700"} {
			if t, err := time.Parse(layout, v); err == nil {
				t = t.UTC()
				return &t
			}
		}
	}
	return nil
}
