package notify

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// States of an outbox row.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"  // gave up after the last attempt
	MailExpired = "expired" // too old to be worth sending when its turn came
)

// Delivery is one mail as administrators see it when mail does not go out: to whom, how often it
// was tried and the last error as a short code and the server's words — never a password, and
// never shown to the recipient.
type Delivery struct {
	ID        int64      `json:"id"`
	Address   string     `json:"address"`
	Subject   string     `json:"subject"`
	State     string     `json:"state"`
	Attempts  int        `json:"attempts"`
	NextAt    time.Time  `json:"next_at"`
	LastCode  string     `json:"last_code"`
	LastError string     `json:"last_error"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// Troubles lists the organisation's mail that has not gone out at the first attempt — waiting
// for another try, or given up — newest first, with how many there are. Administrators only.
func (s *Service) Troubles(ctx context.Context, who access.Actor, limit int) ([]Delivery, int, error) {
	if !who.CanAdminister() {
		return nil, 0, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	const cond = `o.org_id = $1 AND (o.state = 'failed' OR (o.state = 'pending' AND o.attempts > 0))`
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox o WHERE `+cond, who.OrgID).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "outbox count")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT o.id, o.address, n.subject_ja, o.state, o.attempts, o.next_at,
		o.last_code, o.last_error, o.created_at, o.sent_at
		FROM mail_outbox o JOIN notices n ON n.id = o.notice_id WHERE `+cond+` ORDER BY o.id DESC LIMIT $2`, who.OrgID, limit)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "outbox")
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var sent sql.NullTime
		if err := rows.Scan(&d.ID, &d.Address, &d.Subject, &d.State, &d.Attempts, &d.NextAt, &d.LastCode, &d.LastError,
			&d.CreatedAt, &sent); err != nil {
			return nil, 0, apperr.Wrap(err, "outbox row")
		}
		if sent.Valid {
			t := sent.Time
			d.SentAt = &t
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "outbox")
	}
	return out, total, nil
}
