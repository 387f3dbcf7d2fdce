// Package mailsink is a mail server for tests: it listens on loopback, speaks just enough SMTP
// to take what a client sends, and keeps each message for the test to read.
package mailsink

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// Sink is a mail server on loopback that speaks EHLO, MAIL, RCPT, DATA, RSET and QUIT. Its
// refusal, when set, is the reply it gives to every command from MAIL on, as a server that is up
// but will not take mail.
type Sink struct {
	ln net.Listener

	mu       sync.Mutex
	received []Message
	refuse   string
}

// Message is one message received: the envelope and the data as sent, dot-stuffing undone.
type Message struct {
	From string
	To   []string
	Data string
}

// Start listens on addr ("127.0.0.1:0" for any port) until the test ends.
func Start(t testing.TB, addr string) *Sink {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	s := &Sink{ln: ln}
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

func (s *Sink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	reply := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !reply("220 sink.test ESMTP") {
		return
	}
	var cur Message
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
			reply("250 8BITMIME")
		case verb == "QUIT":
			reply("221 bye")
			return
		case verb == "RSET" || verb == "NOOP":
			cur = Message{}
			reply("250 ok")
		case refuse != "":
			reply(refuse)
		case verb == "MAIL":
			cur = Message{From: addrOf(line)}
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
