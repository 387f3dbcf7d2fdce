package request

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// maxText is the longest text a form field takes.
const maxText = 10_000

// checkFields validates the values of a kind's form against its field types and returns them
// normalised: text trimmed, dates as YYYY-MM-DD, date-times as RFC 3339, numbers as float64,
// checks as bool, staff, asset and department references as ids. Required file fields are
// satisfied by attachments of that field. Errors name the field as "fields.<id>".
func checkFields(a policy.Approval, in map[string]any, files map[string]bool, v *apperr.Validation) map[string]any {
	out := map[string]any{}
	known := map[string]bool{}
	for _, f := range a.Fields {
		known[f.ID] = true
		name := "fields." + f.ID
		raw, present := in[f.ID]
		if s, ok := raw.(string); ok {
			raw = strings.TrimSpace(s)
			present = raw != ""
		}
		if raw == nil {
			present = false
		}
		if f.Type == "file" {
			if f.Required && !files[f.ID] {
				v.Add(name, "request.error.required", f.Name)
			}
			continue
		}
		if !present {
			if f.Required {
				v.Add(name, "request.error.required", f.Name)
			}
			continue
		}
		val, key := fieldValue(f, raw)
		if key != "" {
			v.Add(name, key, f.Name)
			continue
		}
		if f.Type == "bool" && f.Required && val != true {
			v.Add(name, "request.error.confirm", f.Name)
			continue
		}
		out[f.ID] = val
	}
	for k := range in {
		if !known[k] {
			v.Add("fields."+k, "request.error.unknown_field", k)
		}
	}
	return out
}

// fieldValue converts one value; the key says what is wrong with it.
func fieldValue(f policy.Field, raw any) (any, string) {
	str, isString := raw.(string)
	switch f.Type {
	case "text", "textarea":
		if !isString {
			str = fmt.Sprint(raw)
		}
		if utf8.RuneCountInString(str) > maxText {
			return nil, "request.error.too_long"
		}
		return str, ""
	case "date":
		if !isString {
			return nil, "request.error.date"
		}
		if _, err := time.Parse(time.DateOnly, str); err != nil {
			return nil, "request.error.date"
		}
		return str, ""
	case "datetime":
		if t, ok := raw.(time.Time); ok {
			return t.UTC().Format(time.RFC3339), ""
		}
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
			if t, err := time.ParseInLocation(layout, str, jst); err == nil {
				return t.UTC().Format(time.RFC3339), ""
			}
		}
		return nil, "request.error.datetime"
	case "number":
		n, ok := number(raw)
		if !ok {
			return nil, "request.error.number"
		}
		return n, ""
	case "bool":
		switch x := raw.(type) {
		case bool:
			return x, ""
		case string:
			switch strings.ToLower(x) {
			case "true", "on", "1", "yes":
				return true, ""
			case "false", "off", "0", "no":
				return false, ""
			}
		}
		return nil, "request.error.bool"
	case "enum":
		if !isString || !slices.Contains(f.Values, str) {
			return nil, "request.error.enum"
		}
		return str, ""
	case "rule", "assets":
		return listValue(raw)
	case "staff", "asset", "department":
		n, ok := number(raw)
		if !ok || n <= 0 || n != math.Trunc(n) {
			return nil, "request.error.reference"
		}
		return int64(n), ""
	}
	return nil, "request.error.unknown_field"
}

func number(raw any) (float64, bool) {
	switch x := raw.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		n, err := strconv.ParseFloat(strings.ReplaceAll(x, ",", ""), 64)
		return n, err == nil && !math.IsNaN(n) && !math.IsInf(n, 0)
	}
	return 0, false
}

// checkRefs makes sure the staff, assets and departments the fields name belong to the
// organisation.
func checkRefs(ctx context.Context, q store.Querier, orgID int64, a policy.Approval, vals map[string]any) error {
	tables := map[string]string{"staff": "staff", "asset": "assets", "department": "departments"}
	for _, f := range a.Fields {
		table, ok := tables[f.Type]
		id, has := vals[f.ID].(int64)
		if !ok || !has {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = $1 AND org_id = $2`, id, orgID).Scan(&n); err != nil {
			return apperr.Wrap(err, "field reference")
		}
		if n == 0 {
			return apperr.InvalidField("fields."+f.ID, "request.error.reference", f.Name)
		}
	}
	return nil
}
