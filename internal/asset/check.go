package asset

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Check validates an asset as Create would — against the pack, the actor's reach, the
// department and manager, and the management numbers already in the register — without
// writing anything.
func (s *Service) Check(ctx context.Context, who access.Actor, in Input) error {
	check, err := s.Checker(ctx, who)
	if err != nil {
		return err
	}
	if in, err = check(in); err != nil {
		return err
	}
	if err := refsExist(ctx, s.DB.SQL, who.OrgID, in); err != nil {
		return err
	}
	var n int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE org_id = $1 AND number = $2`, who.OrgID, in.Number).Scan(&n); err != nil {
		return apperr.Wrap(err, "number check")
	}
	if n > 0 {
		return apperr.InvalidField("number", "asset.error.number_taken", in.Number)
	}
	return nil
}

// Checker returns a function that checks inputs as Check does, apart from the look-ups in the
// database (department, manager, number), against the pack as it is now: an import checks
// every row with it and reads the pack once. The function returns the input as Create would
// store it (numbers and codes folded to half-width, defaults filled).
func (s *Service) Checker(ctx context.Context, who access.Actor) (func(Input) (Input, error), error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	r := reachOf(who)
	return func(in Input) (Input, error) {
		in.normalize()
		if _, err := in.validate(p); err != nil {
			return in, err
		}
		if !r.writesInput(in) {
			return in, apperr.New(apperr.Forbidden, "error.forbidden")
		}
		return in, nil
	}, nil
}

// CreateMany registers many assets in one transaction, each checked as Create checks it and
// each with its audit entry: all of them, or none when one fails. On failure the count
// returned is the index of the input that failed; an error yielded by the sequence itself also
// rolls everything back. It is UpsertMany refusing every number the register already holds.
func (s *Service) CreateMany(ctx context.Context, who access.Actor, inputs iter.Seq2[Input, error]) (int, error) {
	rows := func(yield func(Upsert, error) bool) {
		for in, err := range inputs {
			row := Upsert{Number: in.Number, Build: func(cur *Asset) (Input, bool, error) {
				if cur != nil {
					return in, false, apperr.InvalidField("number", "asset.error.number_taken", in.Number)
				}
				return in, true, nil
			}}
			if !yield(row, err) {
				return
			}
		}
	}
	w, err := s.UpsertMany(ctx, who, rows, nil)
	if err != nil {
		return max(w.Failed, 0), err
	}
	return w.Created, nil
}

// batch writes many new assets in one transaction. Its audit entries are chained exactly as
// auditlog.Append chains them, but the chain's head is locked at the start and moved once at
// the end: PostgreSQL keeps every version of a row updated again and again in one
// transaction, so moving the head per entry made a 100,000-row import quadratic (minutes per
// ten thousand rows). auditlog.Verify checks the result like any other part of the chain.
type batch struct {
	tx                       *sql.Tx
	who                      access.Actor
	pack                     *policy.Compiled
	now                      time.Time
	asset, level, audit      *sql.Stmt
	departments, staff       map[int64]string // names of the ids checked so far
	seq                      int64
	hash                     string
	actor, remote, userAgent string
	written                  []Asset // the assets added, for the write hooks
}

func (s *Service) newBatch(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled) (*batch, error) {
	b := &batch{tx: tx, who: who, pack: p, now: s.now(), departments: map[int64]string{}, staff: map[int64]string{},
		actor: who.Login, remote: who.RemoteAddr, userAgent: validPrefix(who.UserAgent, 512)}
	if b.actor == "" {
		b.actor = "system"
	}
	// The UPDATE locks the head as auditlog.Append's does, so that no other writer appends
	// between this batch's entries.
	err := tx.QueryRowContext(ctx, `UPDATE audit_heads SET seq = seq WHERE org_id = $1 RETURNING seq, hash`, who.OrgID).Scan(&b.seq, &b.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.Wrap(err, "audit chain has no head")
	}
	if err != nil {
		return nil, apperr.Wrap(err, "audit head")
	}
	for _, st := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&b.asset, `INSERT INTO assets (org_id, number, name, kind, department_id, manager_staff_id, segment, zone,
			top_rank, attrs_json, location, system_ref, quantity, copies, state, acquired_on, disposed_on, note, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`},
		{&b.level, `INSERT INTO asset_levels (asset_id, org_id, axis, level, rank) VALUES ($1, $2, $3, $4, $5)`},
		{&b.audit, `INSERT INTO audit_entries
			(org_id, seq, at, actor_user_id, actor, remote_addr, user_agent, entity, entity_id, action,
			 before_json, after_json, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`},
	} {
		if *st.stmt, err = tx.PrepareContext(ctx, st.query); err != nil {
			b.close()
			return nil, apperr.Wrap(err, "prepare batch")
		}
	}
	return b, nil
}

func (b *batch) close() {
	for _, st := range []*sql.Stmt{b.asset, b.level, b.audit} {
		if st != nil {
			st.Close()
		}
	}
}

// add writes one validated asset, its levels and its audit entry.
func (b *batch) add(ctx context.Context, in Input, top int) error {
	dept, err := b.name(ctx, b.departments, `SELECT name FROM departments WHERE id = $1 AND org_id = $2`, in.DepartmentID)
	if err != nil {
		return err
	}
	if dept == nil {
		return apperr.InvalidField("department_id", "org.error.department_missing")
	}
	a := Asset{OrgID: b.who.OrgID, Number: in.Number, Name: in.Name, Kind: in.Kind, DepartmentID: in.DepartmentID,
		DepartmentName: *dept, ManagerStaffID: in.ManagerStaffID, Segment: in.Segment, Zone: in.Zone, Class: in.Class,
		TopRank: top, Attrs: in.Attrs, Location: in.Location, SystemRef: in.SystemRef, Quantity: in.Quantity,
		Copies: in.Copies, State: in.State, AcquiredOn: in.AcquiredOn, DisposedOn: in.DisposedOn, Note: in.Note,
		CreatedAt: b.now, UpdatedAt: b.now}
	if in.ManagerStaffID != 0 {
		m, err := b.name(ctx, b.staff, `SELECT name FROM staff WHERE id = $1 AND org_id = $2`, in.ManagerStaffID)
		if err != nil {
			return err
		}
		if m == nil {
			return apperr.InvalidField("manager_staff_id", "org.error.staff_missing")
		}
		a.ManagerName = *m
	}
	attrs, _ := json.Marshal(in.Attrs)
	err = b.asset.QueryRowContext(ctx, b.who.OrgID, in.Number, in.Name, in.Kind, store.NullID(in.DepartmentID), store.NullID(in.ManagerStaffID),
		in.Segment, in.Zone, top, string(attrs), in.Location, in.SystemRef, in.Quantity, in.Copies, in.State, in.AcquiredOn,
		in.DisposedOn, in.Note, b.now, b.now).Scan(&a.ID)
	if store.IsUniqueViolation(err) {
		return apperr.InvalidField("number", "asset.error.number_taken", in.Number)
	}
	if err != nil {
		return apperr.Wrap(err, "insert asset")
	}
	for axisID, level := range in.Class {
		axis, _ := b.pack.Axis(axisID)
		rank := 0
		for _, l := range axis.Levels {
			if l.ID == level {
				rank = l.Rank
			}
		}
		if _, err := b.level.ExecContext(ctx, a.ID, b.who.OrgID, axisID, level, rank); err != nil {
			return apperr.Wrap(err, "asset levels")
		}
	}
	if err := b.append(ctx, a.ID, "asset.create", nil, a); err != nil {
		return err
	}
	b.written = append(b.written, a)
	return nil
}

// append writes one audit entry of the batch, chained onto the last (before nil for none).
func (b *batch) append(ctx context.Context, id int64, action string, before, after any) error {
	var beforeJSON []byte
	if before != nil {
		var err error
		if beforeJSON, err = json.Marshal(before); err != nil {
			return apperr.Wrap(err, "audit encode")
		}
	}
	afterJSON, err := json.Marshal(after)
	if err != nil {
		return apperr.Wrap(err, "audit encode")
	}
	e := auditlog.Entry{OrgID: b.who.OrgID, Seq: b.seq + 1, At: b.now, ActorUserID: b.who.UserID, Actor: b.actor,
		RemoteAddr: b.remote, UserAgent: b.userAgent, Entity: "asset", EntityID: strconv.FormatInt(id, 10),
		Action: action, Before: string(beforeJSON), After: string(afterJSON), PrevHash: b.hash}
	e.Hash = e.ComputeHash()
	if _, err := b.audit.ExecContext(ctx, e.OrgID, e.Seq, e.At, store.NullID(e.ActorUserID), e.Actor, e.RemoteAddr, e.UserAgent,
		e.Entity, e.EntityID, e.Action, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return apperr.Wrap(err, "audit insert")
	}
	b.seq, b.hash = e.Seq, e.Hash
	return nil
}

// name returns the name of a department or staff member of the organisation (nil when there
// is none), asking the database once per id.
func (b *batch) name(ctx context.Context, cache map[int64]string, query string, id int64) (*string, error) {
	if n, ok := cache[id]; ok {
		return &n, nil
	}
	var n string
	err := b.tx.QueryRowContext(ctx, query, id, b.who.OrgID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Wrap(err, "reference check")
	}
	cache[id] = n
	return &n, nil
}

// finish moves the audit chain's head past the batch's entries.
func (b *batch) finish(ctx context.Context) error {
	if _, err := b.tx.ExecContext(ctx, `UPDATE audit_heads SET seq = $1, hash = $2 WHERE org_id = $3`, b.seq, b.hash, b.who.OrgID); err != nil {
		return apperr.Wrap(err, "audit head update")
	}
	return nil
}

// validPrefix returns s as valid UTF-8 of at most n bytes, as auditlog stores a user agent.
func validPrefix(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// refsExist makes sure the department and manager belong to the organisation.
func refsExist(ctx context.Context, q store.Querier, orgID int64, in Input) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = $1 AND org_id = $2`, in.DepartmentID, orgID).Scan(&n); err != nil {
		return apperr.Wrap(err, "department check")
	}
	if n == 0 {
		return apperr.InvalidField("department_id", "org.error.department_missing")
	}
	if in.ManagerStaffID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE id = $1 AND org_id = $2`, in.ManagerStaffID, orgID).Scan(&n); err != nil {
			return apperr.Wrap(err, "staff check")
		}
		if n == 0 {
			return apperr.InvalidField("manager_staff_id", "org.error.staff_missing")
		}
	}
	return nil
}
