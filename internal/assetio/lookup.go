package assetio

import (
	"context"
	"strings"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// directory finds departments and staff by what a sheet writes for them: a code or a name.
type directory struct {
	deptByCode  map[string]int64
	deptByName  map[string][]int64
	deptName    map[int64]string
	deptCode    map[int64]string
	depts       []dept // in the order of their ids
	staffByNo   map[string]int64
	staffByName map[string][]int64 // by nameKey
	staffName   map[int64]string
}

func loadDirectory(ctx context.Context, db *store.DB, orgID int64) (*directory, error) {
	d := &directory{deptByCode: map[string]int64{}, deptByName: map[string][]int64{}, deptName: map[int64]string{}, deptCode: map[int64]string{},
		staffByNo: map[string]int64{}, staffByName: map[string][]int64{}, staffName: map[int64]string{}}
	rows, err := db.SQL.QueryContext(ctx, `SELECT id, code, name FROM departments WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	for rows.Next() {
		var id int64
		var code, name string
		if err := rows.Scan(&id, &code, &name); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "departments")
		}
		d.deptByCode[fold(code)] = id
		d.deptByName[fold(name)] = append(d.deptByName[fold(name)], id)
		d.deptName[id], d.deptCode[id] = name, code
		d.depts = append(d.depts, dept{id, code, name})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	rows, err = db.SQL.QueryContext(ctx, `SELECT id, employee_no, name FROM staff WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "staff")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var no, name string
		if err := rows.Scan(&id, &no, &name); err != nil {
			return nil, apperr.Wrap(err, "staff")
		}
		d.staffByNo[fold(no)] = id
		d.staffByName[nameKey(name)] = append(d.staffByName[nameKey(name)], id)
		d.staffName[id] = name
	}
	return d, rows.Err()
}

type dept struct {
	id         int64
	code, name string
}

// anyChangeable reports whether the actor may register assets of any department.
func (d *directory) anyChangeable(who access.Actor) bool {
	for id := range d.deptName {
		if asset.CanChange(who, id) {
			return true
		}
	}
	return false
}

// department finds a department by its code or its name; a name two departments share must be
// given as a code.
func (d *directory) department(v string, codeOnly bool) (int64, string) {
	k := fold(v)
	if id, ok := d.deptByCode[k]; ok {
		return id, ""
	}
	if !codeOnly {
		switch ids := d.deptByName[k]; len(ids) {
		case 1:
			return ids[0], ""
		case 0:
		default:
			return 0, "import.error.department_ambiguous"
		}
	}
	return 0, "import.error.department"
}

// manager finds a staff member by employee number or name, the name compared by nameKey.
func (d *directory) manager(v string) (int64, string) {
	if id, ok := d.staffByNo[fold(v)]; ok {
		return id, ""
	}
	switch ids := d.staffByName[nameKey(v)]; len(ids) {
	case 1:
		return ids[0], ""
	case 0:
		return 0, "import.error.manager"
	default:
		return 0, "import.error.manager_ambiguous"
	}
}

// packWords find a pack's levels, segments and zones by their ids or their names.
type packWords struct {
	levels   map[string]map[string]string // axis id → folded word → level id
	segments map[string]string
	zones    map[string]string
}

func newPackWords(p *policy.Compiled) *packWords {
	w := &packWords{levels: map[string]map[string]string{}, segments: map[string]string{}, zones: map[string]string{}}
	for _, a := range p.Classification.Axes {
		m := map[string]string{}
		for _, l := range a.Levels {
			name := norm.NFKC.String(l.Name)
			for _, word := range []string{l.Name, bare(fold(l.Name)), a.Name + l.ID, bare(fold(a.Name)) + l.ID, leadingWord(name)} {
				if k := fold(word); k != "" {
					if _, taken := m[k]; !taken {
						m[k] = l.ID
					}
				}
			}
		}
		for _, l := range a.Levels { // an id wins over a name
			m[fold(l.ID)] = l.ID
		}
		w.levels[a.ID] = m
	}
	for _, s := range p.Segments {
		w.segments[fold(s.ID)] = s.ID
		w.segments[fold(s.Name)] = s.ID
		w.segments[bare(fold(s.Name))] = s.ID
	}
	for _, z := range p.Zones {
		w.zones[fold(z.ID)] = z.ID
		w.zones[fold(z.Name)] = z.ID
	}
	return w
}

// leadingWord is the first word of a level's name: 重要度A of "重要度Ａ 個人情報".
func leadingWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// level returns the level id a cell means, or the cell itself (folded to half-width) so that
// validation names the unknown level.
func (w *packWords) level(axis, v string) string {
	if id, ok := w.levels[axis][fold(v)]; ok {
		return id
	}
	return strings.TrimSpace(norm.NFKC.String(v))
}

// segmentHints are words that name a segment of the three-tier model in a sheet that does not
// use the pack's exact names (マイナンバー系, LGWAN系 …).
var segmentHints = []struct{ word, id string }{
	{"マイナンバー", "mynumber"}, {"個人番号", "mynumber"}, {"lgwan", "lgwan"}, {"インターネット", "internet"}, {"管理系", "management"},
}

func (w *packWords) segment(v string) (string, bool) {
	k := fold(v)
	if id, ok := w.segments[k]; ok {
		return id, true
	}
	for _, h := range segmentHints {
		if strings.Contains(k, h.word) {
			for _, id := range w.segments {
				if id == h.id {
					return id, true
				}
			}
		}
	}
	return "", false
}

func (w *packWords) zone(v string) (string, bool) {
	id, ok := w.zones[fold(v)]
	return id, ok
}
