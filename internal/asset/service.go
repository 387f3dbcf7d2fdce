package asset

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
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
	writeHooks
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// topLevels reads the highest levels of the organisation's pack; without a pack no asset is of
// the highest class.
func (s *Service) topLevels(ctx context.Context, orgID int64) (topLevels, error) {
	p, _, err := s.Policy.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return topLevels{}, nil
	}
	if err != nil {
		return nil, err
	}
	return topLevelsOf(p), nil
}

// Create adds an asset to the register. Someone who may change no asset at all is refused
// before their input is looked at.
func (s *Service) Create(ctx context.Context, who access.Actor, in Input) (Asset, error) {
	if !s.MayCreate(who) {
		return Asset{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Asset{}, err
	}
	in.normalize()
	top, err := in.validate(p)
	if err != nil {
		return Asset{}, err
	}
	if !reachOf(who).writesInput(in) {
		return Asset{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var a Asset
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if a, err = s.insert(ctx, tx, who, p, in, top); err != nil {
			return err
		}
		return s.wrote(ctx, tx, who, p, []Asset{a}, nil)
	})
	return reachOf(who).shown(topLevelsOf(p), a), err
}

// insert writes a validated asset and its audit entry inside tx (imports call it per row).
func (s *Service) insert(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, in Input, top int) (Asset, error) {
	if err := s.checkRefs(ctx, tx, who.OrgID, in); err != nil {
		return Asset{}, err
	}
	now := s.now()
	attrs, _ := json.Marshal(in.Attrs)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, manager_staff_id, segment, zone,
		top_rank, attrs_json, location, system_ref, quantity, copies, state, acquired_on, disposed_on, note, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		who.OrgID, in.Number, in.Name, in.Kind, store.NullID(in.DepartmentID), store.NullID(in.ManagerStaffID), in.Segment, in.Zone,
		top, string(attrs), in.Location, in.SystemRef, in.Quantity, in.Copies, in.State, in.AcquiredOn, in.DisposedOn, in.Note,
		now, now).Scan(&id)
	if store.IsUniqueViolation(err) {
		return Asset{}, apperr.InvalidField("number", "asset.error.number_taken", in.Number)
	}
	if err != nil {
		return Asset{}, apperr.Wrap(err, "insert asset")
	}
	if err := writeLevels(ctx, tx, p, who.OrgID, id, in.Class); err != nil {
		return Asset{}, err
	}
	a, err := get(ctx, tx, who.OrgID, id)
	if err != nil {
		return Asset{}, err
	}
	_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "asset", EntityID: id, Action: "asset.create", After: a})
	return a, err
}

// writeLevels writes an asset's classification, ranked by the pack it was validated against.
func writeLevels(ctx context.Context, tx *sql.Tx, p *policy.Compiled, orgID, id int64, class map[string]string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM asset_levels WHERE asset_id = $1`, id); err != nil {
		return apperr.Wrap(err, "asset levels")
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
// both; an asset whose details the actor may not see is not theirs to change.
func (s *Service) Update(ctx context.Context, who access.Actor, id int64, in Input) (Asset, error) {
	r := reachOf(who)
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Asset{}, err
	}
	top := topLevelsOf(p)
	current, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Asset{}, err
	}
	if err := r.mayChange(top, current); err != nil {
		return Asset{}, err
	}
	in.normalize()
	rank, err := in.validate(p)
	if err != nil {
		return Asset{}, err
	}
	var a Asset
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if err := r.mayChange(top, before); err != nil {
			return err
		}
		if !r.writesInput(in) {
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
			in.Number, in.Name, in.Kind, store.NullID(in.DepartmentID), store.NullID(in.ManagerStaffID), in.Segment, in.Zone, rank, string(attrs),
			in.Location, in.SystemRef, in.Quantity, in.Copies, in.State, in.AcquiredOn, in.DisposedOn, in.Note, now, id, who.OrgID)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("number", "asset.error.number_taken", in.Number)
		}
		if err != nil {
			return apperr.Wrap(err, "update asset")
		}
		if err := writeLevels(ctx, tx, p, who.OrgID, id, in.Class); err != nil {
			return err
		}
		if a, err = get(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		if _, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "asset", EntityID: id, Action: "asset.update", Before: before, After: a}); err != nil {
			return err
		}
		return s.wrote(ctx, tx, who, p, []Asset{a}, nil)
	})
	return r.shown(top, a), err
}

// mayChange refuses a change of an asset the actor may not change: not found when they may not
// read it either, so that its existence is not disclosed, forbidden otherwise.
func (r reach) mayChange(top topLevels, a Asset) error {
	switch {
	case !r.readsAsset(a) && !r.writesAsset(a):
		return apperr.New(apperr.NotFound, "error.not_found")
	case !r.writesAsset(a) || r.hides(top, a):
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return nil
}

// Delete removes an asset entered by mistake; an asset that existed is disposed of (state
// disposed) instead, so its history stays in the register. The audit log keeps what was deleted.
func (s *Service) Delete(ctx context.Context, who access.Actor, id int64) error {
	r := reachOf(who)
	top, err := s.topLevels(ctx, who.OrgID)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if err := r.mayChange(top, before); err != nil {
			return err
		}
		if err := referenced(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_levels WHERE asset_id = $1`, id); err != nil {
			return apperr.Wrap(err, "delete asset levels")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assets WHERE id = $1 AND org_id = $2`, id, who.OrgID); err != nil {
			if store.IsForeignKeyViolation(err) { // a reference written since the check above
				return apperr.New(apperr.Conflict, "asset.error.referenced")
			}
			return apperr.Wrap(err, "delete asset")
		}
		if _, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: "asset", EntityID: id, Action: "asset.delete", Before: before}); err != nil {
			return err
		}
		return s.wrote(ctx, tx, who, nil, nil, []int64{id})
	})
}

// Get returns one asset the actor may read, restricted when its details are not for them;
// assets of departments beyond the actor's reach are not found, so their existence is not
// disclosed.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Asset, error) {
	a, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Asset{}, err
	}
	r := reachOf(who)
	if !r.readsAsset(a) {
		return Asset{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	top, err := s.topLevels(ctx, who.OrgID)
	if err != nil {
		return Asset{}, err
	}
	return r.shown(top, a), nil
}

// MayCreate reports whether the actor may register an asset in some department: the
// department's or the organisation's security roles and platform administrators may. Create
// refuses anyone else before reading what they sent.
func (s *Service) MayCreate(who access.Actor) bool {
	return reachOf(who).writesSomething()
}

// CanRead reports whether the actor may read every asset of the department, whatever its
// system. An asset's own rule is CanReadAsset.
func CanRead(who access.Actor, departmentID int64) bool {
	return reachOf(who).canRead(departmentID, "")
}

// CanReadAsset reports whether the actor may read the asset: by its department, or by the
// information system it belongs to (SystemOf).
func CanReadAsset(who access.Actor, a Asset) bool { return reachOf(who).readsAsset(a) }

// CanChange reports whether the actor may change every asset of the department, whatever its
// system.
func CanChange(who access.Actor, departmentID int64) bool {
	return reachOf(who).canWrite(departmentID, "")
}

// ChangesSystems reports whether the actor may change the assets of some information system by
// the role they hold for it, in whichever department those assets are: a form offers them every
// department, and the register checks the system of what they enter.
func ChangesSystems(who access.Actor) bool {
	r := reachOf(who)
	return !r.writeAll && len(r.writeSys) > 0
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
	a.Attrs = DecodeAttrs(attrs)
	a.Class = map[string]string{}
	return a, nil
}

func get(ctx context.Context, q store.Querier, orgID, id int64) (Asset, error) {
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
func loadLevels(ctx context.Context, q store.Querier, orgID int64, list []*Asset) error {
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

// DecodeAttrs reads stored attributes; whole numbers come back as int64, as validate stores
// them, not as JSON's float64. Whatever reads an asset's attrs_json reads it with this, so a
// rule check and the register see the same values.
func DecodeAttrs(s string) map[string]any {
	out := map[string]any{}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if dec.Decode(&out) != nil {
		return map[string]any{}
	}
	for k, v := range out {
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				out[k] = i
			} else if f, err := n.Float64(); err == nil {
				out[k] = f
			}
		}
	}
	return out
}
