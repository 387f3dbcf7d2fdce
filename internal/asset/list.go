package asset

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

// Filter narrows a listing of the register.
type Filter struct {
	Kind         string
	Levels       map[string]string // axis id → level id
	Segment      string
	Zone         string
	DepartmentID int64
	State        string
	Query        string // words found in the number, name, location, system or note; two characters suffice
	Sort         string // number (default), name, updated, rank
	Limit        int
	Offset       int
}

var sorts = map[string]string{
	"number":  "a.number",
	"name":    "a.name, a.number",
	"updated": "a.updated_at DESC, a.number",
	"rank":    "a.top_rank DESC, a.number",
}

// List returns the assets the actor may read that match the filter, and their total.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Asset, int, error) {
	where := []string{"a.org_id = $1"}
	args := []any{who.OrgID}
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		where = append(where, cond)
	}
	if depts := reachOf(who).departments(); depts != nil {
		if len(depts) == 0 {
			return nil, 0, nil
		}
		sort.Slice(depts, func(i, j int) bool { return depts[i] < depts[j] })
		marks := make([]string, len(depts))
		vals := make([]any, len(depts))
		for i, d := range depts {
			marks[i], vals[i] = "?", d
		}
		add("a.department_id IN ("+strings.Join(marks, ", ")+")", vals...)
	}
	if f.Kind != "" {
		add("a.kind = ?", f.Kind)
	}
	if f.Segment != "" {
		add("a.segment = ?", f.Segment)
	}
	if f.Zone != "" {
		add("a.zone = ?", f.Zone)
	}
	if f.DepartmentID != 0 {
		add("a.department_id = ?", f.DepartmentID)
	}
	if f.State != "" {
		add("a.state = ?", f.State)
	}
	axes := make([]string, 0, len(f.Levels))
	for axis := range f.Levels {
		axes = append(axes, axis)
	}
	sort.Strings(axes)
	for _, axis := range axes {
		if f.Levels[axis] == "" {
			continue
		}
		add("EXISTS (SELECT 1 FROM asset_levels l WHERE l.asset_id = a.id AND l.axis = ? AND l.level = ?)", axis, f.Levels[axis])
	}
	for _, word := range strings.Fields(norm.NFKC.String(f.Query)) {
		pat := "%" + store.LikeEscape(strings.ToLower(word)) + "%"
		add(`(lower(a.number) LIKE ? ESCAPE '\' OR lower(a.name) LIKE ? ESCAPE '\' OR lower(a.location) LIKE ? ESCAPE '\'
			OR lower(a.system_ref) LIKE ? ESCAPE '\' OR lower(a.note) LIKE ? ESCAPE '\')`, pat, pat, pat, pat, pat)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM assets a WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count assets")
	}
	order, ok := sorts[f.Sort]
	if !ok {
		order = sorts["number"]
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+columns+from+`WHERE `+cond+` ORDER BY `+order+
		` LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list assets")
	}
	defer rows.Close()
	var out []Asset
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "scan asset")
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "list assets")
	}
	ptrs := make([]*Asset, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := loadLevels(ctx, s.DB.SQL, who.OrgID, ptrs); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
