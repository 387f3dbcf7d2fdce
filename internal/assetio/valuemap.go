package assetio

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Value mapping: a ledger writes its own words in some columns — 機密性 1/2/3 where the pack
// has 重要性分類 I–IV, 総務係 where the organisation has 総務課, PC where the register says
// 端末. The mapping step lets the user say, for each distinct value of such a column, which
// value of the pack or the organisation it means; the organisation's choices are remembered
// for its next import, as the header mapping is. A value nobody mapped is read as before, and
// is a row error when it matches nothing.

// valueField reports whether a column of the field may have its values mapped: the kind, the
// department by name, and each classification axis.
func valueField(field string) bool {
	return field == "kind" || field == "department" || strings.HasPrefix(field, "class.")
}

// Choice is a value a column's cell may be mapped to: a kind id, a level id or a department
// code, with its label.
type Choice struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// ValueColumn is a column whose values may be mapped, with its distinct values (at most
// maxDistinct; none when it has more).
type ValueColumn struct {
	Column int          `json:"column"`
	Header string       `json:"header"`
	Field  string       `json:"field"`
	Values []ValueGuess `json:"values"`
}

// ValueGuess is one distinct value of a column: what it is read as without a mapping (Auto, ""
// when it matches nothing) and what the organisation mapped it to (Mapped, "" for none).
type ValueGuess struct {
	Value  string `json:"value"`
	Auto   string `json:"auto"`
	Mapped string `json:"mapped"`
}

// maxDistinct is how many distinct values of a column the mapping step offers to map.
const maxDistinct = 60

// ValueChoices returns, for each field whose values may be mapped, what they may be mapped to.
func (im *Importer) ValueChoices(ctx context.Context, orgID int64) (map[string][]Choice, error) {
	p, _, err := im.Assets.Policy.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return nil, err
	}
	dir, err := loadDirectory(ctx, im.DB, orgID)
	if err != nil {
		return nil, err
	}
	return valueChoices(p, dir), nil
}

func valueChoices(p *policy.Compiled, dir *directory) map[string][]Choice {
	out := map[string][]Choice{}
	for _, k := range policy.AssetKinds {
		out["kind"] = append(out["kind"], Choice{ID: k, Label: kindLabel(k)})
	}
	for _, a := range p.Classification.Axes {
		for _, l := range a.Levels {
			out["class."+a.ID] = append(out["class."+a.ID], Choice{ID: l.ID, Label: l.ID + " " + l.Name})
		}
	}
	for _, d := range dir.depts {
		out["department"] = append(out["department"], Choice{ID: d.code, Label: d.name + "（" + d.code + "）"})
	}
	return out
}

// valueTargets checks a mapping of values against the pack and the organisation and returns it
// by folded value: field → folded cell → target.
func valueTargets(p *policy.Compiled, dir *directory, values map[string]map[string]string) (map[string]map[string]string, error) {
	choices := valueChoices(p, dir)
	out := map[string]map[string]string{}
	for field, m := range values {
		for value, target := range m {
			target = strings.TrimSpace(target)
			if target == "" || fold(value) == "" {
				continue
			}
			ok := false
			for _, c := range choices[field] {
				ok = ok || c.ID == target
			}
			if !valueField(field) || !ok {
				return nil, apperr.InvalidField("values", "import.error.value_target", value, target)
			}
			if out[field] == nil {
				out[field] = map[string]string{}
			}
			out[field][fold(value)] = target
		}
	}
	return out, nil
}

// auto is what a cell of a value field is read as without a mapping, or "".
func (pl *plan) auto(field, v string) string {
	switch {
	case field == "kind":
		id, _ := parseKind(v)
		return id
	case field == "department":
		if id, key := pl.dir.department(v, false); key == "" {
			return pl.dir.deptCode[id]
		}
		return ""
	}
	axis := strings.TrimPrefix(field, "class.")
	if id := pl.words.level(axis, v); id != "" {
		if a, ok := pl.pack.Axis(axis); ok {
			for _, l := range a.Levels {
				if l.ID == id {
					return id
				}
			}
		}
	}
	return ""
}

// collector gathers, while rows are read, three sample values of every column and the distinct
// values of the columns whose values may be mapped.
type collector struct {
	samples  [][]string
	distinct map[int][]string
	seen     map[int]map[string]bool
	over     map[int]bool
}

func newCollector(width int) *collector {
	return &collector{samples: make([][]string, width), distinct: map[int][]string{}, seen: map[int]map[string]bool{}, over: map[int]bool{}}
}

func (c *collector) add(pl *plan, cells []string) {
	for i := range min(len(cells), len(c.samples)) {
		v := strings.TrimSpace(unneutralize(cells[i]))
		if v == "" {
			continue
		}
		if s := c.samples[i]; len(s) < 3 && !contains(s, v) {
			c.samples[i] = append(s, v)
		}
		if i >= len(pl.fields) || !valueField(pl.fields[i]) || c.over[i] {
			continue
		}
		if c.seen[i] == nil {
			c.seen[i] = map[string]bool{}
		}
		if k := fold(v); !c.seen[i][k] {
			if len(c.distinct[i]) >= maxDistinct {
				c.over[i], c.distinct[i] = true, nil
				continue
			}
			c.seen[i][k] = true
			c.distinct[i] = append(c.distinct[i], v)
		}
	}
}

// report writes what was gathered into the report.
func (c *collector) report(pl *plan, rep *Report) {
	rep.Samples = c.samples
	rep.ValueColumns = []ValueColumn{}
	for i, f := range pl.fields {
		if !valueField(f) || c.over[i] {
			continue
		}
		vc := ValueColumn{Column: i, Header: strings.TrimSpace(pl.headers[i]), Field: f, Values: []ValueGuess{}}
		for _, v := range c.distinct[i] {
			vc.Values = append(vc.Values, ValueGuess{Value: v, Auto: pl.auto(f, v), Mapped: pl.values[f][fold(v)]})
		}
		rep.ValueColumns = append(rep.ValueColumns, vc)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rememberedValues returns the organisation's value mappings of earlier imports: field →
// folded value → target.
func rememberedValues(ctx context.Context, db *store.DB, orgID int64) (map[string]map[string]string, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT field, value, target FROM import_value_mappings WHERE org_id = $1 AND kind = $2`, orgID, mappingKind)
	if err != nil {
		return nil, apperr.Wrap(err, "import value mappings")
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var f, v, t string
		if err := rows.Scan(&f, &v, &t); err != nil {
			return nil, apperr.Wrap(err, "import value mappings")
		}
		if out[f] == nil {
			out[f] = map[string]string{}
		}
		out[f][v] = t
	}
	return out, rows.Err()
}

// rememberValues keeps the user's value mapping of an applied import for the organisation's
// next one: a value mapped to "" is forgotten.
func rememberValues(ctx context.Context, db *store.DB, orgID int64, values map[string]map[string]string, now time.Time) error {
	return db.InTx(ctx, func(tx *sql.Tx) error {
		for field, m := range values {
			for value, target := range m {
				value, target = fold(value), strings.TrimSpace(target)
				if value == "" {
					continue
				}
				if target == "" {
					if _, err := tx.ExecContext(ctx, `DELETE FROM import_value_mappings WHERE org_id = $1 AND kind = $2 AND field = $3 AND value = $4`,
						orgID, mappingKind, field, value); err != nil {
						return apperr.Wrap(err, "forget import value mapping")
					}
					continue
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO import_value_mappings (org_id, kind, field, value, target, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6)
					ON CONFLICT (org_id, kind, field, value) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at`,
					orgID, mappingKind, field, value, target, now)
				if err != nil {
					return apperr.Wrap(err, "remember import value mapping")
				}
			}
		}
		return nil
	})
}

// planValues is the value mapping of one import: the organisation's remembered one, as far as
// its targets still exist, with the user's choices over it (an empty choice sets a remembered
// value aside).
func planValues(p *policy.Compiled, dir *directory, remembered, chosen, rawChosen map[string]map[string]string) map[string]map[string]string {
	choices := valueChoices(p, dir)
	out := map[string]map[string]string{}
	for f, m := range remembered {
		out[f] = map[string]string{}
		for k, v := range m {
			for _, c := range choices[f] {
				if c.ID == v {
					out[f][k] = v
				}
			}
		}
	}
	for f, m := range rawChosen {
		for v, target := range m {
			if strings.TrimSpace(target) == "" && out[f] != nil {
				delete(out[f], fold(v))
			}
		}
	}
	for f, m := range chosen {
		if out[f] == nil {
			out[f] = map[string]string{}
		}
		for k, v := range m {
			out[f][k] = v
		}
	}
	return out
}
