// Package ldaptest starts a throwaway OpenLDAP slapd for tests: its own configuration and
// database in a temporary folder, LDAPS and StartTLS on free 127.0.0.1 ports with a certificate
// made here, loaded with an LDIF of departments (OUs), groups and people. Without slapd the
// tests that need it skip, unless CI=true, when they fail.
package ldaptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mamori/internal/directory"
)

// Base DN, service account and administrator of the test directory.
const (
	BaseDN       = "dc=example,dc=jp"
	BindDN       = "cn=mamori,ou=services,dc=example,dc=jp"
	BindPassword = "service-secret"
	rootDN       = "cn=admin,dc=example,dc=jp"
	rootPassword = "root-secret"
)

// Server is a running slapd.
type Server struct {
	LDAPS    string // ldaps://127.0.0.1:port
	LDAP     string // ldap://127.0.0.1:port, for StartTLS
	CAFile   string // the CA that signed the server's certificate
	OtherCA  string // a CA that did not: a bad certificate to the client
	Dir      string
	cmd      *exec.Cmd
	slapd    string
	conf     string
	stopped  bool
	tb       testing.TB
	listenOn string
}

// slapdPath finds slapd, or "".
func slapdPath() string {
	for _, p := range []string{"/usr/sbin/slapd", "/usr/local/libexec/slapd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	return ""
}

// Need skips the test when slapd is missing, or fails it under CI=true.
func Need(tb testing.TB) string {
	tb.Helper()
	p := slapdPath()
	if p == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("slapd is missing (apt-get install -y slapd ldap-utils): the directory tests cannot run")
		}
		tb.Skip("slapd is not installed (apt-get install -y slapd ldap-utils)")
	}
	if _, err := exec.LookPath("ldapadd"); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("ldapadd is missing (apt-get install -y ldap-utils)")
		}
		tb.Skip("ldapadd is not installed (apt-get install -y ldap-utils)")
	}
	return p
}

// Start starts slapd loaded with ldif (DefaultLDIF when empty) and stops it when the test ends.
func Start(tb testing.TB, ldif string) *Server {
	tb.Helper()
	s := &Server{slapd: Need(tb), Dir: tb.TempDir(), tb: tb}
	if ldif == "" {
		ldif = DefaultLDIF
	}
	if err := s.writeFiles(); err != nil {
		tb.Fatal(err)
	}
	if err := s.start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Stop)
	if err := s.load(ldif); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Config is the connector configuration for this server over LDAPS, the department read from
// departmentNumber.
func (s *Server) Config() directory.LDAPConfig {
	return directory.LDAPConfig{URL: s.LDAPS, CAFile: s.CAFile, BindDN: BindDN, BindPassword: BindPassword, BaseDN: BaseDN,
		UserFilter: "(&(objectClass=inetOrgPerson)(uid=%s))", Timeout: 3 * time.Second}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) writeFiles() error {
	if err := os.MkdirAll(filepath.Join(s.Dir, "db"), 0o700); err != nil {
		return err
	}
	ca, caKey, err := writeCA(filepath.Join(s.Dir, "ca.pem"))
	if err != nil {
		return err
	}
	if _, _, err := writeCA(filepath.Join(s.Dir, "other-ca.pem")); err != nil {
		return err
	}
	s.CAFile, s.OtherCA = filepath.Join(s.Dir, "ca.pem"), filepath.Join(s.Dir, "other-ca.pem")
	if err := writeServerCert(ca, caKey, filepath.Join(s.Dir, "server.pem"), filepath.Join(s.Dir, "server.key")); err != nil {
		return err
	}
	p1, err := freePort()
	if err != nil {
		return err
	}
	p2, err := freePort()
	if err != nil {
		return err
	}
	s.LDAP, s.LDAPS = fmt.Sprintf("ldap://127.0.0.1:%d", p1), fmt.Sprintf("ldaps://127.0.0.1:%d", p2)
	s.listenOn = s.LDAP + "/ " + s.LDAPS + "/"
	conf := strings.NewReplacer("@DIR@", s.Dir, "@ROOTPW@", rootPassword, "@ROOTDN@", rootDN, "@BASE@", BaseDN).Replace(slapdConf)
	s.conf = filepath.Join(s.Dir, "slapd.conf")
	return os.WriteFile(s.conf, []byte(conf), 0o600)
}

const slapdConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile @DIR@/slapd.pid
TLSCACertificateFile @DIR@/ca.pem
TLSCertificateFile @DIR@/server.pem
TLSCertificateKeyFile @DIR@/server.key
database mdb
maxsize 33554432
suffix "@BASE@"
rootdn "@ROOTDN@"
rootpw @ROOTPW@
directory @DIR@/db
overlay memberof
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
`

func (s *Server) start() error {
	s.cmd = exec.Command(s.slapd, "-f", s.conf, "-h", s.listenOn, "-d", "0")
	s.cmd.Stdout, s.cmd.Stderr = nil, nil
	logf, err := os.Create(filepath.Join(s.Dir, "slapd.log"))
	if err != nil {
		return err
	}
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start slapd: %w", err)
	}
	host := strings.TrimPrefix(s.LDAPS, "ldaps://")
	for i := 0; i < 200; i++ {
		if c, err := net.DialTimeout("tcp", host, 100*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		if s.cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(s.Dir, "slapd.log"))
	s.Stop()
	return fmt.Errorf("slapd did not start: %s", log)
}

// Stop ends slapd: the directory is then down.
func (s *Server) Stop() {
	if s.stopped || s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.stopped = true
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

func (s *Server) load(ldif string) error {
	f := filepath.Join(s.Dir, "load.ldif")
	if err := os.WriteFile(f, []byte(ldif), 0o600); err != nil {
		return err
	}
	out, err := exec.Command("ldapadd", "-x", "-H", s.LDAP, "-D", rootDN, "-w", rootPassword, "-f", f).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ldapadd: %v: %s", err, out)
	}
	return nil
}

// Add loads more entries.
func (s *Server) Add(ldif string) {
	s.tb.Helper()
	if err := s.load(ldif); err != nil {
		s.tb.Fatal(err)
	}
}

func writeCA(path string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "Mamori test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	return cert, key, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func writeServerCert(ca *x509.Certificate, caKey *ecdsa.PrivateKey, certPath, keyPath string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano() + 1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return err
	}
	return os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
}
