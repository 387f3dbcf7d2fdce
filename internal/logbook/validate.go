package logbook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// checked is an input that passed validation, in the form it is stored.
type checked struct {
	lb         policy.Logbook
	dept       int64
	deptName   string
	fields     map[string]any
	display    map[string]string // names of the staff, assets and departments referred to
	numbers    map[string]string // the numbers of the assets referred to, by field
	occurredAt time.Time         // zero when no date field is filled
	visitor    bool
	escort     int64
	escortName string
}

// Limits on text, in characters.
const (
	maxText     = 500
	maxTextarea = 4000
)

// fieldKey is the name errors give a pack field: fields.<id>.
func fieldKey(id string) string { return "fields." + id }

// check validates an input against its logbook: every field the pack defines and no other,
// required ones filled, each value of its type, enum values among the pack's, and staff, assets
// and departments that exist in the organisation — assets that the writer may read, details
// included (v). Errors name the field and, in the message, the pack's name for it.
func check(ctx context.Context, q store.Querier, orgID int64, sight asset.Sight, lb policy.Logbook, in Input) (checked, error) {
	c := checked{lb: lb, dept: in.DepartmentID, fields: map[string]any{}, display: map[string]string{},
		numbers: map[string]string{}, visitor: in.Visitor}
	var v apperr.Validation
	known := map[string]bool{}
	for _, f := range lb.Fields {
		known[f.ID] = true
	}
	for id := range in.Fields {
		if !known[id] {
			v.Add(fieldKey(id), "logbook.error.unknown_field", id)
		}
	}
	for _, f := range lb.Fields {
		raw, ok := in.Fields[f.ID]
		if ok && isBlank(raw) {
			ok = false
		}
		if !ok {
			if f.Required {
				v.Add(fieldKey(f.ID), "logbook.error.required", f.Name)
			}
			continue
		}
		val, err := typed(f, raw)
		if err != nil {
			var fe fieldErr
			errors.As(err, &fe)
			v.Add(fieldKey(f.ID), fe.key, append([]any{f.Name}, fe.args...)...)
			continue
		}
		c.fields[f.ID] = val
		if c.occurredAt.IsZero() {
			switch f.Type {
			case "datetime":
				c.occurredAt, _ = time.Parse(time.RFC3339, val.(string))
			case "date":
				c.occurredAt, _ = time.ParseInLocation(time.DateOnly, val.(string), i18n.Tokyo)
			}
		}
	}
	if err := c.resolve(ctx, q, orgID, sight, &v); err != nil {
		return c, err
	}
	if IsRoomAccess(lb) {
		if err := c.checkEscort(ctx, q, orgID, in, &v); err != nil {
			return c, err
		}
	}
	return c, v.Err()
}

func isBlank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	}
	return false
}

type fieldErr struct {
	key  string
	args []any
}

func (e fieldErr) Error() string { return e.key }

func bad(key string, args ...any) error { return fieldErr{key: key, args: args} }

// typed checks one value against its field's type and returns it as stored: text as trimmed
// text, a date as YYYY-MM-DD, a date and time as RFC 3339 in JST (a time without an offset is
// JST), a number as float64, a bool as bool, an enum value as the pack spells it, and a
// reference to staff, an asset or a department as its id.
func typed(f policy.Field, raw any) (any, error) {
	s := strings.TrimSpace(fmt.Sprint(raw))
	switch f.Type {
	case "text", "textarea":
		str, ok := raw.(string)
		if !ok {
			return nil, bad("logbook.error.text")
		}
		str = strings.TrimSpace(str)
		limit := maxText
		if f.Type == "textarea" {
			limit = maxTextarea
		}
		if utf8.RuneCountInString(str) > limit {
			return nil, bad("logbook.error.too_long", limit)
		}
		return str, nil
	case "date":
		s = strings.ReplaceAll(norm.NFKC.String(s), "/", "-")
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t.Format(time.DateOnly), nil
		}
		return nil, bad("logbook.error.date")
	case "datetime":
		if t, ok := parseDateTime(norm.NFKC.String(s)); ok {
			return t.In(i18n.Tokyo).Format(time.RFC3339), nil
		}
		return nil, bad("logbook.error.datetime")
	case "number":
		switch n := raw.(type) {
		case float64:
			return n, nil
		case int:
			return float64(n), nil
		case int64:
			return float64(n), nil
		}
		if n, err := strconv.ParseFloat(norm.NFKC.String(s), 64); err == nil {
			return n, nil
		}
		return nil, bad("logbook.error.number")
	case "bool":
		if b, ok := raw.(bool); ok {
			return b, nil
		}
		switch strings.ToLower(s) {
		case "true", "on", "1", "yes", "はい", "有", "あり":
			return true, nil
		case "false", "off", "0", "no", "いいえ", "無", "なし":
			return false, nil
		}
		return nil, bad("logbook.error.bool")
	case "enum":
		for _, val := range f.Values {
			if val == s {
				return s, nil
			}
		}
		return nil, bad("logbook.error.enum", s)
	case "staff", "asset", "department":
		var id int64
		switch n := raw.(type) {
		case float64:
			id = int64(n)
			if float64(id) != n {
				id = 0
			}
		case int64:
			id = n
		case int:
			id = int64(n)
		default:
			id, _ = strconv.ParseInt(norm.NFKC.String(s), 10, 64)
		}
		if id <= 0 {
			return nil, bad("logbook.error." + f.Type)
		}
		return id, nil
	}
	return nil, bad("logbook.error.type")
}

// dateTimeLayouts are the forms a date and time is accepted in: with an offset (the API), and
// without one as a browser's datetime-local or a person types it, read as JST.
var dateTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05", "2006/01/02 15:04"}

func parseDateTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, l := range dateTimeLayouts {
		if t, err := time.ParseInLocation(l, s, i18n.Tokyo); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// resolve checks that the entry's department and every staff, asset and department it names
// exist in the organisation, and keeps their names as the entry shows them. An asset the
// writer may not read, or whose details they may not see (sight), is refused exactly as one
// that does not exist: naming it must not tell that it exists, or what it is called. Staff and
// departments are known to everyone of the organisation.
func (c *checked) resolve(ctx context.Context, q store.Querier, orgID int64, sight asset.Sight, v *apperr.Validation) error {
	var number string // the number of the asset name found last
	name := func(table string, id int64) (string, bool, error) {
		var n string
		query := `SELECT name, '' FROM ` + table + ` WHERE id = $1 AND org_id = $2`
		if table == "assets" {
			query = `SELECT number || ' ' || name, number FROM assets WHERE id = $1 AND org_id = $2`
		}
		err := q.QueryRowContext(ctx, query, id, orgID).Scan(&n, &number)
		if errors.Is(err, sql.ErrNoRows) {
			return "", false, nil
		}
		if err != nil {
			return "", false, apperr.Wrap(err, "logbook reference")
		}
		if table == "assets" {
			now, err := asset.Current(ctx, q, orgID, []int64{id})
			if err != nil {
				return "", false, err
			}
			if a := now[id]; !sight.Reads(a) || sight.Hides(a) {
				return "", false, nil
			}
		}
		return n, true, nil
	}
	switch n, ok, err := name("departments", c.dept); {
	case err != nil:
		return err
	case !ok:
		v.Add("department_id", "org.error.department_missing")
	default:
		c.deptName = n
	}
	tables := map[string]string{"staff": "staff", "asset": "assets", "department": "departments"}
	for _, f := range c.lb.Fields {
		table, isRef := tables[f.Type]
		val, ok := c.fields[f.ID]
		if !isRef || !ok {
			continue
		}
		n, found, err := name(table, val.(int64))
		if err != nil {
			return err
		}
		if !found {
			v.Add(fieldKey(f.ID), "logbook.error."+f.Type, f.Name)
			continue
		}
		c.display[f.ID] = n
		if table == "assets" {
			c.numbers[f.ID] = number
		}
	}
	return nil
}
