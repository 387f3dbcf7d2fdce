package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net/mail"
	"strings"
	"time"

	"mamori/internal/i18n"
)

// message is one mail ready for DATA, with its envelope sender and Message-ID.
type message struct {
	sender string // the bare address for MAIL FROM
	id     string // Message-ID, with its angle brackets
	data   []byte
}

// compose writes the mail for an outbox row: UTF-8 text, the subject as encoded words, the
// body in base64, lines ending in CRLF. The body is the notice's, then the page to open and a
// line saying that Mamori sent it, in the recipient's language.
func compose(c SMTP, o outgoing, now time.Time) message {
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		from = &mail.Address{Address: c.From} // Check refuses this before a mailer starts
	}
	lang := i18n.ParseLang(o.lang)
	domain := "mamori.invalid"
	if _, d, ok := strings.Cut(from.Address, "@"); ok && d != "" {
		domain = d
	}
	var rnd [12]byte
	rand.Read(rnd[:])
	msg := message{sender: from.Address, id: "<" + hex.EncodeToString(rnd[:]) + "." + now.Format("20060102150405") + "@" + domain + ">"}

	var text strings.Builder
	if body := strings.TrimSpace(o.body.In(string(lang))); body != "" {
		text.WriteString(body)
		text.WriteString("\n\n")
	}
	if o.link != "" {
		text.WriteString(i18n.T(lang, "notify.mail.open", strings.TrimRight(c.PublicURL, "/")+o.link))
		text.WriteString("\n\n")
	}
	text.WriteString("-- \n")
	text.WriteString(i18n.T(lang, "notify.mail.footer"))
	text.WriteString("\n")

	to := mail.Address{Address: o.address}
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("UTF-8", oneLine(o.subject.In(string(lang)))))
	header("Date", now.In(i18n.Tokyo).Format(time.RFC1123Z))
	header("Message-ID", msg.id)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	header("Auto-Submitted", "auto-generated") // RFC 3834: no automatic replies to it
	b.WriteString("\r\n")
	body := strings.ReplaceAll(text.String(), "\r\n", "\n")
	body = strings.ReplaceAll(body, "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	msg.data = b.Bytes()
	return msg
}
