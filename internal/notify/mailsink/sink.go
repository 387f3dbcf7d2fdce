// Package mailsink is a mail server for tests: it listens on loopback, speaks just enough SMTP
// to take what a client sends, and keeps each message for the test to read.
package mailsink

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Sink is a mail server on loopback that speaks EHLO, MAIL, RCPT, DATA, RSET and QUIT. Its
// refusal, when set, is the reply it gives to every command from MAIL on, as a server that is up
// but will not take mail.
type Sink struct {
	ln net.Listener

	mu       sync.Mutex
	received []Message
	arrived  chan struct{} // closed and replaced at each message received
	refuse   string
	tls      *tls.Config // offered with STARTTLS when set
}

// Message is one message received: the envelope and the data as sent, dot-stuffing undone.
type Message struct {
	From string
	To   []string
	Data string
	TLS  bool   // it came over TLS (STARTTLS)
	User string // who signed in with AUTH PLAIN, "" for nobody
}

// Start listens on addr ("127.0.0.1:0" for any port) until the test ends.
func Start(t testing.TB, addr string) *Sink {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	s := &Sink{ln: ln, arrived: make(chan struct{})}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); s.serve(c) }()
		}
	}()
	return s
}

// Addr is the address the sink listens on.
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// Refuse makes the sink answer reply (e.g. "451 4.3.0 try again later") from MAIL on; "" takes
// mail again.
func (s *Sink) Refuse(reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = reply
}

// Messages returns what the sink has received so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.received...)
}

// Await waits until the sink has received at least n messages, or within has passed, and
// returns what it has received. It waits for the mail itself rather than polling on a clock.
func (s *Sink) Await(n int, within time.Duration) []Message {
	deadline := time.After(within)
	for {
		s.mu.Lock()
		got, arrived := append([]Message(nil), s.received...), s.arrived
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-arrived:
		case <-deadline:
			return got
		}
	}
}

// WithTLS makes the sink offer STARTTLS with a certificate of its own for 127.0.0.1, and AUTH
// PLAIN once TLS is on (accepting password "secret" for any user). It returns a client
// configuration that trusts the certificate.
func (s *Sink) WithTLS(t testing.TB) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sink.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.tls = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	s.mu.Unlock()
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

func (s *Sink) serve(c net.Conn) {
	defer func() { c.Close() }()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	reply := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !reply("220 sink.test ESMTP") {
		return
	}
	s.mu.Lock()
	offer := s.tls
	s.mu.Unlock()
	var cur Message
	secure, user := false, ""
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		s.mu.Lock()
		refuse := s.refuse
		s.mu.Unlock()
		switch {
		case verb == "EHLO" || verb == "HELO":
			reply("250-sink.test")
			switch {
			case offer != nil && !secure:
				reply("250-STARTTLS")
			case secure:
				reply("250-AUTH PLAIN")
			}
			reply("250 8BITMIME")
		case verb == "STARTTLS" && offer != nil && !secure:
			reply("220 go ahead")
			tc := tls.Server(c, offer)
			if tc.Handshake() != nil {
				return
			}
			c, r, w, secure = tc, bufio.NewReader(tc), bufio.NewWriter(tc), true
		case verb == "AUTH" && secure:
			fields := strings.Fields(line)
			b, err := base64.StdEncoding.DecodeString(fields[len(fields)-1])
			parts := strings.Split(string(b), "\x00")
			if err != nil || len(fields) != 3 || len(parts) != 3 || parts[2] != "secret" {
				reply("535 5.7.8 authentication failed")
				continue
			}
			user = parts[1]
			reply("235 2.7.0 accepted")
		case verb == "QUIT":
			reply("221 bye")
			return
		case verb == "RSET" || verb == "NOOP":
			cur = Message{}
			reply("250 ok")
		case refuse != "":
			reply(refuse)
		case verb == "MAIL":
			cur = Message{From: addrOf(line), TLS: secure, User: user}
			reply("250 ok")
		case verb == "RCPT":
			cur.To = append(cur.To, addrOf(line))
			reply("250 ok")
		case verb == "DATA":
			reply("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, ".")) // undo dot-stuffing
			}
			cur.Data = b.String()
			s.mu.Lock()
			s.received = append(s.received, cur)
			close(s.arrived)
			s.arrived = make(chan struct{})
			s.mu.Unlock()
			cur = Message{}
			reply("250 queued")
		default:
			reply("502 not implemented")
		}
	}
}

// addrOf is the address between < and > of a MAIL or RCPT command.
func addrOf(line string) string {
	i, j := strings.IndexByte(line, '<'), strings.IndexByte(line, '>')
	if i < 0 || j < i {
		return ""
	}
	return line[i+1 : j]
}
