package logbook

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// where is the condition of a listing and its arguments, numbered $1, $2 … in order.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, vals ...any) { w.conds = append(w.conds, w.expr(cond, vals...)) }

// expr numbers the ? of an expression as add does, and returns it.
func (w *where) expr(cond string, vals ...any) string {
	for _, v := range vals {
		cond = strings.Replace(cond, "?", w.arg(v), 1)
	}
	return cond
}

// arg adds an argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) String() string { return strings.Join(w.conds, " AND ") }

// listWhere is the condition for the entries of the filter's logbook that the actor may read;
// ok is false when the actor may read none. p is the organisation's pack.
func (s *Service) listWhere(ctx context.Context, who access.Actor, lb policy.Logbook, p *policy.Compiled, f Filter) (w where, ok bool, err error) {
	w.add("e.org_id = ?", who.OrgID)
	w.add("e.logbook = ?", lb.ID)
	depts := reachOf(who, lb).departments()
	if depts != nil {
		if len(depts) == 0 {
			return w, false, nil
		}
		sort.Slice(depts, func(i, j int) bool { return depts[i] < depts[j] })
		marks := make([]string, len(depts))
		vals := make([]any, len(depts))
		for i, d := range depts {
			marks[i], vals[i] = "?", d
		}
		w.add("e.department_id IN ("+strings.Join(marks, ", ")+")", vals...)
	}
	if f.DepartmentID != 0 {
		w.add("e.department_id = ?", f.DepartmentID)
	}
	if f.Unconfirmed {
		w.add("e.status = ?", Pending)
	}
	if !f.History {
		w.add("e.superseded_by_id IS NULL")
	}
	if f.From != "" {
		t, err := time.ParseInLocation(time.DateOnly, f.From, i18n.Tokyo)
		if err != nil {
			return w, false, apperr.InvalidField("from", "error.date")
		}
		w.add("e.occurred_at >= ?", t.UTC())
	}
	if f.To != "" {
		t, err := time.ParseInLocation(time.DateOnly, f.To, i18n.Tokyo)
		if err != nil {
			return w, false, apperr.InvalidField("to", "error.date")
		}
		w.add("e.occurred_at < ?", t.AddDate(0, 0, 1).UTC())
	}
	var pieces []string
	withheld := ""
	for i, word := range strings.Fields(strings.ToLower(norm.NFKC.String(f.Query))) {
		if i == 0 {
			withheld = s.withheld(&w, asset.SightOf(who, p), lb)
		}
		pattern := "%" + store.LikeEscape(word) + "%"
		if withheld != "" {
			w.add(`(e.public_text LIKE ? ESCAPE '\' OR (e.search_text LIKE ? ESCAPE '\' AND (e.public_text = '' OR NOT `+withheld+`)))`,
				pattern, pattern)
		} else {
			w.add(`e.search_text LIKE ? ESCAPE '\'`, pattern)
		}
		pieces = append(pieces, strings.FieldsFunc(word, func(r rune) bool { return r == '%' || r == '_' || r == '\\' })...)
	}
	if len(pieces) > 0 {
		cond, args, err := s.DB.TextCandidates(ctx, "logbook_search", "e.id", "e.search_text", pieces, depts != nil || f.DepartmentID != 0)
		if err != nil {
			return w, false, apperr.Wrap(err, "search logbook")
		}
		if cond != "" {
			w.add(cond, args...)
		}
	}
	return w, true, nil
}

// withheld is the condition for the entries that name an asset whose details are withheld from
// the actor (asset.Sight.Withholds, on the asset as it is now), read from the entry's asset
// fields as the pack has them — as screen reads them; "" when nothing is withheld from the
// actor or the logbook names no asset. The words of such an actor's search are looked for in
// those entries' public text (searchText), which names their assets by number alone: a word of
// a withheld name finds nothing, or the finding would tell the name.
func (s *Service) withheld(w *where, v asset.Sight, lb policy.Logbook) string {
	if v.SeesAll() {
		return ""
	}
	var conds []string
	for _, f := range lb.Fields {
		if f.Type != "asset" {
			continue
		}
		field, args := s.DB.JSONNumber("e.fields_json", f.ID)
		conds = append(conds, v.WithheldCond("CAST("+w.expr(field, args...)+" AS BIGINT)", w.arg))
	}
	if len(conds) == 0 {
		return ""
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// List returns the entries of a logbook that the actor may read and that match the filter,
// newest first, and their total. A page is chosen from the entries table by the indexes of
// migration 00012 and only its rows are read with their names.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Entry, int, error) {
	lb, p, err := s.Logbook(ctx, who.OrgID, f.Logbook)
	if err != nil {
		return nil, 0, err
	}
	w, ok, err := s.listWhere(ctx, who, lb, p, f)
	if err != nil || !ok {
		return nil, 0, err
	}
	cond := w.String()
	var total int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM logbook_entries e WHERE `+cond, w.args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count logbook entries")
	}
	offset := max(f.Offset, 0)
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	out, err := s.page(ctx, w, f.Limit, offset)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.screen(ctx, who, lb, p, out)
}

const order = ` ORDER BY e.occurred_at DESC, e.id DESC`

func (s *Service) page(ctx context.Context, w where, limit, offset int) ([]Entry, error) {
	args := append(w.args[:len(w.args):len(w.args)], limit, offset)
	page := `SELECT e.id FROM logbook_entries e WHERE ` + w.String() + order +
		` LIMIT $` + strconv.Itoa(len(args)-1) + ` OFFSET $` + strconv.Itoa(len(args))
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+columns+from+`WHERE e.id IN (`+page+`)`+order, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "list logbook entries")
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "scan logbook entry")
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "list logbook entries")
	}
	return out, nil
}

// Each calls fn for every entry of the filter in list order, a page at a time, without
// counting them (the export).
func (s *Service) Each(ctx context.Context, who access.Actor, f Filter, fn func(Entry) error) error {
	lb, p, err := s.Logbook(ctx, who.OrgID, f.Logbook)
	if err != nil {
		return err
	}
	w, ok, err := s.listWhere(ctx, who, lb, p, f)
	if err != nil || !ok {
		return err
	}
	const size = 500
	// Keyset paging: each page starts after the last entry of the one before.
	cur := w
	for {
		list, err := s.page(ctx, cur, size, 0)
		if err != nil {
			return err
		}
		if err := s.screen(ctx, who, lb, p, list); err != nil {
			return err
		}
		for _, e := range list {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(list) < size {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		last := list[len(list)-1]
		cur = where{conds: append([]string(nil), w.conds...), args: append([]any(nil), w.args...)}
		cur.add("(e.occurred_at < ? OR (e.occurred_at = ? AND e.id < ?))", last.OccurredAt, last.OccurredAt, last.ID)
	}
}
