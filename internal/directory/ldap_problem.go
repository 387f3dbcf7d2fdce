package directory

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// Problem is why the directory could not be asked: what an administrator reads (MessageKey, in
// Japanese or English) and the log keeps (Err). The person signing in reads only that sign-in
// is unavailable.
type Problem struct {
	Kind   string
	Detail string // which setting, for ProblemConfig
	Err    error
}

// Kinds of problem.
const (
	ProblemConfig      = "config"      // the connection settings are incomplete or wrong
	ProblemUnreachable = "unreachable" // the server does not answer
	ProblemCertificate = "certificate" // its certificate does not verify against the CA file
	ProblemBind        = "bind"        // the service account's bind is refused
	ProblemSearch      = "search"      // a search or bind failed otherwise
)

func (p *Problem) Error() string {
	s := "directory: " + p.Kind
	if p.Detail != "" {
		s += " (" + p.Detail + ")"
	}
	if p.Err != nil {
		s += ": " + p.Err.Error()
	}
	return s
}

func (p *Problem) Unwrap() error { return p.Err }

// MessageKey is the catalog key of the administrator's message.
func (p *Problem) MessageKey() string { return "directory.problem." + p.Kind }

// ErrBadCredentials: no such person, several, or a wrong password. ErrDisabled: the directory
// has the account disabled.
var (
	ErrBadCredentials = errors.New("directory: bad credentials")
	ErrDisabled       = errors.New("directory: account disabled")
)

// classify names a connection error: a certificate that does not verify, a server that does not
// answer, or else the given kind.
func classify(err error, otherwise string) *Problem {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
		netErr   net.Error
		opErr    *net.OpError
	)
	switch {
	case errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &hostname), errors.As(err, &verify),
		// go-ldap's StartTLS gives the handshake's error as text only.
		strings.Contains(err.Error(), "tls: failed to verify certificate"), strings.Contains(err.Error(), "x509: "):
		return &Problem{Kind: ProblemCertificate, Err: err}
	case errors.As(err, &opErr), errors.As(err, &netErr), ldap.IsErrorWithCode(err, ldap.ErrorNetwork):
		return &Problem{Kind: ProblemUnreachable, Err: err}
	}
	return &Problem{Kind: otherwise, Err: err}
}
