package auditlog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/store"
)

// Event is what a service records: which entity, what happened, and its state before and after
// (any JSON-encodable value; nil for none).
type Event struct {
	Entity   string
	EntityID any
	Action   string
	Before   any
	After    any
}

// Start creates an organisation's chain head. It runs in the transaction that creates the
// organisation.
func Start(ctx context.Context, tx *sql.Tx, orgID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_heads (org_id, seq, hash) VALUES ($1, 0, $2)`, orgID, Genesis)
	return err
}

// Append adds an entry for ev inside tx. The head row of the organisation's chain is locked by
// the UPDATE, so concurrent appenders — in this process or another one on the same database —
// wait for each other and the chain cannot fork.
func Append(ctx context.Context, tx *sql.Tx, who access.Actor, at time.Time, ev Event) (Entry, error) {
	e := Entry{
		OrgID: who.OrgID, At: at.UTC().Truncate(time.Microsecond), ActorUserID: who.UserID,
		Actor: who.Login, RemoteAddr: who.RemoteAddr, UserAgent: truncate(who.UserAgent, 512),
		Entity: ev.Entity, EntityID: idString(ev.EntityID), Action: ev.Action,
	}
	if e.Actor == "" {
		e.Actor = "system"
	}
	var err error
	if e.Before, err = encode(ev.Before); err != nil {
		return e, err
	}
	if e.After, err = encode(ev.After); err != nil {
		return e, err
	}
	err = tx.QueryRowContext(ctx,
		`UPDATE audit_heads SET seq = seq + 1 WHERE org_id = $1 RETURNING seq, hash`, e.OrgID).
		Scan(&e.Seq, &e.PrevHash)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("audit chain of organisation %d has no head", e.OrgID)
	}
	if err != nil {
		return e, fmt.Errorf("audit head: %w", err)
	}
	e.Hash = e.ComputeHash()
	err = tx.QueryRowContext(ctx, `INSERT INTO audit_entries
		(org_id, seq, at, actor_user_id, actor, remote_addr, user_agent, entity, entity_id, action,
		 before_json, after_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		e.OrgID, e.Seq, e.At, store.NullID(e.ActorUserID), e.Actor, e.RemoteAddr, e.UserAgent,
		e.Entity, e.EntityID, e.Action, e.Before, e.After, e.PrevHash, e.Hash).Scan(&e.ID)
	if err != nil {
		return e, fmt.Errorf("audit insert: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_heads SET hash = $1 WHERE org_id = $2`, e.Hash, e.OrgID); err != nil {
		return e, fmt.Errorf("audit head update: %w", err)
	}
	return e, nil
}

func encode(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit encode: %w", err)
	}
	return string(b), nil
}

func idString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

// truncate returns s as valid UTF-8 of at most n bytes, cut at a character boundary. Text from
// a request header may be in any encoding, and PostgreSQL refuses anything but UTF-8.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
