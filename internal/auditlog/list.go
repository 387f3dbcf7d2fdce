package auditlog

import (
	"context"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

const entryColumns = `id, org_id, seq, at, COALESCE(actor_user_id, 0), actor, remote_addr, user_agent,
	entity, entity_id, action, before_json, after_json, prev_hash, hash`

type scanner interface{ Scan(...any) error }

func scanEntry(s scanner) (Entry, error) {
	var e Entry
	err := s.Scan(&e.ID, &e.OrgID, &e.Seq, &e.At, &e.ActorUserID, &e.Actor, &e.RemoteAddr, &e.UserAgent,
		&e.Entity, &e.EntityID, &e.Action, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	return e, err
}

// Filter narrows a listing of the log.
type Filter struct {
	Entity   string
	EntityID string
	Action   string
	Actor    string
	From, To time.Time // To is exclusive
	Limit    int
	Offset   int
}

// Service reads the log on behalf of an actor.
type Service struct {
	DB  *store.DB
	Now func() time.Time
	// Readers decide, by kind of record, which entries a reader may read in full (readers.go);
	// the values of any other entry are withheld (Entry.Withheld).
	Readers Readers
	// Anchor, when set, is where the chain's signed checkpoints are kept outside the database;
	// the status and a full verification hold the chain against them.
	Anchor *Anchor
}

// List returns entries newest first and the total matching the filter.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Entry, int, error) {
	if !who.CanReadAuditLog() {
		return nil, 0, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	where := []string{"org_id = $1"}
	args := []any{who.OrgID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Actor != "" {
		add(`lower(actor) LIKE lower(?) ESCAPE '\'`, "%"+store.LikeEscape(f.Actor)+"%")
	}
	// Entries keep microseconds; bounds are cut to the same precision so that both engines
	// compare alike (SQLite compares the stored text).
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC().Truncate(time.Microsecond))
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC().Truncate(time.Microsecond))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM audit_entries WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "audit count")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+entryColumns+` FROM audit_entries WHERE `+cond+
		` ORDER BY seq DESC LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "audit list")
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "audit scan")
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "audit list")
	}
	if err := s.screen(ctx, who, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Verify checks the actor's organisation's chain.
func (s *Service) Verify(ctx context.Context, who access.Actor) (Report, error) {
	if !who.CanReadAuditLog() {
		return Report{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	r, err := Verify(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return r, apperr.Wrap(err, "audit verify")
	}
	return r, nil
}

// Actions lists the distinct entity/action pairs in the organisation's log, for filter menus.
func (s *Service) Actions(ctx context.Context, who access.Actor) ([]string, error) {
	if !who.CanReadAuditLog() {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT DISTINCT action FROM audit_entries WHERE org_id = $1 ORDER BY action`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "audit actions")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
