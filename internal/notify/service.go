package notify

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

// Service is what the web pages and the API ask of notices. Each user reads and marks only their
// own; nobody else, administrators included, sees them.
type Service struct {
	DB  *store.DB
	Now func() time.Time
	// Readers decide, when a notice is read, whether its reader may still read the record it
	// is about (readers.go).
	Readers Readers
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// Item is one notice as its reader sees it, in the reader's language.
type Item struct {
	ID        int64      `json:"id"` // the reader's copy, which read marks
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Link      string     `json:"link,omitempty"`
	RefType   string     `json:"ref_type,omitempty"`
	RefID     int64      `json:"ref_id,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
	// Withheld: the notice is about a record its reader may no longer read, so its words and
	// link are replaced by a neutral notice (readers.go).
	Withheld bool `json:"withheld,omitempty"`
}

// Read reports whether the reader has marked the notice read.
func (it Item) Read() bool { return it.ReadAt != nil }

// Filter narrows a reader's list.
type Filter struct {
	UnreadOnly bool
	Limit      int // default 50, at most 500
	Offset     int
}

// UnreadCap is how far the unread count counts: the header shows "99+" beyond, and the count
// stays an index lookup of at most this many rows, however much a user has left unread.
const UnreadCap = 100

// List returns the reader's notices, newest first, and how many there are in all.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Item, int, error) {
	if who.UserID == 0 {
		return nil, 0, nil // the program itself receives no notices
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	f.Offset = max(f.Offset, 0)
	cond := `r.user_id = $1 AND r.org_id = $2`
	if f.UnreadOnly {
		cond += ` AND r.read_at IS NULL`
	}
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM notice_recipients r WHERE `+cond, who.UserID, who.OrgID).
		Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "notices count")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+itemCols+` FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
		WHERE `+cond+` ORDER BY r.id DESC LIMIT $3 OFFSET $4`, who.UserID, who.OrgID, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "notices")
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows, who.Lang)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "notice")
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "notices")
	}
	return out, total, s.screen(ctx, who, out)
}

// Unread counts the reader's unread notices up to UnreadCap.
func (s *Service) Unread(ctx context.Context, who access.Actor) (int, error) {
	if who.UserID == 0 {
		return 0, nil
	}
	var n int
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notice_recipients
		WHERE user_id = $1 AND read_at IS NULL AND org_id = $2 LIMIT $3) AS unread`, who.UserID, who.OrgID, UnreadCap).Scan(&n)
	if err != nil {
		return 0, apperr.Wrap(err, "unread notices")
	}
	return n, nil
}

// Get returns one of the reader's notices. Another user's is not found, as if it did not exist.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Item, error) {
	row := s.DB.SQL.QueryRowContext(ctx, `SELECT `+itemCols+` FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
		WHERE r.id = $1 AND r.user_id = $2 AND r.org_id = $3`, id, who.UserID, who.OrgID)
	it, err := scanItem(row, who.Lang)
	if errors.Is(err, sql.ErrNoRows) || who.UserID == 0 {
		return Item{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return Item{}, apperr.Wrap(err, "notice")
	}
	list := []Item{it}
	if err := s.screen(ctx, who, list); err != nil {
		return Item{}, err
	}
	return list[0], nil
}

// MarkRead marks one of the reader's notices read and returns it; one read before keeps its
// time.
func (s *Service) MarkRead(ctx context.Context, who access.Actor, id int64) (Item, error) {
	it, err := s.Get(ctx, who, id)
	if err != nil || it.Read() {
		return it, err
	}
	now := s.now().Truncate(time.Microsecond)
	if _, err := s.DB.SQL.ExecContext(ctx, `UPDATE notice_recipients SET read_at = $1
		WHERE id = $2 AND user_id = $3 AND read_at IS NULL`, now, id, who.UserID); err != nil {
		return Item{}, apperr.Wrap(err, "mark read")
	}
	it.ReadAt = &now
	return it, nil
}

// MarkAllRead marks every unread notice of the reader read and says how many there were.
func (s *Service) MarkAllRead(ctx context.Context, who access.Actor) (int, error) {
	if who.UserID == 0 {
		return 0, nil
	}
	res, err := s.DB.SQL.ExecContext(ctx, `UPDATE notice_recipients SET read_at = $1
		WHERE user_id = $2 AND org_id = $3 AND read_at IS NULL`, s.now().Truncate(time.Microsecond), who.UserID, who.OrgID)
	if err != nil {
		return 0, apperr.Wrap(err, "mark all read")
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

const itemCols = `r.id, n.kind, n.subject_ja, n.subject_en, n.body_ja, n.body_en, n.link, n.ref_type, n.ref_id,
	n.created_at, r.read_at`

func scanItem(row interface{ Scan(...any) error }, lang string) (Item, error) {
	var it Item
	var subject, body Text
	var readAt sql.NullTime
	if err := row.Scan(&it.ID, &it.Kind, &subject.Ja, &subject.En, &body.Ja, &body.En, &it.Link, &it.RefType, &it.RefID,
		&it.CreatedAt, &readAt); err != nil {
		return it, err
	}
	it.Subject, it.Body = subject.In(lang), body.In(lang)
	if readAt.Valid {
		t := readAt.Time
		it.ReadAt = &t
	}
	return it, nil
}
