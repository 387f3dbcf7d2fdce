package asset

import (
	"context"
	"database/sql"
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
	Attrs        map[string]string // attribute id → value, as attrFilter reads it
	Query        string            // words found in the number, name, location, system or note; two characters suffice
	Sort         string            // number (default), name, updated, rank
	Limit        int
	Offset       int
	// MarkRestricted puts RestrictedMark in the name of a restricted asset, for sheets that
	// have no other place to say why its details are empty.
	MarkRestricted bool
}

// sorts are the orders of a listing. Each has an index that gives it (migration 00008), so that
// a page is read in order instead of sorting every match; the number breaks ties, so that paging
// is stable.
var sorts = map[string]string{
	"number":  "a.number",
	"name":    "a.name, a.number",
	"updated": "a.updated_at DESC, a.number",
	"rank":    "a.top_rank DESC, a.number",
}

// searchText is the text a word is looked for in: the searched columns joined by a space. A
// word has no space in it, so it is found in the joined text exactly when it is found in one of
// the columns. The text index of migration 00008 (asset_search) is built on the same text.
const searchText = `lower(a.number || ' ' || a.name || ' ' || a.location || ' ' || a.system_ref || ' ' || a.note)`

// where is the condition of a listing and its arguments, numbered $1, $2 … in order.
type where struct {
	conds    []string
	args     []any
	searched bool // the listing has search words
}

// add appends a condition, replacing each ? in it with the next argument's number.
func (w *where) add(cond string, vals ...any) { w.conds = append(w.conds, w.expr(cond, vals...)) }

// arg adds one argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// expr numbers the ? of an expression as add does, and returns it.
func (w *where) expr(cond string, vals ...any) string {
	for _, v := range vals {
		w.args = append(w.args, v)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	return cond
}

// hiddenCond is the condition for the assets whose details the actor may not see: of the
// highest class, outside the departments whose details they see. It is "" when there are none.
// Filters on details (segment, zone, attributes, the words of a search) must not find such an
// asset, or the finding would tell what is hidden.
func hiddenCond(w *where, r reach, top topLevels) string {
	if !r.hidesSome() || len(top) == 0 {
		return ""
	}
	var levels []string
	for _, axis := range top.axes() {
		vals := []any{axis}
		for _, id := range top[axis] {
			vals = append(vals, id)
		}
		levels = append(levels, w.expr("(h.axis = ? AND h.level IN ("+marks(len(top[axis]))+"))", vals...))
	}
	cond := "EXISTS (SELECT 1 FROM asset_levels h WHERE h.asset_id = a.id AND (" + strings.Join(levels, " OR ") + "))"
	if out := outside("a", r.detailDepartments(), r.detailSystems(), w.arg); out != "" {
		cond = strings.TrimPrefix(out, " AND ") + " AND " + cond
	}
	return "(" + cond + ")"
}

// readable is the condition for the assets of the departments or of the systems (SystemOf) an
// actor reads. SystemOf IN (…) is spelt so that each part has its index — the system reference,
// or the number of an information system that names none — and each part of the OR names the
// organisation, so that the engines take each part from its own index and join them.
func readable(w *where, orgID int64, depts []int64, systems []string) string {
	sort.Slice(depts, func(i, j int) bool { return depts[i] < depts[j] })
	deptVals := make([]any, len(depts))
	for i, d := range depts {
		deptVals[i] = d
	}
	if len(systems) == 0 {
		return w.expr("a.department_id IN ("+marks(len(depts))+")", deptVals...)
	}
	sysVals := make([]any, 0, len(systems)+1)
	sysVals = append(sysVals, orgID)
	for _, n := range systems {
		sysVals = append(sysVals, n)
	}
	var parts []string
	if len(depts) > 0 {
		parts = append(parts, w.expr("(a.org_id = ? AND a.department_id IN ("+marks(len(depts))+"))", append([]any{orgID}, deptVals...)...))
	}
	parts = append(parts, w.expr("(a.org_id = ? AND a.system_ref IN ("+marks(len(systems))+"))", sysVals...),
		w.expr("(a.org_id = ? AND a.system_ref = '' AND a.kind = 'system' AND a.number IN ("+marks(len(systems))+"))", sysVals...))
	return "(" + strings.Join(parts, " OR ") + ")"
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func (w *where) String() string { return strings.Join(w.conds, " AND ") }

// listWhere is the condition for the assets the actor may read that match the filter; ok is
// false when the actor may read none. The filter has been checked against the pack, whose
// attributes filters are given.
func (s *Service) listWhere(ctx context.Context, who access.Actor, f Filter, top topLevels, attrs []attrFilter) (w where, ok bool, err error) {
	r := reachOf(who)
	depts, systems := r.departments(), r.systems()
	switch {
	case depts == nil:
		w.add("a.org_id = ?", who.OrgID)
	case len(depts) == 0 && len(systems) == 0:
		return w, false, nil
	case len(systems) == 0:
		w.add("a.org_id = ?", who.OrgID)
		w.add(readable(&w, who.OrgID, depts, nil))
	default:
		// Each part of readable names the organisation; named once more beside it, the
		// organisation alone would choose the index, and every asset would be read.
		w.add(readable(&w, who.OrgID, depts, systems))
	}
	hidden := ""
	if f.Segment != "" || f.Zone != "" || len(attrs) > 0 {
		if hidden = hiddenCond(&w, r, top); hidden != "" {
			w.add("NOT " + hidden)
		}
	}
	if f.Kind != "" {
		w.add("a.kind = ?", f.Kind)
	}
	if f.Segment != "" {
		w.add("a.segment = ?", f.Segment)
	}
	if f.Zone != "" {
		w.add("a.zone = ?", f.Zone)
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].attr.ID < attrs[j].attr.ID })
	for _, af := range attrs {
		s.addAttr(&w, af)
	}
	if f.DepartmentID != 0 {
		w.add("a.department_id = ?", f.DepartmentID)
	}
	if f.State != "" {
		w.add("a.state = ?", f.State)
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
		w.add("EXISTS (SELECT 1 FROM asset_levels l WHERE l.asset_id = a.id AND l.axis = ? AND l.level = ?)", axis, f.Levels[axis])
	}
	if hidden == "" && strings.TrimSpace(f.Query) != "" {
		hidden = hiddenCond(&w, r, top)
	}
	err = s.searchWhere(ctx, &w, f.Query, depts != nil || f.DepartmentID != 0, hidden)
	return w, true, err
}

// searchWhere adds the search words: every word must be found, case-insensitively and with
// full-width letters and digits folded (NFKC), in the number, name, location, system or note.
// Two characters suffice (端末, 媒体). In an asset whose details are hidden from the actor
// (hidden, when not ""), a word is looked for in the number alone.
//
// Each word is tested with LIKE. Over a whole register that is a scan of every asset, so the
// text index is asked first for the assets that can hold the words (store.DB.TextCandidates),
// and LIKE confirms them. A listing narrowed to some departments — those of a member of staff,
// or the department filter — is selective already, which the index is told: on some engines
// LIKE on those departments' assets alone is quicker than the index, whose answer for a common
// word spans the whole register.
func (s *Service) searchWhere(ctx context.Context, w *where, query string, narrowed bool, hidden string) error {
	var pieces []string
	for _, word := range strings.Fields(norm.NFKC.String(query)) {
		w.searched = true
		word = strings.ToLower(word)
		pattern := "%" + store.LikeEscape(word) + "%"
		if hidden != "" {
			w.add(`(`+searchText+` LIKE ? ESCAPE '\' AND NOT `+hidden+` OR lower(a.number) LIKE ? ESCAPE '\')`, pattern, pattern)
		} else {
			w.add(searchText+` LIKE ? ESCAPE '\'`, pattern)
		}
		// The index knows text, not LIKE's special characters: it is asked for the pieces
		// between them.
		pieces = append(pieces, strings.FieldsFunc(word, func(r rune) bool { return r == '%' || r == '_' || r == '\\' })...)
	}
	if len(pieces) == 0 {
		return nil
	}
	cond, args, err := s.DB.TextCandidates(ctx, "asset_search", "a.id", searchText, pieces, narrowed)
	if err != nil {
		return apperr.Wrap(err, "search assets")
	}
	if cond != "" {
		w.add(cond, args...)
	}
	return nil
}

// List returns the assets the actor may read that match the filter, and their total.
//
// A page is chosen from the assets table alone, and only its rows are then read with their
// department and manager. Without search words the total is counted first, from the indexes
// of the filters; with them every match has to be read to be counted, so the total comes with
// the page, counted in the same pass.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Asset, int, error) {
	p, _, err := s.Policy.Active(ctx, who.OrgID)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return nil, 0, err
	}
	attrs, err := f.check(p)
	if err != nil {
		return nil, 0, err
	}
	r, top := reachOf(who), topLevelsOf(p)
	w, ok, err := s.listWhere(ctx, who, f, top, attrs)
	if err != nil || !ok {
		return nil, 0, err
	}
	cond, condArgs := w.String(), w.args[:len(w.args):len(w.args)]
	count := func() (int, error) {
		var n int
		if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM assets a WHERE `+cond, condArgs...).Scan(&n); err != nil {
			return 0, apperr.Wrap(err, "count assets")
		}
		return n, nil
	}
	offset := max(f.Offset, 0)
	total := 0
	if !w.searched {
		if total, err = count(); err != nil || total == 0 || offset >= total {
			return nil, total, err
		}
	}
	order, ok := sorts[f.Sort]
	if !ok {
		order = sorts["number"]
	}
	if f.Sort == "name" {
		// Names the actor may not see do not order the page, or the order would tell them.
		if hidden := hiddenCond(&w, r, top); hidden != "" {
			order = "CASE WHEN " + hidden + " THEN '' ELSE a.name END, a.number"
		}
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(w.args[:len(w.args):len(w.args)], f.Limit, offset)
	page := `SELECT a.id FROM assets a WHERE ` + cond + ` ORDER BY ` + order +
		` LIMIT $` + strconv.Itoa(len(args)-1) + ` OFFSET $` + strconv.Itoa(len(args))
	query := `SELECT ` + columns + from + `WHERE a.id IN (` + page + `) ORDER BY ` + order
	if w.searched {
		page = strings.Replace(page, "SELECT a.id ", "SELECT a.id, count(*) OVER () AS total ", 1)
		query = `SELECT ` + columns + `, p.total FROM (` + page + `) p JOIN assets a ON a.id = p.id
			LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN staff m ON m.id = a.manager_staff_id ORDER BY ` + order
	}
	rows, err := s.DB.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list assets")
	}
	defer rows.Close()
	var out []Asset
	for rows.Next() {
		var a Asset
		if w.searched {
			a, err = scan(withTotal{rows, &total})
		} else {
			a, err = scan(rows)
		}
		if err != nil {
			return nil, 0, apperr.Wrap(err, "scan asset")
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "list assets")
	}
	if len(out) == 0 {
		// No match, or a page past the last: the total is counted on its own.
		if w.searched {
			total, err = count()
		}
		return nil, total, err
	}
	ptrs := make([]*Asset, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := loadLevels(ctx, s.DB.SQL, who.OrgID, ptrs); err != nil {
		return nil, 0, err
	}
	for i, a := range out {
		if out[i] = r.shown(top, a); out[i].Restricted && f.MarkRestricted {
			out[i].Name = RestrictedMark
		}
	}
	return out, total, nil
}

// withTotal scans a row of the listing and, after its columns, the total counted with it.
type withTotal struct {
	rows  *sql.Rows
	total *int
}

func (w withTotal) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.total)...) }

func itoa(i int) string { return strconv.Itoa(i) }
