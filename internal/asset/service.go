package asset

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Service keeps the register.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func (s *Service) pack(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	p, _, err := s.Policy.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	return p, err
}

// Create adds an asset to the register. Someone who may change no asset at all is refused
// before their input is looked at.
func (s *Service) Create(ctx context.Context, who access.Actor, in Input) (Asset, error) {
	if r := reachOf(who); !r.writeAll && len(r.write) == 0 {
		return Asset{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Asset{}, err
	}
	in.normalize()
	top, err := in.validate(p)
	if err != nil {
		return Asset{}, err
	}
	if !reachOf(who).canWrite(in.DepartmentID) {
		return Asset{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var a Asset
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = s.insert(ctx, tx, who, in, top)
		return err
	})
	return a, err
}

// insert writes a validated asset and its audit entry inside tx (imports call it per row).
func (s *Service) insert(ctx context.Context, tx *sql.Tx, who access.Actor, in Input, top int) (Asset, error) {
	if err := s.checkRefs(ctx, tx, who.OrgID, in); err != nil {
		return Asset{}, err
	}
	now := s.now()
	attrs, _ := json.Marshal(in.Attrs)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, manager_staff_id, segment, zone,
		top_rank, attrs_json, location, system_ref, quantity, copies, state, acquired_on, disposed_on, note, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		who.OrgID, in.Number, in.Name, in.Kind, nullID(in.DepartmentID), nullID(in.ManagerStaffID), in.Segment, in.Zone,
		top, string(attrs), in.Location, in.SystemRef, in.Quantity, in.Copies, in.State, in.AcquiredOn, in.DisposedOn, in.Note,
		now, now).Scan(&id)
	if store.IsUniqueViolation(err) {
		return Asset{}, apperr.InvalidField("number", "asset.error.number_taken", in.Number)
	}
	if err != nil {
		return Asset{}, apperr.Wrap(err, "insert asset")
	}
	if err := s.writeLevels(ctx, tx, who.OrgID, id, in.Class); err != nil {
		return Asset{}, err
	}
	a, err := get(ctx, tx, who.OrgID, id)
	if err != nil {
		return Asset{}, err
	}
	_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "asset", EntityID: id, Action: "asset.create", After: a})
	return a, err
}

func (s *Service) writeLevels(ctx context.Context, tx *sql.Tx, orgID, id int64, class map[string]string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM asset_levels WHERE asset_id = $1`, id); err != nil {
		return apperr.Wrap(err, "asset levels")
	}
	p, _, err := s.Policy.Active(ctx, orgID)
	if err != nil {
		return err
	}
	for axisID, level := range class {
		axis, _ := p.Axis(axisID)
		rank := 0
		for _, l := range axis.Levels {
			if l.ID == level {
				rank = l.Rank
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO asset_levels (asset_id, org_id, axis, level, rank) VALUES ($1, $2, $3, $4, $5)`,
			id, orgID, axisID, level, rank); err != nil {
			return apperr.Wrap(err, "asset levels")
		}
	}
	return nil
}

// checkRefs makes sure the department and manager belong to the organisation.
func (s *Service) checkRefs(ctx context.Context, tx *sql.Tx, orgID int64, in Input) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = $1 AND org_id = $2`, in.DepartmentID, orgID).Scan(&n); err != nil {
		return apperr.Wrap(err, "department check")
	}
	if n == 0 {
		return apperr.InvalidField("department_id", "org.error.department_missing")
	}
	if in.ManagerStaffID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE id = $1 AND org_id = $2`, in.ManagerStaffID, orgID).Scan(&n); err != nil {
			return apperr.Wrap(err, "staff check")
		}
		if n == 0 {
			return apperr.InvalidField("manager_staff_id", "org.error.staff_missing")
		}
	}
	return nil
}

// Update changes an asset. Moving it to another department needs the right to change assets of
// both.
func (s *Service) Update(ctx context.Context, who access.Actor, id int64, in Input) (Asset, error) {
	r := reachOf(who)
	current, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Asset{}, err
	}
	if !r.canWrite(current.DepartmentID) {
		if !r.canRead(current.DepartmentID) {
			return Asset{}, apperr.New(apperr.NotFound, "error.not_found")
		}
		return Asset{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Asset{}, err
	}
	in.normalize()
	top, err := in.validate(p)
	if err != nil {
		return Asset{}, err
	}
	var a Asset
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if !r.canWrite(before.DepartmentID) || !r.canWrite(in.DepartmentID) {
			if !r.canRead(before.DepartmentID) {
				return apperr.New(apperr.NotFound, "error.not_found")
			}
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		if err := s.checkRefs(ctx, tx, who.OrgID, in); err != nil {
			return err
		}
		now := s.now()
		attrs, _ := json.Marshal(in.Attrs)
		_, err = tx.ExecContext(ctx, `UPDATE assets SET number = $1, name = $2, kind = $3, department_id = $4, manager_staff_id = $5,
			segment = $6, zone = $7, top_rank = $8, attrs_json = $9, location = $10, system_ref = $11, quantity = $12, copies = $13,
			state = $14, acquired_on = $15, disposed_on = $16, note = $17, updated_at = $18 WHERE id = $19 AND org_id = $20`,
			in.Number, in.Name, in.Kind, nullID(in.DepartmentID), nullID(in.ManagerStaffID), in.Segment, in.Zone, top, string(attrs),
			in.Location, in.SystemRef, in.Quantity, in.Copies, in.State, in.AcquiredOn, in.DisposedOn, in.Note, now, id, who.OrgID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("number", "asset.error.number_taken", in.Number)
		}
		if err != nil {
			return apperr.Wrap(err, "update asset")
		}
		if err := s.writeLevels(ctx, tx, who.OrgID, id, in.Class); err != nil {
			return err
		}
		if a, err = get(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "asset", EntityID: id, Action: "asset.update", Before: before, After: a})
		return err
	})
	return a, err
}

// Delete removes an asset entered by mistake; an asset that existed is disposed of (state
// disposed) instead, so its history stays in the register. The audit log keeps what was deleted.
func (s *Service) Delete(ctx context.Context, who access.Actor, id int64) error {
	r := reachOf(who)
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if !r.canWrite(before.DepartmentID) {
			if !r.canRead(before.DepartmentID) {
				return apperr.New(apperr.NotFound, "error.not_found")
			}
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_levels WHERE asset_id = $1`, id); err != nil {
			return apperr.Wrap(err, "delete asset levels")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assets WHERE id = $1 AND org_id = $2`, id, who.OrgID); err != nil {
			return apperr.Wrap(err, "delete asset")
		}
		_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "asset", EntityID: id, Action: "asset.delete", Before: before})
		return err
	})
}

// Get returns one asset the actor may read; assets of departments beyond the actor's reach are
// not found, so their existence is not disclosed.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Asset, error) {
	a, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return a, err
	}
	if !reachOf(who).canRead(a.DepartmentID) {
		return Asset{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return a, nil
}

// CanRead reports whether the actor may read assets of the department.
func CanRead(who access.Actor, departmentID int64) bool { return reachOf(who).canRead(departmentID) }

// CanChange reports whether the actor may change an asset of the department.
func CanChange(who access.Actor, departmentID int64) bool { return reachOf(who).canWrite(departmentID) }

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const columns = `a.id, a.org_id, a.number, a.name, a.kind, COALESCE(a.department_id, 0), COALESCE(d.name, ''),
	COALESCE(a.manager_staff_id, 0), COALESCE(m.name, ''), a.segment, a.zone, a.top_rank, a.attrs_json, a.location,
	a.system_ref, a.quantity, a.copies, a.state, a.acquired_on, a.disposed_on, a.note, a.created_at, a.updated_at`

const from = ` FROM assets a LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN staff m ON m.id = a.manager_staff_id `

func scan(sc interface{ Scan(...any) error }) (Asset, error) {
	var a Asset
	var attrs string
	err := sc.Scan(&a.ID, &a.OrgID, &a.Number, &a.Name, &a.Kind, &a.DepartmentID, &a.DepartmentName, &a.ManagerStaffID,
		&a.ManagerName, &a.Segment, &a.Zone, &a.TopRank, &attrs, &a.Location, &a.SystemRef, &a.Quantity, &a.Copies, &a.State,
		&a.AcquiredOn, &a.DisposedOn, &a.Note, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return a, err
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.Attrs = map[string]any{}
	json.Unmarshal([]byte(attrs), &a.Attrs)
	a.Class = map[string]string{}
	return a, nil
}

func get(ctx context.Context, q querier, orgID, id int64) (Asset, error) {
	a, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+from+`WHERE a.id = $1 AND a.org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return a, apperr.Wrap(err, "asset")
	}
	if err := loadLevels(ctx, q, orgID, []*Asset{&a}); err != nil {
		return a, err
	}
	return a, nil
}

// loadLevels fills the classification of the given assets.
func loadLevels(ctx context.Context, q querier, orgID int64, list []*Asset) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*Asset{}
	ids := make([]any, 0, len(list)+1)
	ids = append(ids, orgID)
	in := ""
	for i, a := range list {
		byID[a.ID] = a
		ids = append(ids, a.ID)
		if i > 0 {
			in += ", "
		}
		in += "$" + itoa(i+2)
	}
	rows, err := q.QueryContext(ctx, `SELECT asset_id, axis, level FROM asset_levels WHERE org_id = $1 AND asset_id IN (`+in+`)`, ids...)
	if err != nil {
		return apperr.Wrap(err, "asset levels")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var axis, level string
		if err := rows.Scan(&id, &axis, &level); err != nil {
			return apperr.Wrap(err, "asset levels")
		}
		byID[id].Class[axis] = level
	}
	return rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
