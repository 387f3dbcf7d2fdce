package directory

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Defaults of the attributes read from a person's entry; Active Directory and OpenLDAP both
// have these but for the login (sAMAccountName on AD, uid on OpenLDAP, set by the filter).
const (
	defaultNameAttr       = "displayName"
	defaultMailAttr       = "mail"
	defaultEmployeeNoAttr = "employeeNumber"
	defaultTimeout        = 5 * time.Second
)

func (c LDAPConfig) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return defaultTimeout
}

func orDefault(s, d string) string {
	if s != "" {
		return s
	}
	return d
}

// loginAttr is the attribute that holds the login: the one named, else the one the user filter
// tests ("(uid=%s)" → uid), else sAMAccountName.
func (c LDAPConfig) loginAttr() string {
	if c.LoginAttr != "" {
		return c.LoginAttr
	}
	f := c.UserFilter
	if i := strings.Index(f, "=%s"); i > 0 {
		j := strings.LastIndexAny(f[:i], "(&|!")
		if a := f[j+1 : i]; attrName.MatchString(a) {
			return a
		}
	}
	return "sAMAccountName"
}

// Check reports what is missing from the configuration, as a problem kind (see Problem).
func (c LDAPConfig) Check() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "ldaps" && u.Scheme != "ldap") || u.Host == "" {
		return &Problem{Kind: ProblemConfig, Detail: "url", Err: err}
	}
	if u.Scheme == "ldap" && !c.StartTLS {
		// Never a password in clear over the network.
		return &Problem{Kind: ProblemConfig, Detail: "tls"}
	}
	if c.BaseDN == "" || !strings.Contains(c.UserFilter, "%s") {
		return &Problem{Kind: ProblemConfig, Detail: "base_dn/user_filter"}
	}
	return nil
}

// tlsConfig trusts the CA file's certificates (else the system's) and verifies the server's
// name; a certificate that does not verify is an error, never skipped.
func (c LDAPConfig) tlsConfig() (*tls.Config, error) {
	u, _ := url.Parse(c.URL)
	cfg := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, &Problem{Kind: ProblemConfig, Detail: "ca_file", Err: err}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &Problem{Kind: ProblemConfig, Detail: "ca_file", Err: fmt.Errorf("no certificate in %s", c.CAFile)}
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// dial connects with TLS (LDAPS, or StartTLS on ldap://) within the timeout, and binds as the
// service account when one is set.
func (c LDAPConfig) dial(ctx context.Context) (*ldap.Conn, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	tc, err := c.tlsConfig()
	if err != nil {
		return nil, err
	}
	d := &net.Dialer{Timeout: c.timeout()}
	if dl, ok := ctx.Deadline(); ok {
		d.Deadline = dl
	}
	conn, err := ldap.DialURL(c.URL, ldap.DialWithDialer(d), ldap.DialWithTLSConfig(tc))
	if err != nil {
		return nil, classify(err, ProblemUnreachable)
	}
	conn.SetTimeout(c.timeout())
	if strings.HasPrefix(c.URL, "ldap://") {
		if err := conn.StartTLS(tc); err != nil {
			conn.Close()
			return nil, classify(err, ProblemUnreachable)
		}
	}
	if c.BindDN != "" {
		if err := conn.Bind(c.BindDN, c.BindPassword); err != nil {
			conn.Close()
			if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
				return nil, &Problem{Kind: ProblemBind, Err: err}
			}
			return nil, classify(err, ProblemBind)
		}
	}
	return conn, nil
}

// Test connects, binds as the service account and searches the base: what an administrator
// runs to see that the connection works.
func (c LDAPConfig) Test(ctx context.Context) error {
	conn, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Search(ldap.NewSearchRequest(c.BaseDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, c.timeLimit(), false,
		"(objectClass=*)", []string{"1.1"}, nil))
	if err != nil {
		return classify(err, ProblemSearch)
	}
	return nil
}

func (c LDAPConfig) timeLimit() int { return max(int(c.timeout()/time.Second), 1) }

// personAttrs are the attributes read of a person.
func (c LDAPConfig) personAttrs(deptAttr string) []string {
	a := []string{c.loginAttr(), orDefault(c.NameAttr, defaultNameAttr), "cn", orDefault(c.MailAttr, defaultMailAttr),
		orDefault(c.EmployeeNoAttr, defaultEmployeeNoAttr), "memberOf", "userAccountControl", "pwdAccountLockedTime",
		"lastLogonTimestamp", "pwdLastSet", "pwdChangedTime", "authTimestamp"}
	if deptAttr != "" {
		a = append(a, deptAttr)
	}
	return a
}

// identityOf reads a person's entry as an Identity: the department from deptAttr, or from the
// first OU of the DN when deptAttr is empty.
func (c LDAPConfig) identityOf(conn *ldap.Conn, e *ldap.Entry, deptAttr string) (Identity, error) {
	id := Identity{Source: SourceLDAP, Subject: e.DN, Login: strings.ToLower(e.GetAttributeValue(c.loginAttr())),
		Name:       orDefault(e.GetAttributeValue(orDefault(c.NameAttr, defaultNameAttr)), e.GetAttributeValue("cn")),
		Email:      e.GetAttributeValue(orDefault(c.MailAttr, defaultMailAttr)),
		EmployeeNo: e.GetAttributeValue(orDefault(c.EmployeeNoAttr, defaultEmployeeNoAttr)),
		Groups:     e.GetAttributeValues("memberOf")}
	if deptAttr != "" {
		id.Department = e.GetAttributeValue(deptAttr)
	} else {
		id.Department = firstOU(e.DN)
	}
	if c.GroupFilter != "" && conn != nil {
		res, err := conn.Search(ldap.NewSearchRequest(c.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, c.timeLimit(), false,
			strings.ReplaceAll(c.GroupFilter, "%s", ldap.EscapeFilter(e.DN)), []string{"1.1"}, nil))
		if err != nil {
			return id, classify(err, ProblemSearch)
		}
		for _, g := range res.Entries {
			id.Groups = append(id.Groups, g.DN)
		}
	}
	return id, nil
}

// disabled reports whether the entry is a disabled account: Active Directory's
// ACCOUNTDISABLE bit, or OpenLDAP's password policy lock.
func disabled(e *ldap.Entry) bool {
	var uac int
	if v := e.GetAttributeValue("userAccountControl"); v != "" {
		fmt.Sscan(v, &uac)
	}
	return uac&2 != 0 || e.GetAttributeValue("pwdAccountLockedTime") != ""
}

// firstOU returns the value of the first OU of a DN, or "".
func firstOU(dn string) string {
	d, err := ldap.ParseDN(dn)
	if err != nil {
		return ""
	}
	for _, rdn := range d.RDNs {
		for _, a := range rdn.Attributes {
			if strings.EqualFold(a.Type, "ou") {
				return a.Value
			}
		}
	}
	return ""
}

// Authenticate finds the person by the user filter, binds as them with the password, and reads
// their entry as an Identity. A login that finds nobody or more than one, a wrong password or a
// disabled account is ErrBadCredentials (ErrDisabled for the last); the directory down, a bad
// certificate or a refused service account is a *Problem.
func (c LDAPConfig) Authenticate(ctx context.Context, login, password, deptAttr string) (Identity, error) {
	if login == "" || password == "" {
		return Identity{}, ErrBadCredentials
	}
	conn, err := c.dial(ctx)
	if err != nil {
		return Identity{}, err
	}
	defer conn.Close()
	res, err := conn.Search(ldap.NewSearchRequest(c.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, c.timeLimit(), false,
		strings.ReplaceAll(c.UserFilter, "%s", ldap.EscapeFilter(login)), c.personAttrs(deptAttr), nil))
	if err != nil {
		return Identity{}, classify(err, ProblemSearch)
	}
	if len(res.Entries) != 1 {
		return Identity{}, ErrBadCredentials
	}
	e := res.Entries[0]
	if err := conn.Bind(e.DN, password); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return Identity{}, ErrBadCredentials
		}
		return Identity{}, classify(err, ProblemSearch)
	}
	if disabled(e) {
		return Identity{}, ErrDisabled
	}
	// Read the groups as the service account again where a group search is needed.
	if c.GroupFilter != "" && c.BindDN != "" {
		if err := conn.Bind(c.BindDN, c.BindPassword); err != nil {
			return Identity{}, classify(err, ProblemBind)
		}
	}
	return c.identityOf(conn, e, deptAttr)
}
