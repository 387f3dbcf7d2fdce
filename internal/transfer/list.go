package transfer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// List is one uploaded 人事異動 list.
type List struct {
	ID          int64      `json:"id"`
	OrgID       int64      `json:"org_id"`
	Filename    string     `json:"filename"`
	Encoding    string     `json:"encoding"`
	HeaderRow   int        `json:"header_row"`
	Headers     []string   `json:"headers"`
	Mapping     []string   `json:"mapping"` // the field of each column, "" for a column left out
	State       string     `json:"state"`
	RowCount    int        `json:"row_count"`
	FirstOn     string     `json:"first_on,omitempty"` // the earliest and latest effective day, once applied
	LastOn      string     `json:"last_on,omitempty"`
	Problem     string     `json:"problem,omitempty"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	AppliedBy   string     `json:"applied_by,omitempty"`
	AppliedAt   *time.Time `json:"applied_at,omitempty"`
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	Version     int        `json:"version"`
	rows        []storedRow
}

// Batch is the name the list's moves carry in staff_moves.batch.
func (l List) Batch() string { return "transfer-list:" + strconv.FormatInt(l.ID, 10) }

// Withdrawable reports whether the list may still be taken back: applied with every move still
// to come.
func (l List) Withdrawable() bool { return l.State == StatePending || l.State == StateFailed }

const mappingKind = "transfer"

// Upload reads a 人事異動 list and keeps it as a draft with its columns guessed; nothing in the
// staff records changes until it is applied. A file that is no sheet is refused with why.
func (s *Service) Upload(ctx context.Context, who access.Actor, filename string, data []byte) (List, error) {
	if !MayImport(who) {
		return List{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	enc, hr, headers, rows, err := readSheet(ctx, filename, data)
	if err != nil {
		return List{}, err
	}
	remembered, err := s.remembered(ctx, who.OrgID)
	if err != nil {
		return List{}, err
	}
	l := List{OrgID: who.OrgID, Filename: filename, Encoding: enc, HeaderRow: hr, Headers: headers, Mapping: guessMapping(headers, remembered),
		State: StateDraft, RowCount: len(rows), CreatedBy: who.Name, CreatedAt: s.now(), Version: 1, rows: rows}
	hj, _ := json.Marshal(l.Headers)
	mj, _ := json.Marshal(l.Mapping)
	cj, _ := json.Marshal(l.rows)
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO transfer_lists (org_id, filename, encoding, header_row, headers, cells, mapping, state, row_count,
			created_by_user_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			l.OrgID, l.Filename, l.Encoding, l.HeaderRow, string(hj), string(cj), string(mj), l.State, l.RowCount,
			store.NullID(who.UserID), l.CreatedBy, l.CreatedAt).Scan(&l.ID)
		if err != nil {
			return apperr.Wrap(err, "insert transfer list")
		}
		_, err = auditlog.Append(ctx, tx, who, l.CreatedAt, auditlog.Event{Entity: "transfer_list", EntityID: l.ID, Action: "transfer.upload",
			After: map[string]any{"filename": l.Filename, "rows": l.RowCount}})
		return err
	})
	return l, err
}

// SetMapping changes which field each column of a draft list is, and remembers the choice for
// the organisation's next list.
func (s *Service) SetMapping(ctx context.Context, who access.Actor, id int64, mapping []string) (List, error) {
	if !MayImport(who) {
		return List{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	l, err := s.Get(ctx, who, id)
	if err != nil {
		return List{}, err
	}
	if l.State != StateDraft {
		return List{}, apperr.New(apperr.Conflict, "transfer.error.not_draft")
	}
	if len(mapping) != len(l.Headers) {
		return List{}, apperr.InvalidField("mapping", "transfer.error.mapping_length")
	}
	for i, f := range mapping {
		if f == "-" {
			mapping[i] = ""
		}
	}
	if err := checkMapping(mapping); err != nil {
		return List{}, err
	}
	l.Mapping = mapping
	mj, _ := json.Marshal(mapping)
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE transfer_lists SET mapping = $1, version = version + 1 WHERE id = $2 AND org_id = $3`, string(mj), id, who.OrgID); err != nil {
			return apperr.Wrap(err, "transfer mapping")
		}
		if err := s.remember(ctx, tx, who.OrgID, l.Headers, mapping); err != nil {
			return err
		}
		_, err := auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "transfer_list", EntityID: id, Action: "transfer.map", After: mapping})
		return err
	})
	return l, err
}

func (s *Service) remembered(ctx context.Context, orgID int64) (map[string]string, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT header, field FROM import_mappings WHERE org_id = $1 AND kind = $2`, orgID, mappingKind)
	if err != nil {
		return nil, apperr.Wrap(err, "import mappings")
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var h, f string
		if err := rows.Scan(&h, &f); err != nil {
			return nil, apperr.Wrap(err, "import mappings")
		}
		out[h] = f
	}
	return out, rows.Err()
}

// remember keeps the field of each heading ("-" for a column left out) for the next list.
func (s *Service) remember(ctx context.Context, tx *sql.Tx, orgID int64, headers, mapping []string) error {
	for i, h := range headers {
		k := assetio.HeaderKey(h)
		if k == "" {
			continue
		}
		f := mapping[i]
		if f == "" {
			f = "-"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_mappings (org_id, kind, header, field, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (org_id, kind, header) DO UPDATE SET field = excluded.field, updated_at = excluded.updated_at`,
			orgID, mappingKind, k, f, s.now()); err != nil {
			return apperr.Wrap(err, "remember transfer mapping")
		}
	}
	return nil
}

const listColumns = `id, org_id, filename, encoding, header_row, headers, mapping, state, row_count, first_on, last_on, problem,
	created_by, created_at, applied_by, applied_at, withdrawn_by, withdrawn_at, version`

func scanList(sc interface{ Scan(...any) error }) (List, error) {
	var l List
	var hj, mj string
	var applied, withdrawn sql.NullTime
	err := sc.Scan(&l.ID, &l.OrgID, &l.Filename, &l.Encoding, &l.HeaderRow, &hj, &mj, &l.State, &l.RowCount, &l.FirstOn, &l.LastOn, &l.Problem,
		&l.CreatedBy, &l.CreatedAt, &l.AppliedBy, &applied, &l.WithdrawnBy, &withdrawn, &l.Version)
	if err != nil {
		return l, err
	}
	_ = json.Unmarshal([]byte(hj), &l.Headers)
	_ = json.Unmarshal([]byte(mj), &l.Mapping)
	l.CreatedAt = l.CreatedAt.UTC()
	if applied.Valid {
		t := applied.Time.UTC()
		l.AppliedAt = &t
	}
	if withdrawn.Valid {
		t := withdrawn.Time.UTC()
		l.WithdrawnAt = &t
	}
	return l, nil
}

// Get returns one list of the actor's organisation, with its rows as read.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (List, error) {
	if !MayRead(who) {
		return List{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return getList(ctx, s.DB.SQL, who.OrgID, id)
}

func getList(ctx context.Context, q store.Querier, orgID, id int64) (List, error) {
	var cj string
	row := q.QueryRowContext(ctx, `SELECT `+listColumns+`, cells FROM transfer_lists WHERE id = $1 AND org_id = $2`, id, orgID)
	var l List
	var hj, mj string
	var applied, withdrawn sql.NullTime
	err := row.Scan(&l.ID, &l.OrgID, &l.Filename, &l.Encoding, &l.HeaderRow, &hj, &mj, &l.State, &l.RowCount, &l.FirstOn, &l.LastOn, &l.Problem,
		&l.CreatedBy, &l.CreatedAt, &l.AppliedBy, &applied, &l.WithdrawnBy, &withdrawn, &l.Version, &cj)
	if errors.Is(err, sql.ErrNoRows) {
		return l, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return l, apperr.Wrap(err, "transfer list")
	}
	_ = json.Unmarshal([]byte(hj), &l.Headers)
	_ = json.Unmarshal([]byte(mj), &l.Mapping)
	_ = json.Unmarshal([]byte(cj), &l.rows)
	l.CreatedAt = l.CreatedAt.UTC()
	if applied.Valid {
		t := applied.Time.UTC()
		l.AppliedAt = &t
	}
	if withdrawn.Valid {
		t := withdrawn.Time.UTC()
		l.WithdrawnAt = &t
	}
	return l, nil
}

// Lists returns the organisation's lists, newest first.
func (s *Service) Lists(ctx context.Context, who access.Actor, state string, limit int) ([]List, error) {
	if !MayRead(who) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT ` + listColumns + ` FROM transfer_lists WHERE org_id = $1`
	args := []any{who.OrgID}
	if state != "" {
		q += ` AND state = $2`
		args = append(args, state)
	}
	args = append(args, limit)
	rows, err := s.DB.SQL.QueryContext(ctx, q+` ORDER BY created_at DESC, id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, apperr.Wrap(err, "transfer lists")
	}
	defer rows.Close()
	var out []List
	for rows.Next() {
		l, err := scanList(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "transfer lists")
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
