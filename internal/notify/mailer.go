package notify

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"mamori/internal/store"
)

// Mailer sends the outbox's due mail through the one configured SMTP server. Every server
// process may run one: each claims a due row for a while before sending it, so two mailers never
// take the same row, and a row whose mailer died is taken up again once the claim has lapsed.
type Mailer struct {
	DB     *store.DB
	Server SMTP
	Now    func() time.Time
	Log    *slog.Logger

	Interval    time.Duration                   // between looks at the outbox; default 10 s
	Timeout     time.Duration                   // for one message, connection to QUIT; default 60 s
	MaxAttempts int                             // tries before giving up; default 8
	Backoff     func(attempt int) time.Duration // wait after the n-th failed try; default 1 min doubling to 6 h
	MaxAge      time.Duration                   // mail older than this when its turn comes is not sent; default 72 h

	id string // claimed_by: this mailer
}

// NewMailer returns a mailer with the defaults.
func NewMailer(db *store.DB, server SMTP) *Mailer {
	return &Mailer{DB: db, Server: server}
}

func (m *Mailer) now() time.Time { return store.Now(m.Now) }

func (m *Mailer) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}

// Every is how often the outbox is looked at: Interval, or its default.
func (m *Mailer) Every() time.Duration { return m.interval() }

func (m *Mailer) timeout() time.Duration  { return cmp0(m.Timeout, 60*time.Second) }
func (m *Mailer) interval() time.Duration { return cmp0(m.Interval, 10*time.Second) }
func (m *Mailer) maxAge() time.Duration   { return cmp0(m.MaxAge, 72*time.Hour) }
func (m *Mailer) lease() time.Duration    { return 2*m.timeout() + time.Minute }
func (m *Mailer) maxAttempts() int {
	if m.MaxAttempts > 0 {
		return m.MaxAttempts
	}
	return 8
}

func (m *Mailer) backoff(attempt int) time.Duration {
	if m.Backoff != nil {
		return m.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

// DefaultBackoff waits a minute after the first failure and twice as long after each further
// one, at most six hours.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Minute
	for i := 1; i < attempt && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

func cmp0(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Run sends due mail until ctx ends, looking at the outbox every Interval. It returns after the
// message in hand has been dealt with.
func (m *Mailer) Run(ctx context.Context) {
	t := time.NewTicker(m.interval())
	defer t.Stop()
	for {
		if _, err := m.SendDue(ctx); err != nil && ctx.Err() == nil {
			m.log().Error("mail: outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue sends every mail that is due now, one after the other, and says how many went out.
// It stops early when ctx ends.
func (m *Mailer) SendDue(ctx context.Context) (int, error) {
	if m.id == "" {
		var b [8]byte
		rand.Read(b[:])
		m.id = hex.EncodeToString(b[:])
	}
	sent := 0
	for ctx.Err() == nil {
		out, err := m.claim(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return sent, nil
		}
		if err != nil {
			return sent, err
		}
		ok, err := m.deliver(ctx, out)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// outgoing is a claimed outbox row with its notice.
type outgoing struct {
	id        int64
	address   string
	lang      string
	attempts  int
	createdAt time.Time
	subject   Text
	body      Text
	link      string
}

// claim takes the oldest due row that no live claim holds, for the lease, or sql.ErrNoRows.
// The outer conditions are checked again on the row itself, so that on PostgreSQL a row claimed
// by another process since the inner SELECT is left alone.
func (m *Mailer) claim(ctx context.Context) (outgoing, error) {
	var o outgoing
	now := m.now()
	err := m.DB.InTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE mail_outbox SET claimed_until = $1, claimed_by = $2
			WHERE id = (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_at <= $3
				AND (claimed_until IS NULL OR claimed_until <= $3) ORDER BY next_at, id LIMIT 1`+m.DB.SkipLocked()+`)
			AND state = 'pending' AND (claimed_until IS NULL OR claimed_until <= $3)
			RETURNING id`, now.Add(m.lease()), m.id, now).Scan(&id)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT o.id, o.address, o.lang, o.attempts, o.created_at,
			n.subject_ja, n.subject_en, n.body_ja, n.body_en, n.link
			FROM mail_outbox o JOIN notices n ON n.id = o.notice_id WHERE o.id = $1`, id).
			Scan(&o.id, &o.address, &o.lang, &o.attempts, &o.createdAt, &o.subject.Ja, &o.subject.En, &o.body.Ja, &o.body.En, &o.link)
	})
	return o, err
}

// deliver sends one claimed mail and records the outcome; ok is whether it went out.
func (m *Mailer) deliver(ctx context.Context, o outgoing) (ok bool, err error) {
	now := m.now()
	if now.Sub(o.createdAt) > m.maxAge() {
		return false, m.finish(ctx, o.id, `state = 'expired'`)
	}
	msg := compose(m.Server, o, now)
	sendErr := m.Server.send(ctx, o.address, msg, m.timeout())
	if sendErr == nil {
		return true, m.finish(ctx, o.id, `state = 'sent', sent_at = $3, attempts = attempts + 1, last_code = '', last_error = '',
			message_id = $4`, m.now(), msg.id)
	}
	attempts := o.attempts + 1
	code, text := describe(sendErr)
	state, next := MailPending, now.Add(m.backoff(attempts))
	if attempts >= m.maxAttempts() {
		state = MailFailed
	}
	m.log().Warn("mail: not sent", "outbox", o.id, "attempt", attempts, "state", state, "code", code, "err", text)
	return false, m.finish(ctx, o.id, `state = $3, attempts = $4, next_at = $5, last_code = $6, last_error = $7`,
		state, attempts, next, code, text)
}

// finish writes set on a row this mailer holds and lets go of it. set may use $3 onwards for
// args.
func (m *Mailer) finish(ctx context.Context, id int64, set string, args ...any) error {
	_, err := m.DB.SQL.ExecContext(context.WithoutCancel(ctx), `UPDATE mail_outbox SET `+set+`,
		claimed_until = NULL, claimed_by = '' WHERE id = $1 AND claimed_by = $2`, append([]any{id, m.id}, args...)...)
	if err != nil {
		return fmt.Errorf("mail: outcome of %d: %w", id, err)
	}
	return nil
}
