package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"
)

// SMTP is the one mail server Mamori sends through, usually the organisation's relay on its
// closed network. Mail is sent in plain SMTP, upgraded with STARTTLS when the server offers it
// (unless NoStartTLS); a user name and password are sent (AUTH PLAIN) only over TLS or to a
// server on this machine, which net/smtp enforces.
type SMTP struct {
	Addr       string // host:port
	From       string // the sender, "Mamori <mamori@example.lg.jp>" or a bare address
	User       string
	Password   string
	NoStartTLS bool
	// PublicURL is where users open Mamori (https://mamori.example.lg.jp), for the links in
	// mail; without it the mail names the page's path.
	PublicURL string
	// HelloName is the name given in EHLO; default this machine's host name.
	HelloName string
	// TLS, when set, is used for STARTTLS instead of one that checks the server's name against
	// the system's roots (a test's own certificate, an organisation's internal CA).
	TLS *tls.Config
}

// Check reports a configuration that cannot work, naming the setting.
func (c SMTP) Check() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("SMTP server %q: give host:port, e.g. mail.example.lg.jp:25", c.Addr)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("SMTP sender %q is not a mail address", c.From)
	}
	if c.Password != "" && c.User == "" {
		return errors.New("an SMTP password needs its user name")
	}
	if c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "http://") && !strings.HasPrefix(c.PublicURL, "https://") {
		return fmt.Errorf("public URL %q: give http://… or https://…", c.PublicURL)
	}
	return nil
}

// stepError is a failed step of a conversation with the server: the step names it for
// administrators (connect, starttls, auth, sender, recipient, data).
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

func step(name string, err error) error {
	if err == nil {
		return nil
	}
	return &stepError{step: name, err: err}
}

// send delivers one message to one address: connect, EHLO, STARTTLS when offered, AUTH when
// configured, MAIL, RCPT, DATA, QUIT — all within timeout.
func (c SMTP) send(ctx context.Context, to string, msg message, timeout time.Duration) error {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return step("connect", err)
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return step("connect", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		return step("connect", err)
	}
	defer cl.Close()
	if err := cl.Hello(c.helloName()); err != nil {
		return step("connect", err)
	}
	if ok, _ := cl.Extension("STARTTLS"); ok && !c.NoStartTLS {
		cfg := c.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := cl.StartTLS(cfg); err != nil {
			return step("starttls", err)
		}
	}
	if c.User != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.User, c.Password, host)); err != nil {
			return step("auth", err)
		}
	}
	if err := cl.Mail(msg.sender); err != nil {
		return step("sender", err)
	}
	if err := cl.Rcpt(to); err != nil {
		return step("recipient", err)
	}
	w, err := cl.Data()
	if err != nil {
		return step("data", err)
	}
	if _, err := w.Write(msg.data); err != nil {
		return step("data", err)
	}
	if err := w.Close(); err != nil {
		return step("data", err)
	}
	cl.Quit() // the message is accepted; a lost goodbye changes nothing
	return nil
}

func (c SMTP) helloName() string {
	if c.HelloName != "" {
		return c.HelloName
	}
	if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " \r\n") {
		return h
	}
	return "localhost"
}

// describe turns a sending error into what administrators read: a short code — the step, with
// the server's reply code when it answered (recipient-550), or timeout — and one line of text.
// The text is the server's reply or the network error; it never holds the password, which is
// only ever sent, never echoed.
func describe(err error) (code, text string) {
	code = "error"
	var se *stepError
	if errors.As(err, &se) {
		code = se.step
	}
	var te *textproto.Error
	var ne net.Error
	switch {
	case errors.As(err, &te):
		code += fmt.Sprintf("-%d", te.Code)
		text = te.Msg
	case errors.As(err, &ne) && ne.Timeout():
		code += "-timeout"
		text = err.Error()
	default:
		text = err.Error()
	}
	return code, clip(oneLine(text), 300)
}
