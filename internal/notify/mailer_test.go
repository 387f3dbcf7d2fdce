package notify_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori/internal/notify"
	"mamori/internal/notify/mailsink"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func (e *env) mailer(db *store.DB, addr string) *notify.Mailer {
	m := notify.NewMailer(db, notify.SMTP{Addr: addr, From: "Mamori（通知町） <mamori@town.example>",
		PublicURL: "https://mamori.town.example/", HelloName: "mamori.test"})
	m.Now = func() time.Time { return e.now }
	m.Timeout = 30 * time.Second
	return m
}

// outboxRow is what the mailer recorded of one mail.
type outboxRow struct {
	state, code, lastError string
	attempts               int
	nextAt                 time.Time
}

func (e *env) outboxRow(t *testing.T) outboxRow {
	t.Helper()
	var r outboxRow
	if err := e.db.SQL.QueryRow(`SELECT state, last_code, last_error, attempts, next_at FROM mail_outbox`).
		Scan(&r.state, &r.code, &r.lastError, &r.attempts, &r.nextAt); err != nil {
		t.Fatal(err)
	}
	return r
}

// decoded reads a received message as a mail client would.
func decoded(t *testing.T, data string) (h mail.Header, subject, body string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("not a mail message: %v\n%s", err, data)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	raw, _ := io.ReadAll(msg.Body)
	b, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	return msg.Header, subject, string(b)
}

func TestMailerSendsJapaneseMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sk := mailsink.Start(t, "127.0.0.1:0")
		e.send(t, e.notice(e.alice.ID))
		n, err := e.mailer(db, sk.Addr()).SendDue(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("sent %d, %v", n, err)
		}
		got := sk.Messages()
		if len(got) != 1 || got[0].From != "mamori@town.example" || len(got[0].To) != 1 || got[0].To[0] != "alice@town.example" {
			t.Fatalf("received %+v", got)
		}
		for _, line := range strings.Split(got[0].Data, "\r\n") {
			if len(line) > 998 || strings.ContainsFunc(line, func(r rune) bool { return r > 127 }) {
				t.Fatalf("line not fit for SMTP: %q", line)
			}
		}
		h, subject, body := decoded(t, got[0].Data)
		if subject != "承認待ちの申請があります：持ち出し申請 第12号" {
			t.Errorf("subject = %q", subject)
		}
		if !strings.Contains(h.Get("Subject"), "=?UTF-8?") {
			t.Errorf("subject not MIME-encoded: %q", h.Get("Subject"))
		}
		for _, want := range []string{"総務課 相川 愛さんの持ち出し申請が承認を待っています。", "https://mamori.town.example/requests/12", "Mamori（守り）"} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q:\n%s", want, body)
			}
		}
		if !strings.Contains(body, "\r\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
			t.Errorf("body lines do not end in CRLF: %q", body)
		}
		from, err := mail.ParseAddress(h.Get("From"))
		if err != nil || from.Name != "Mamori（通知町）" || from.Address != "mamori@town.example" {
			t.Errorf("From = %q (%v)", h.Get("From"), err)
		}
		if d, err := h.Date(); err != nil || !d.Equal(e.now) {
			t.Errorf("Date = %q (%v)", h.Get("Date"), err)
		}
		if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@town.example>") {
			t.Errorf("Message-ID = %q", id)
		}
		if ct := h.Get("Content-Type"); ct != "text/plain; charset=UTF-8" || h.Get("Content-Transfer-Encoding") != "base64" {
			t.Errorf("Content-Type %q, encoding %q", ct, h.Get("Content-Transfer-Encoding"))
		}
		if r := e.outboxRow(t); r.state != notify.MailSent || r.attempts != 1 {
			t.Fatalf("outbox = %+v", r)
		}
		// Sent once: the next look finds nothing to do.
		if n, _ := e.mailer(db, sk.Addr()).SendDue(context.Background()); n != 0 || len(sk.Messages()) != 1 {
			t.Fatalf("sent again: %d", n)
		}
	})
}

func TestMailerSendsInTheRecipientsLanguage(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	if _, err := db.SQL.Exec(`UPDATE users SET lang = 'en' WHERE id = $1`, e.aliceU.ID); err != nil {
		t.Fatal(err)
	}
	sk := mailsink.Start(t, "127.0.0.1:0")
	e.send(t, e.notice(e.alice.ID))
	if _, err := e.mailer(db, sk.Addr()).SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sk.Messages()
	if len(got) != 1 {
		t.Fatalf("received %d", len(got))
	}
	_, subject, body := decoded(t, got[0].Data)
	if subject != "A request waits for you: take-out No. 12" || !strings.Contains(body, "sent automatically by Mamori") {
		t.Fatalf("subject %q, body %q", subject, body)
	}
}

func TestMailerRetriesWithBackoff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		// A port nobody listens on yet: the server is down.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		m := e.mailer(db, addr)
		m.MaxAttempts = 4
		e.send(t, e.notice(e.alice.ID))
		start := e.now

		if n, err := m.SendDue(ctx); n != 0 || err != nil {
			t.Fatalf("sent %d, %v", n, err)
		}
		r := e.outboxRow(t)
		if r.state != notify.MailPending || r.attempts != 1 || r.code != "connect" || r.lastError == "" || !r.nextAt.Equal(start.Add(time.Minute)) {
			t.Fatalf("after a refused connection: %+v", r)
		}
		// Not due again before its time.
		e.now = start.Add(59 * time.Second)
		if m.SendDue(ctx); e.outboxRow(t).attempts != 1 {
			t.Fatal("tried again before the backoff")
		}

		// The server comes up but refuses mail: a second failure, waiting twice as long.
		sk := mailsink.Start(t, addr)
		sk.Refuse("451 4.3.0 try again later")
		e.now = start.Add(time.Minute)
		m.SendDue(ctx)
		r = e.outboxRow(t)
		if r.state != notify.MailPending || r.attempts != 2 || r.code != "sender-451" || !strings.Contains(r.lastError, "try again later") ||
			!r.nextAt.Equal(e.now.Add(2*time.Minute)) {
			t.Fatalf("after a refusal: %+v", r)
		}
		troubles, total, err := e.svc.Troubles(ctx, e.adminActor(), 10)
		if err != nil || total != 1 || troubles[0].LastCode != "sender-451" || troubles[0].Attempts != 2 {
			t.Fatalf("troubles = %+v, %d, %v", troubles, total, err)
		}
		if _, _, err := e.svc.Troubles(ctx, e.aliceA, 10); err == nil {
			t.Fatal("an ordinary user read the delivery errors")
		}

		// It takes mail again: the next try succeeds and the error is cleared.
		sk.Refuse("")
		e.now = e.now.Add(2 * time.Minute)
		if n, err := m.SendDue(ctx); n != 1 || err != nil {
			t.Fatalf("sent %d, %v", n, err)
		}
		r = e.outboxRow(t)
		if r.state != notify.MailSent || r.attempts != 3 || r.code != "" || r.lastError != "" || len(sk.Messages()) != 1 {
			t.Fatalf("after success: %+v, %d received", r, len(sk.Messages()))
		}
	})
}

func TestMailerGivesUpAtTheLimit(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	sk := mailsink.Start(t, "127.0.0.1:0")
	sk.Refuse("550 5.1.1 no such user")
	m := e.mailer(db, sk.Addr())
	m.MaxAttempts = 3
	e.send(t, e.notice(e.alice.ID))
	for i := 0; i < 5; i++ {
		m.SendDue(context.Background())
		e.now = e.now.Add(24 * time.Hour)
	}
	r := e.outboxRow(t)
	if r.state != notify.MailFailed || r.attempts != 3 || r.code != "sender-550" {
		t.Fatalf("outbox = %+v", r)
	}
}

func TestMailerLeavesOldMailUnsent(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	sk := mailsink.Start(t, "127.0.0.1:0")
	e.send(t, e.notice(e.alice.ID))
	e.now = e.now.Add(4 * 24 * time.Hour) // written while no mail server was configured
	if n, _ := e.mailer(db, sk.Addr()).SendDue(context.Background()); n != 0 || len(sk.Messages()) != 0 {
		t.Fatalf("sent %d old mails", n)
	}
	if r := e.outboxRow(t); r.state != notify.MailExpired {
		t.Fatalf("outbox = %+v", r)
	}
}

func TestTwoMailersNeverSendTheSameMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		one, two := storetest.TwoHandles(t, db)
		e := newEnv(t, one)
		sk := mailsink.Start(t, "127.0.0.1:0")
		const mails = 40
		for i := 0; i < mails; i++ {
			n := e.notice(e.alice.ID)
			n.Ref.ID = int64(100 + i)
			e.send(t, n)
		}
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i, h := range []*store.DB{one, two} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := e.mailer(h, sk.Addr()).SendDue(context.Background())
				if err != nil {
					t.Errorf("mailer %d: %v", i, err)
				}
				counts[i] = n
			}()
		}
		wg.Wait()
		got := sk.Messages()
		if counts[0]+counts[1] != mails || len(got) != mails {
			t.Fatalf("mailers sent %v, sink received %d; want %d in all", counts, len(got), mails)
		}
		seen := map[string]bool{}
		for _, m := range got {
			h, _, _ := decoded(t, m.Data)
			if seen[h.Get("Message-ID")] {
				t.Fatalf("message %s received twice", h.Get("Message-ID"))
			}
			seen[h.Get("Message-ID")] = true
		}
		if n := e.count(t, `SELECT COUNT(*) FROM mail_outbox WHERE state = 'sent' AND attempts = 1`); n != mails {
			t.Fatalf("%d rows sent once, want %d", n, mails)
		}
	})
}

func TestMailerStopsWithItsContext(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	sk := mailsink.Start(t, "127.0.0.1:0")
	e.send(t, e.notice(e.alice.ID))
	m := e.mailer(db, sk.Addr())
	m.Interval = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	// Run looks at the outbox at once; wait for the mail to arrive, then stop it.
	sk.Await(1, 30*time.Second)
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if len(sk.Messages()) != 1 {
		t.Fatalf("received %d", len(sk.Messages()))
	}
}

func TestMailerTLSAndAuth(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	sk := mailsink.Start(t, "127.0.0.1:0")
	trust := sk.WithTLS(t)
	send := func(edit func(*notify.SMTP)) (int, outboxRow) {
		t.Helper()
		if _, err := db.SQL.Exec(`DELETE FROM mail_outbox`); err != nil {
			t.Fatal(err)
		}
		e.send(t, e.notice(e.alice.ID))
		m := e.mailer(db, sk.Addr())
		edit(&m.Server)
		n, err := m.SendDue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n, e.outboxRow(t)
	}
	t.Run("STARTTLS when offered, then AUTH PLAIN", func(t *testing.T) {
		n, _ := send(func(s *notify.SMTP) { s.TLS, s.User, s.Password = trust, "mamori", "secret" })
		got := sk.Messages()
		if n != 1 || len(got) != 1 || !got[0].TLS || got[0].User != "mamori" {
			t.Fatalf("sent %d; received %+v", n, got)
		}
	})
	t.Run("plain when STARTTLS is turned off", func(t *testing.T) {
		n, _ := send(func(s *notify.SMTP) { s.NoStartTLS = true })
		got := sk.Messages()
		if n != 1 || len(got) != 2 || got[1].TLS {
			t.Fatalf("sent %d; received %+v", n, got)
		}
	})
	t.Run("a certificate the system does not trust is refused", func(t *testing.T) {
		n, r := send(func(s *notify.SMTP) {})
		if n != 0 || r.code != "starttls" || len(sk.Messages()) != 2 {
			t.Fatalf("sent %d; outbox %+v", n, r)
		}
	})
	t.Run("a wrong password is recorded without the password", func(t *testing.T) {
		n, r := send(func(s *notify.SMTP) { s.TLS, s.User, s.Password = trust, "mamori", "wrong-aikotoba" })
		if n != 0 || r.code != "auth-535" || strings.Contains(r.lastError, "aikotoba") {
			t.Fatalf("sent %d; outbox %+v", n, r)
		}
	})
}
