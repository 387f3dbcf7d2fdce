package asset

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Sight is what one actor may see of the register, for services that show assets they keep
// themselves — a request's frozen subject assets, a logbook entry's reference, an audit entry —
// so that each applies the register's rule (reach) and not a copy of it.
type Sight struct {
	r   reach
	top topLevels
}

// SightOf returns the actor's sight of the register under the organisation's pack (nil: no
// pack, so no asset is of the highest class).
func SightOf(who access.Actor, p *policy.Compiled) Sight {
	return Sight{r: reachOf(who), top: topLevelsOf(p)}
}

// Sight returns the actor's sight of their organisation's register.
func (s *Service) Sight(ctx context.Context, who access.Actor) (Sight, error) {
	top, err := s.topLevels(ctx, who.OrgID)
	if err != nil {
		return Sight{}, err
	}
	return Sight{r: reachOf(who), top: top}, nil
}

// SeesAll reports whether the actor sees the details of every asset they can read and reads
// every asset: nothing need be looked up to screen for them.
func (v Sight) SeesAll() bool { return v.r.readAll && !v.HidesSome() }

// HidesSome reports whether the details of some asset of the organisation may be hidden from
// the actor. A service that keeps copies of assets shows them to people beyond the register's
// reach — the security manager of an applicant's department reads a request about another
// department's asset — so this asks of every department, not only of those the actor reads:
// only those who see every asset's details (detailAll) are spared the look-up.
func (v Sight) HidesSome() bool { return !v.r.detailAll && len(v.top) > 0 }

// Reads reports whether the actor may read the asset at all, by its department or its system
// (an asset as Current gives it carries both).
func (v Sight) Reads(a Asset) bool { return v.r.readsAsset(a) }

// Hides reports whether the details of the asset — as it is, or as some record kept it — are
// not for the actor: it is of the highest class, outside the departments whose details they
// see. A record that kept neither department nor class hides nothing.
func (v Sight) Hides(a Asset) bool {
	if a.DepartmentID == 0 && len(a.Class) == 0 {
		return false
	}
	return v.r.hides(v.top, a)
}

// Shown is the asset as the actor may see it: whole, or reduced to its number, kind, class,
// department and state when its details are hidden (Hides).
func (v Sight) Shown(a Asset) Asset {
	if v.Hides(a) {
		return redact(a)
	}
	return a
}

// Redacted is what everyone who may know of an asset may see of it: its number, kind, class,
// department and state, marked restricted.
func Redacted(a Asset) Asset { return redact(a) }

// Current reads the department, system and classification of the given assets as they are now, for a
// service that screens what it keeps of them (Sight.Hides); an asset no longer in the register
// is missing from the map.
func Current(ctx context.Context, q Querier, orgID int64, ids []int64) (map[int64]Asset, error) {
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	return current(ctx, q, orgID, "a.id", vals)
}

// CurrentNumbered is Current for assets a record names by their 管理番号 (an exception's
// assets field), by number.
func CurrentNumbered(ctx context.Context, q Querier, orgID int64, numbers []string) (map[string]Asset, error) {
	vals := make([]any, len(numbers))
	for i, n := range numbers {
		vals[i] = n
	}
	byID, err := current(ctx, q, orgID, "a.number", vals)
	out := make(map[string]Asset, len(byID))
	for _, a := range byID {
		out[a.Number] = a
	}
	return out, err
}

// current reads the assets whose column (a.id or a.number) is one of vals.
func current(ctx context.Context, q Querier, orgID int64, col string, vals []any) (map[int64]Asset, error) {
	out := map[int64]Asset{}
	seen := map[any]bool{}
	args := []any{orgID}
	in := ""
	for _, v := range vals {
		if seen[v] {
			continue
		}
		seen[v] = true
		if len(args) > 1 {
			in += ", "
		}
		args = append(args, v)
		in += "$" + strconv.Itoa(len(args))
	}
	if len(args) == 1 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.number, a.kind, a.system_ref, COALESCE(a.department_id, 0), l.axis, l.level FROM assets a
		LEFT JOIN asset_levels l ON l.asset_id = a.id WHERE a.org_id = $1 AND `+col+` IN (`+in+`)`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "assets now")
	}
	defer rows.Close()
	for rows.Next() {
		var id, dept int64
		var number, kind, system string
		var axis, level *string
		if err := rows.Scan(&id, &number, &kind, &system, &dept, &axis, &level); err != nil {
			return nil, apperr.Wrap(err, "assets now")
		}
		a, ok := out[id]
		if !ok {
			a = Asset{ID: id, OrgID: orgID, Number: number, Kind: kind, SystemRef: system, DepartmentID: dept, Class: map[string]string{}}
		}
		if axis != nil && level != nil {
			a.Class[*axis] = *level
		}
		out[id] = a
	}
	return out, rows.Err()
}

// Querier reads: a database or a transaction.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// HiddenCond is an SQL condition that holds for the assets whose details the actor may not see,
// given the column that holds an asset's id ("" when no asset's details are hidden from them).
// arg adds an argument to the caller's query and returns its placeholder. A query that chooses
// or orders records by what it knows of their assets (a rule, a severity) uses it to leave the
// hidden ones out of the choice, or the choice would tell what is hidden.
func (v Sight) HiddenCond(idCol string, arg func(any) string) string {
	if !v.HidesSome() {
		return ""
	}
	var levels []string
	for _, axis := range v.top.axes() {
		ids := make([]string, len(v.top[axis]))
		for i, id := range v.top[axis] {
			ids[i] = arg(id)
		}
		levels = append(levels, "(h.axis = "+arg(axis)+" AND h.level IN ("+strings.Join(ids, ", ")+"))")
	}
	cond := "EXISTS (SELECT 1 FROM assets ha JOIN asset_levels h ON h.asset_id = ha.id WHERE ha.id = " + idCol +
		" AND (" + strings.Join(levels, " OR ") + ")"
	cond += outside("ha", v.r.detailDepartments(), v.r.detailSystems(), arg)
	return cond + ")"
}

// outside is the SQL condition, " AND …", that the asset under the alias is of none of the
// departments and none of the systems ("" when both are empty). arg adds an argument to the
// caller's query and returns its placeholder.
func outside(alias string, depts []int64, systems []string, arg func(any) string) string {
	cond := ""
	if len(depts) > 0 {
		sort.Slice(depts, func(i, j int) bool { return depts[i] < depts[j] })
		in := make([]string, len(depts))
		for i, d := range depts {
			in[i] = arg(d)
		}
		cond += " AND COALESCE(" + alias + ".department_id, 0) NOT IN (" + strings.Join(in, ", ") + ")"
	}
	if len(systems) > 0 {
		in := make([]string, len(systems))
		for i, n := range systems {
			in[i] = arg(n)
		}
		cond += " AND " + systemExpr(alias) + " NOT IN (" + strings.Join(in, ", ") + ")"
	}
	return cond
}

// Withholds reports whether a record that keeps a copy of an asset's details — a logbook entry
// that names it, as it was written — shows them to the actor by number only: the asset as it
// is now (known: the register still has it) is of a department the actor may not read, or its
// details are hidden from them (Hides); an asset the register no longer has is withheld from
// everyone from whom some details are hidden, since whether it was of the highest class cannot
// be told. WithheldCond is the same rule as an SQL condition.
func (v Sight) Withholds(now Asset, known bool) bool {
	if !known {
		return v.HidesSome()
	}
	return !v.Reads(now) || v.Hides(now)
}

// WithheldCond is Withholds as an SQL condition on the column or expression that holds an
// asset's id ("" when nothing is withheld from the actor: SeesAll); an id that is NULL names no
// asset and withholds nothing. arg adds an argument to the caller's query and returns its
// placeholder. A search of copies uses it so that a word is not found in the details it
// withholds, or the finding would tell them.
func (v Sight) WithheldCond(idCol string, arg func(any) string) string {
	if v.SeesAll() {
		return ""
	}
	var conds []string
	if v.HidesSome() {
		conds = append(conds, "("+idCol+" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assets wa WHERE wa.id = "+idCol+"))")
	}
	if depts := v.r.departments(); depts != nil {
		cond := "EXISTS (SELECT 1 FROM assets wa WHERE wa.id = " + idCol + outside("wa", depts, v.r.systems(), arg)
		conds = append(conds, cond+")")
	}
	if hidden := v.HiddenCond(idCol, arg); hidden != "" {
		conds = append(conds, hidden)
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}
