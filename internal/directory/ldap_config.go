package directory

import "time"

// LDAPConfig is how Mamori reaches the organisation's Active Directory or LDAP server.
type LDAPConfig struct {
	URL          string // ldaps://host:636, or ldap://host:389 with StartTLS
	StartTLS     bool   // upgrade an ldap:// connection; ldaps:// is TLS from the start
	CAFile       string // the PEM certificates the server's certificate must chain to; empty: the system's
	BindDN       string
	BindPassword string // from MAMORI_LDAP_BIND_PASSWORD, never stored
	BaseDN       string
	// UserFilter finds a person by the login typed; %s stands for it, escaped
	// ("(sAMAccountName=%s)", "(uid=%s)").
	UserFilter string
	// Attributes read from each entry; empty names take the defaults (see attrs).
	LoginAttr, NameAttr, MailAttr, EmployeeNoAttr string
	// GroupFilter, when set, finds a person's groups by a search (%s: the person's DN escaped)
	// where the server gives no memberOf.
	GroupFilter string
	Timeout     time.Duration // each connection and operation; default 5 seconds
}
