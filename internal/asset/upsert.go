package asset

import (
	"context"
	"database/sql"
	"encoding/json"
	"iter"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

// Found is an asset of the register that an import names by its 管理番号, as the importer may
// use it: whole when Refusal is nil, otherwise no more than the actor may see of it.
type Found struct {
	Asset Asset
	// Refusal says why the actor may not change the asset, in words that disclose nothing
	// hidden: asset.error.number_taken for an asset they may not read,
	// asset.error.change_department for one of a department whose assets they may not change,
	// asset.error.change_restricted for one whose details are hidden from them.
	Refusal error
}

// ByNumbers finds the assets of the register with the given numbers (at most a few hundred at
// a time), each with whether the actor may change it by the rule Update applies.
func (s *Service) ByNumbers(ctx context.Context, who access.Actor, numbers []string) (map[string]Found, error) {
	out := map[string]Found{}
	if len(numbers) == 0 {
		return out, nil
	}
	top, err := s.topLevels(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	found, err := byNumbers(ctx, s.DB.SQL, who.OrgID, numbers)
	if err != nil {
		return nil, err
	}
	r := reachOf(who)
	for n, a := range found {
		out[n] = r.found(top, a)
	}
	return out, nil
}

// byNumbers reads the whole assets with the given numbers, by number.
func byNumbers(ctx context.Context, q store.Querier, orgID int64, numbers []string) (map[string]Asset, error) {
	out := map[string]Asset{}
	if len(numbers) == 0 {
		return out, nil
	}
	args := []any{orgID}
	marks := make([]string, len(numbers))
	for i, n := range numbers {
		args = append(args, n)
		marks[i] = "($" + strconv.Itoa(i+2) + ")"
	}
	// A join with a list of values, which both engines answer from the (org_id, number) index.
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM (VALUES `+strings.Join(marks, ", ")+`) AS v
		JOIN assets a ON a.org_id = $1 AND a.number = v.column1
		LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN staff m ON m.id = a.manager_staff_id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "assets by number")
	}
	var list []*Asset
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "assets by number")
		}
		list = append(list, &a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "assets by number")
	}
	if err := loadLevels(ctx, q, orgID, list); err != nil {
		return nil, err
	}
	for _, a := range list {
		out[a.Number] = *a
	}
	return out, nil
}

// found is an asset as ByNumbers gives it to the actor.
func (r reach) found(top topLevels, a Asset) Found {
	switch {
	case !r.readsAsset(a) && !r.writesAsset(a):
		return Found{Asset: Asset{Number: a.Number}, Refusal: apperr.InvalidField("number", "asset.error.number_taken", a.Number)}
	case !r.writesAsset(a):
		return Found{Asset: r.shown(top, a), Refusal: apperr.New(apperr.Forbidden, "asset.error.change_department", a.Number, a.DepartmentName)}
	case r.hides(top, a):
		return Found{Asset: redact(a), Refusal: apperr.New(apperr.Forbidden, "asset.error.change_restricted", a.Number)}
	}
	return Found{Asset: a}
}

// InputOf is what a user would enter to leave the asset as it is.
func InputOf(a Asset) Input {
	class := make(map[string]string, len(a.Class))
	for k, v := range a.Class {
		class[k] = v
	}
	attrs := make(map[string]any, len(a.Attrs))
	for k, v := range a.Attrs {
		attrs[k] = v
	}
	return Input{Number: a.Number, Name: a.Name, Kind: a.Kind, DepartmentID: a.DepartmentID, ManagerStaffID: a.ManagerStaffID,
		Segment: a.Segment, Zone: a.Zone, Class: class, Attrs: attrs, Location: a.Location, SystemRef: a.SystemRef,
		Quantity: a.Quantity, Copies: a.Copies, State: a.State, AcquiredOn: a.AcquiredOn, DisposedOn: a.DisposedOn, Note: a.Note}
}

// Missing returns the assets of the given departments that are not disposed of, whose numbers
// are not in seen, and that the actor may change: what an import of a whole register marks as
// disposed of when asked to (see UpsertMany). Assets the actor may not change are left out.
func (s *Service) Missing(ctx context.Context, who access.Actor, departments []int64, seen map[string]bool) ([]Asset, error) {
	top, err := s.topLevels(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	return missing(ctx, s.DB.SQL, who, top, departments, seen)
}

func missing(ctx context.Context, q store.Querier, who access.Actor, top topLevels, departments []int64, seen map[string]bool) ([]Asset, error) {
	r := reachOf(who)
	args := []any{who.OrgID}
	var marks []string
	for _, d := range departments {
		if r.canWrite(d, "") {
			args = append(args, d)
			marks = append(marks, "$"+strconv.Itoa(len(args)))
		}
	}
	if len(marks) == 0 {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, number FROM assets WHERE org_id = $1 AND state <> 'disposed'
		AND department_id IN (`+strings.Join(marks, ", ")+`) ORDER BY number`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "missing assets")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var number string
		if err := rows.Scan(&id, &number); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "missing assets")
		}
		if !seen[number] {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "missing assets")
	}
	var out []Asset
	for _, id := range ids {
		a, err := get(ctx, q, who.OrgID, id)
		if err != nil {
			return nil, err
		}
		if r.mayChange(top, a) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// Upsert is one row of UpsertMany: the asset with Number is registered or changed as Build says.
type Upsert struct {
	Number string
	// Build returns what to write, given the asset of the register with the number (nil when
	// there is none, else the whole asset, which the actor may change): write false leaves the
	// register as it is.
	Build func(current *Asset) (in Input, write bool, err error)
}

// DisposeMissing asks UpsertMany to mark as disposed of, on the day On (YYYY-MM-DD), the assets
// of Departments that neither a row nor Named names and that the actor may change (see
// Missing). Named holds the numbers of rows not written (rows found bad), which are not missing.
type DisposeMissing struct {
	Departments []int64
	Named       map[string]bool
	On          string
}

// Written counts what UpsertMany wrote; on failure Failed is the index of the row that failed
// (-1 when no row did: the marking of missing assets, or the sequence's own error).
type Written struct{ Created, Updated, Disposed, Failed int }

// upsertChunk is how many rows UpsertMany looks up in the register with one query.
const upsertChunk = 200

// UpsertMany registers new assets and changes existing ones in one transaction, each checked
// as Create or Update checks it and each with the same audit entry (asset.create, or
// asset.update with the asset before and after): all of them, or none when one fails. The
// rows' numbers must differ. An asset the actor may not change is refused as Update refuses it.
func (s *Service) UpsertMany(ctx context.Context, who access.Actor, rows iter.Seq2[Upsert, error], dispose *DisposeMissing) (Written, error) {
	w := Written{Failed: -1}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return w, err
	}
	top := topLevelsOf(p)
	r := reachOf(who)
	seen := map[string]bool{}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		b, err := s.newBatch(ctx, tx, who, p)
		if err != nil {
			return err
		}
		defer b.close()
		n := 0
		var chunk []Upsert
		write := func() error {
			numbers := make([]string, len(chunk))
			for i, row := range chunk {
				numbers[i] = row.Number
			}
			found, err := byNumbers(ctx, tx, who.OrgID, numbers)
			if err != nil {
				return err
			}
			for i, row := range chunk {
				w.Failed = n - len(chunk) + i
				var cur *Asset
				if a, ok := found[row.Number]; ok {
					cur = &a
					if err := r.mayChange(top, a); err != nil {
						return r.found(top, a).Refusal
					}
				}
				in, write, err := row.Build(cur)
				if err != nil {
					return err
				}
				if !write {
					continue
				}
				in.normalize()
				rank, err := in.validate(p)
				if err != nil {
					return err
				}
				if !r.writesInput(in) {
					return apperr.New(apperr.Forbidden, "error.forbidden")
				}
				if cur == nil {
					err = b.add(ctx, in, rank)
					w.Created++
				} else {
					err = b.update(ctx, *cur, in, rank)
					w.Updated++
				}
				if err != nil {
					return err
				}
			}
			w.Failed, chunk = -1, chunk[:0]
			return nil
		}
		for row, err := range rows {
			if err != nil {
				return err
			}
			if n++; n%1000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			seen[row.Number] = true
			if chunk = append(chunk, row); len(chunk) == upsertChunk {
				if err := write(); err != nil {
					return err
				}
			}
		}
		if err := write(); err != nil {
			return err
		}
		if dispose != nil {
			for n := range dispose.Named {
				seen[n] = true
			}
			list, err := missing(ctx, tx, who, top, dispose.Departments, seen)
			if err != nil {
				return err
			}
			for _, a := range list {
				in := InputOf(a)
				in.State, in.DisposedOn = "disposed", dispose.On
				in.normalize()
				rank, err := in.validate(p)
				if err != nil {
					return err
				}
				if err := b.update(ctx, a, in, rank); err != nil {
					return err
				}
				w.Disposed++
			}
		}
		if err := s.wrote(ctx, tx, who, p, b.written, nil); err != nil {
			return err
		}
		return b.finish(ctx)
	})
	return w, err
}

// update writes a validated change of an asset, its levels and its audit entry, as Update
// writes them.
func (b *batch) update(ctx context.Context, before Asset, in Input, top int) error {
	dept, err := b.name(ctx, b.departments, `SELECT name FROM departments WHERE id = $1 AND org_id = $2`, in.DepartmentID)
	if err != nil {
		return err
	}
	if dept == nil {
		return apperr.InvalidField("department_id", "org.error.department_missing")
	}
	if in.ManagerStaffID != 0 {
		m, err := b.name(ctx, b.staff, `SELECT name FROM staff WHERE id = $1 AND org_id = $2`, in.ManagerStaffID)
		if err != nil {
			return err
		}
		if m == nil {
			return apperr.InvalidField("manager_staff_id", "org.error.staff_missing")
		}
	}
	attrs, _ := json.Marshal(in.Attrs)
	_, err = b.tx.ExecContext(ctx, `UPDATE assets SET number = $1, name = $2, kind = $3, department_id = $4, manager_staff_id = $5,
		segment = $6, zone = $7, top_rank = $8, attrs_json = $9, location = $10, system_ref = $11, quantity = $12, copies = $13,
		state = $14, acquired_on = $15, disposed_on = $16, note = $17, updated_at = $18 WHERE id = $19 AND org_id = $20`,
		in.Number, in.Name, in.Kind, store.NullID(in.DepartmentID), store.NullID(in.ManagerStaffID), in.Segment, in.Zone, top, string(attrs),
		in.Location, in.SystemRef, in.Quantity, in.Copies, in.State, in.AcquiredOn, in.DisposedOn, in.Note, b.now, before.ID, b.who.OrgID)
	if store.IsUniqueViolation(err) {
		return apperr.InvalidField("number", "asset.error.number_taken", in.Number)
	}
	if err != nil {
		return apperr.Wrap(err, "update asset")
	}
	if err := writeLevels(ctx, b.tx, b.pack, b.who.OrgID, before.ID, in.Class); err != nil {
		return err
	}
	after, err := get(ctx, b.tx, b.who.OrgID, before.ID)
	if err != nil {
		return err
	}
	if err := b.append(ctx, before.ID, "asset.update", before, after); err != nil {
		return err
	}
	b.written = append(b.written, after)
	return nil
}
