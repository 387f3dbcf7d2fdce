package notify_test

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// sink is a mail server on loopback that speaks just enough SMTP (EHLO, MAIL, RCPT, DATA, RSET,
// QUIT) to receive what the mailer sends. refuse, when set, is the reply it gives to every
// command from MAIL on, as a server that is up but will not take mail.
type sink struct {
	ln net.Listener

	mu       sync.Mutex
	received []received
	refuse   string
	greeted  int
}

type received struct {
	from string
	to   []string
	data string
}

// startSink listens on addr ("127.0.0.1:0" for any port) until the test ends.
func startSink(t *testing.T, addr string) *sink {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	s := &sink{ln: ln}
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

func (s *sink) addr() string { return s.ln.Addr().String() }

func (s *sink) setRefuse(reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = reply
}

func (s *sink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

func (s *sink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	reply := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	s.mu.Lock()
	s.greeted++
	s.mu.Unlock()
	if !reply("220 sink.test ESMTP") {
		return
	}
	var cur received
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
			cur = received{}
			reply("250 ok")
		case refuse != "":
			reply(refuse)
		case verb == "MAIL":
			cur = received{from: addrOf(line)}
			reply("250 ok")
		case verb == "RCPT":
			cur.to = append(cur.to, addrOf(line))
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
			cur.data = b.String()
			s.mu.Lock()
			s.received = append(s.received, cur)
			s.mu.Unlock()
			cur = received{}
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
