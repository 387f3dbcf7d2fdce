package logbook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Service keeps the organisation's logbooks.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// Pack returns the organisation's active pack.
func (s *Service) Pack(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	p, _, err := s.Policy.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.Conflict, "logbook.error.no_pack")
	}
	return p, err
}

// Logbook returns one logbook of the organisation's pack.
func (s *Service) Logbook(ctx context.Context, orgID int64, id string) (policy.Logbook, *policy.Compiled, error) {
	p, err := s.Pack(ctx, orgID)
	if err != nil {
		return policy.Logbook{}, nil, err
	}
	lb, ok := Find(p, id)
	if !ok {
		return lb, p, apperr.New(apperr.NotFound, "error.not_found")
	}
	return lb, p, nil
}

// Create writes a new entry. The writer must be allowed to write the logbook for the entry's
// department (its writer's own when none is given); an entry of a logbook that needs a second
// person starts 未確認.
func (s *Service) Create(ctx context.Context, who access.Actor, in Input) (Entry, error) {
	return s.write(ctx, who, in, 0)
}

// Correct writes a new entry that supersedes entry id: the ledger keeps both, and lists show
// the correction in place of the original. A correction of a confirmed entry needs a second
// person again.
func (s *Service) Correct(ctx context.Context, who access.Actor, id int64, in Input) (Entry, error) {
	if id <= 0 {
		return Entry{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return s.write(ctx, who, in, id)
}

func (s *Service) write(ctx context.Context, who access.Actor, in Input, supersedes int64) (Entry, error) {
	lb, p, err := s.Logbook(ctx, who.OrgID, in.Logbook)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Entry{}, apperr.InvalidField("logbook", "logbook.error.logbook", in.Logbook)
	}
	if err != nil {
		return Entry{}, err
	}
	r := reachOf(who, lb)
	if !r.writesAny() {
		return Entry{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if in.DepartmentID == 0 {
		in.DepartmentID = who.DepartmentID
	}
	if in.DepartmentID == 0 {
		return Entry{}, apperr.InvalidField("department_id", "error.required")
	}
	var e Entry
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var before Entry
		if supersedes != 0 {
			var err error
			if before, err = get(ctx, tx, who.OrgID, supersedes); err != nil {
				return err
			}
			if before.Logbook != lb.ID {
				return apperr.New(apperr.NotFound, "error.not_found")
			}
			if !r.canWrite(before.DepartmentID) {
				if !r.canRead(before.DepartmentID) {
					return apperr.New(apperr.NotFound, "error.not_found")
				}
				return apperr.New(apperr.Forbidden, "error.forbidden")
			}
			if before.SupersededBy != 0 {
				return apperr.New(apperr.Conflict, "logbook.error.superseded")
			}
		}
		// Refused before the input is looked at: what it names is not checked for someone
		// who may not write here.
		if !r.canWrite(in.DepartmentID) {
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		c, err := check(ctx, tx, who.OrgID, asset.SightOf(who, p), lb, in)
		if err != nil {
			return err
		}
		id, err := s.insert(ctx, tx, who, c, supersedes)
		if err != nil {
			return err
		}
		if e, err = get(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		ev := auditlog.Event{Entity: "logbook_entry", EntityID: id, Action: "logbook.create", After: e}
		if supersedes != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE logbook_entries SET superseded_by_id = $1 WHERE id = $2 AND org_id = $3`,
				id, supersedes, who.OrgID); err != nil {
				return apperr.Wrap(err, "supersede entry")
			}
			ev.Action, ev.Before = "logbook.correct", before
		}
		_, err = auditlog.Append(ctx, tx, who, e.CreatedAt, ev)
		return err
	})
	return e, err
}

func (s *Service) insert(ctx context.Context, tx *sql.Tx, who access.Actor, c checked, supersedes int64) (int64, error) {
	now := s.now()
	at := c.occurredAt
	if at.IsZero() {
		at = now
	}
	fields, _ := json.Marshal(c.fields)
	display, _ := json.Marshal(c.display)
	status := NotRequired
	if c.lb.SecondPerson {
		status = Pending
	}
	text, public := searchText(c.fields, c.display, c.numbers, c.escortName, who.Name)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO logbook_entries (org_id, logbook, department_id, occurred_at, fields_json, display_json,
		search_text, public_text, visitor, escort_staff_id, status, written_by_user_id, written_by_staff_id, written_by, written_by_name,
		created_at, supersedes_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		who.OrgID, c.lb.ID, c.dept, at.UTC(), string(fields), string(display), text, public, c.visitor, store.NullID(c.escort), status,
		store.NullID(who.UserID), store.NullID(who.StaffID), login(who), who.Name, now, store.NullID(supersedes)).Scan(&id)
	if store.IsUniqueViolation(err) {
		return 0, apperr.New(apperr.Conflict, "logbook.error.superseded")
	}
	if err != nil {
		return 0, apperr.Wrap(err, "insert logbook entry")
	}
	return id, nil
}

// searchText is what a search looks in: every value of the entry (fields) and the name of each
// staff, asset and department it names as written (display), NFKC-folded and lower-cased, with
// the escort's and the writer's names, ending in two spaces so that every character begins a
// trigram (see 00008). public is the same text with each asset the entry names by its number
// alone (numbers, by field) — what a reader from whom the asset's details are withheld looks in
// (list.go) — or "" when the entry names no asset and the whole text is public. It is the one
// reckoning of both texts, for a new entry (insert) and for one written before entries kept a
// public text (FillPublicText).
func searchText(fields map[string]any, display, numbers map[string]string, escort, writer string) (text, public string) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts, shown []string
	for _, k := range keys {
		if n, ok := display[k]; ok {
			parts = append(parts, n)
			if number, isAsset := numbers[k]; isAsset {
				n = number
			}
			shown = append(shown, n)
			continue
		}
		if s, ok := fields[k].(string); ok {
			parts, shown = append(parts, s), append(shown, s)
		}
	}
	fold := func(parts []string) string {
		parts = append(parts, escort, writer)
		return strings.ToLower(norm.NFKC.String(strings.Join(parts, " "))) + "  "
	}
	if len(numbers) == 0 {
		return fold(parts), ""
	}
	return fold(parts), fold(shown)
}

// Confirm records the second person's confirmation of an entry (上毛町 6(1)④ウ: 「2名以上で作業
// し、互いにその作業を確認」): someone who may write the entry and did not write it.
func (s *Service) Confirm(ctx context.Context, who access.Actor, id int64) (Entry, error) {
	var e Entry
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		lb, _, err := s.Logbook(ctx, who.OrgID, before.Logbook)
		if err != nil {
			return err
		}
		r := reachOf(who, lb)
		switch {
		case !r.canRead(before.DepartmentID):
			return apperr.New(apperr.NotFound, "error.not_found")
		case !r.canWrite(before.DepartmentID):
			return apperr.New(apperr.Forbidden, "error.forbidden")
		case before.SupersededBy != 0:
			return apperr.New(apperr.Conflict, "logbook.error.superseded")
		case before.Status != Pending:
			return apperr.New(apperr.Conflict, "logbook.error.not_pending")
		case sameWriter(who, before):
			return apperr.New(apperr.Forbidden, "logbook.error.self_confirm")
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE logbook_entries SET status = $1, confirmed_by_user_id = $2, confirmed_by = $3,
			confirmed_by_name = $4, confirmed_at = $5 WHERE id = $6 AND org_id = $7 AND status = $8`,
			Confirmed, store.NullID(who.UserID), login(who), who.Name, now, id, who.OrgID, Pending)
		if err != nil {
			return apperr.Wrap(err, "confirm entry")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "logbook.error.not_pending")
		}
		if e, err = get(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "logbook_entry", EntityID: id, Action: "logbook.confirm", Before: before, After: e})
		return err
	})
	return e, err
}

// Get returns one entry the actor may read; entries beyond the actor's reach are not found.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Entry, error) {
	e, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return e, err
	}
	lb, p, err := s.Logbook(ctx, who.OrgID, e.Logbook)
	if err != nil {
		return Entry{}, err
	}
	if !reachOf(who, lb).canRead(e.DepartmentID) {
		return Entry{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	list := []Entry{e}
	if err := s.screen(ctx, who, lb, p, list); err != nil {
		return Entry{}, err
	}
	return list[0], nil
}

const columns = `e.id, e.org_id, e.logbook, e.department_id, COALESCE(d.name, ''), e.occurred_at, e.fields_json, e.display_json,
	e.visitor, COALESCE(e.escort_staff_id, 0), COALESCE(st.name, ''), e.status, COALESCE(e.written_by_user_id, 0),
	COALESCE(e.written_by_staff_id, 0), e.written_by, e.written_by_name, e.created_at, COALESCE(e.confirmed_by_user_id, 0),
	e.confirmed_by, e.confirmed_by_name, e.confirmed_at, COALESCE(e.supersedes_id, 0), COALESCE(e.superseded_by_id, 0)`

const from = ` FROM logbook_entries e LEFT JOIN departments d ON d.id = e.department_id LEFT JOIN staff st ON st.id = e.escort_staff_id `

func scan(sc interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var fields, display string
	var confirmedAt sql.NullTime
	err := sc.Scan(&e.ID, &e.OrgID, &e.Logbook, &e.DepartmentID, &e.DepartmentName, &e.OccurredAt, &fields, &display,
		&e.Visitor, &e.EscortStaffID, &e.EscortName, &e.Status, &e.WrittenByUser, &e.WrittenByStaff, &e.WrittenBy, &e.WriterName,
		&e.CreatedAt, &e.ConfirmedUser, &e.ConfirmedBy, &e.ConfirmerName, &confirmedAt, &e.Supersedes, &e.SupersededBy)
	if err != nil {
		return e, err
	}
	e.OccurredAt, e.CreatedAt = e.OccurredAt.UTC(), e.CreatedAt.UTC()
	if confirmedAt.Valid {
		t := confirmedAt.Time.UTC()
		e.ConfirmedAt = &t
	}
	e.Fields, e.Display = map[string]any{}, map[string]string{}
	json.Unmarshal([]byte(fields), &e.Fields)
	json.Unmarshal([]byte(display), &e.Display)
	return e, nil
}

func get(ctx context.Context, q store.Querier, orgID, id int64) (Entry, error) {
	e, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+from+`WHERE e.id = $1 AND e.org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return e, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return e, apperr.Wrap(err, "logbook entry")
	}
	return e, nil
}
