// Package notify tells people what waits for them (お知らせ): a notice in the app for each user
// it concerns and, when a mail server is configured, an e-mail to each address. Domain services
// call Notify inside the transaction of the change that causes the notice, so that the notice
// exists exactly when the change does; the Mailer sends the mail afterwards, from any process.
package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of notice that Mamori's services send. A kind is any dotted name; these are the ones
// known today.
const (
	RequestWaiting = "request.waiting" // a request waits for the recipient's decision
	RequestDecided = "request.decided" // the recipient's request was approved, rejected or sent back
	ReturnOverdue  = "return.overdue"  // something taken out or lent was due back
)

// Text is a notice's words in both languages. En may be empty; readers of English then see the
// Japanese.
type Text struct {
	Ja string
	En string
}

// In returns the text for a language ("ja" or "en").
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Ja
}

// Ref names the record a notice is about: its type ("request", "logbook_entry", "incident" …)
// and id.
type Ref struct {
	Type string
	ID   int64
}

// Notice is what a service has to tell, and to whom.
type Notice struct {
	OrgID int64
	// Staff and Users are the recipients. A staff member is reached through each account linked
	// to them and by their e-mail address; a user through the app and the e-mail address of their
	// staff record. Inactive staff and disabled accounts are left out; a person named twice gets
	// one notice.
	Staff   []int64
	Users   []int64
	Kind    string
	Subject Text
	Body    Text
	Link    string // a path inside Mamori, e.g. /requests/12; "" for none
	Ref     Ref
	// Once, when set, makes the notice unique for its kind and Ref: a second Notify with the
	// same Once writes nothing. A daily reminder passes the day ("2026-04-01"), a step's
	// notice the step.
	Once string
	At   time.Time // when; zero for now
}

// Limits on a notice's text, in characters.
const (
	maxSubject = 200
	maxBody    = 4000
)

// Notify records n inside tx: the notice, a row for each user who will see it in the app and an
// outbox row for each e-mail address. It writes nothing when n.Once was used before for the same
// kind and record, or when no recipient can be reached. An error means the caller's transaction
// should not commit; a notice with no subject, a bad link or no organisation is a programming
// error of the caller.
func Notify(ctx context.Context, tx *sql.Tx, n Notice) error {
	if err := n.check(); err != nil {
		return err
	}
	rs, err := recipientsOf(ctx, tx, n)
	if err != nil {
		return fmt.Errorf("notify: recipients: %w", err)
	}
	if len(rs.users) == 0 && len(rs.mail) == 0 {
		return nil
	}
	at := n.At
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	var once any
	if n.Once != "" {
		once = n.Once
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO notices
		(org_id, kind, subject_ja, subject_en, body_ja, body_en, link, ref_type, ref_id, once_key, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id`,
		n.OrgID, n.Kind, oneLine(clip(n.Subject.Ja, maxSubject)), oneLine(clip(n.Subject.En, maxSubject)),
		clip(n.Body.Ja, maxBody), clip(n.Body.En, maxBody), n.Link, n.Ref.Type, n.Ref.ID, once, at).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // sent before under the same Once
	}
	if err != nil {
		return fmt.Errorf("notify: notice: %w", err)
	}
	for _, u := range rs.users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_recipients (org_id, notice_id, user_id) VALUES ($1, $2, $3)`,
			n.OrgID, id, u); err != nil {
			return fmt.Errorf("notify: recipient: %w", err)
		}
	}
	for _, m := range rs.mail {
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (org_id, notice_id, address, lang, next_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $5)`, n.OrgID, id, m.address, m.lang, at); err != nil {
			return fmt.Errorf("notify: outbox: %w", err)
		}
	}
	return nil
}

func (n *Notice) check() error {
	switch {
	case n.OrgID <= 0:
		return errors.New("notify: a notice needs its organisation")
	case n.Kind == "":
		return errors.New("notify: a notice needs a kind")
	case strings.TrimSpace(n.Subject.Ja) == "":
		return errors.New("notify: a notice needs a Japanese subject")
	case n.Link != "" && !localPath(n.Link):
		return fmt.Errorf("notify: link %q is not a path inside Mamori", n.Link)
	}
	return nil
}

// localPath accepts "/…" but not "//host…" or "/\host…", which browsers take for other sites.
func localPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\") &&
		!strings.ContainsAny(p, "\r\n\t ")
}

// oneLine turns line breaks and other control characters into spaces: a subject becomes a mail
// header.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
