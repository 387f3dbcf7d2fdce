package asset

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// normalize tidies input: codes and numbers are NFKC-folded (全角 digits and letters become
// half-width), text is trimmed, defaults are filled.
func (in *Input) normalize() {
	in.Number = strings.TrimSpace(norm.NFKC.String(in.Number))
	in.Name = strings.TrimSpace(in.Name)
	in.Kind = strings.TrimSpace(in.Kind)
	in.Segment = strings.TrimSpace(in.Segment)
	in.Zone = strings.TrimSpace(norm.NFKC.String(in.Zone))
	in.Location = strings.TrimSpace(in.Location)
	in.SystemRef = strings.TrimSpace(in.SystemRef)
	in.Copies = strings.TrimSpace(in.Copies)
	in.Note = strings.TrimSpace(in.Note)
	in.AcquiredOn = strings.TrimSpace(norm.NFKC.String(in.AcquiredOn))
	in.DisposedOn = strings.TrimSpace(norm.NFKC.String(in.DisposedOn))
	if in.Quantity == 0 {
		in.Quantity = 1
	}
	if in.State == "" {
		in.State = "in_use"
	}
	class := map[string]string{}
	for k, v := range in.Class {
		if v = strings.TrimSpace(norm.NFKC.String(v)); v != "" {
			class[k] = v
		}
	}
	in.Class = class
	if in.Attrs == nil {
		in.Attrs = map[string]any{}
	}
}

// validate checks the input against the organisation's pack and returns the highest rank of
// its classification.
func (in *Input) validate(p *policy.Compiled) (int, error) {
	var v apperr.Validation
	switch {
	case in.Number == "":
		v.Add("number", "error.required")
	case utf8.RuneCountInString(in.Number) > 64:
		v.Add("number", "error.too_long", 64)
	}
	switch {
	case in.Name == "":
		v.Add("name", "error.required")
	case utf8.RuneCountInString(in.Name) > 200:
		v.Add("name", "error.too_long", 200)
	}
	if !oneOf(policy.AssetKinds, in.Kind) {
		v.Add("kind", "asset.error.kind")
	}
	if in.DepartmentID == 0 {
		v.Add("department_id", "error.required")
	}
	if in.Segment != "" && !hasSegment(p, in.Segment) {
		v.Add("segment", "asset.error.segment")
	}
	if in.Zone != "" && !hasZone(p, in.Zone) {
		v.Add("zone", "asset.error.zone")
	}
	top := 0
	for _, axis := range p.Classification.Axes {
		level, ok := in.Class[axis.ID]
		if !ok {
			v.Add("class."+axis.ID, "asset.error.level_missing", axis.Name)
			continue
		}
		found := false
		for _, l := range axis.Levels {
			if l.ID == level {
				found, top = true, max(top, l.Rank)
			}
		}
		if !found {
			v.Add("class."+axis.ID, "asset.error.level", axis.Name, level)
		}
	}
	for k := range in.Class {
		if _, ok := p.Axis(k); !ok {
			v.Add("class."+k, "asset.error.axis", k)
		}
	}
	for k, val := range in.Attrs {
		attr, ok := attribute(p, k)
		if !ok {
			v.Add("attrs."+k, "asset.error.attribute", k)
			continue
		}
		norm, err := attrValue(attr, val)
		if err != nil {
			v.Add("attrs."+k, "asset.error.attribute_value", attr.Name)
			continue
		}
		in.Attrs[k] = norm
	}
	if in.Quantity < 1 || in.Quantity > 1_000_000 {
		v.Add("quantity", "asset.error.quantity")
	}
	if !oneOf(States, in.State) {
		v.Add("state", "asset.error.state")
	}
	for _, d := range []struct{ field, val string }{{"acquired_on", in.AcquiredOn}, {"disposed_on", in.DisposedOn}} {
		if d.val != "" {
			if _, err := time.Parse(time.DateOnly, d.val); err != nil {
				v.Add(d.field, "error.date")
			}
		}
	}
	if in.AcquiredOn != "" && in.DisposedOn != "" && in.DisposedOn < in.AcquiredOn && !v.Has("disposed_on") {
		v.Add("disposed_on", "asset.error.disposed_before_acquired")
	}
	if in.State == "disposed" && in.DisposedOn == "" && !v.Has("disposed_on") {
		v.Add("disposed_on", "asset.error.disposed_date")
	}
	for _, f := range []struct {
		field string
		val   string
		n     int
	}{{"location", in.Location, 200}, {"system_ref", in.SystemRef, 200}, {"copies", in.Copies, 500}, {"note", in.Note, 2000}} {
		if utf8.RuneCountInString(f.val) > f.n {
			v.Add(f.field, "error.too_long", f.n)
		}
	}
	return top, v.Err()
}

func oneOf(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasSegment(p *policy.Compiled, id string) bool {
	for _, s := range p.Segments {
		if s.ID == id {
			return true
		}
	}
	return false
}

func hasZone(p *policy.Compiled, id string) bool {
	for _, z := range p.Zones {
		if z.ID == id {
			return true
		}
	}
	return false
}

func attribute(p *policy.Compiled, id string) (policy.Attribute, bool) {
	for _, a := range p.Attributes {
		if a.ID == id && a.On == "asset" {
			return a, true
		}
	}
	return policy.Attribute{}, false
}

// attrValue checks a value against the attribute's type and returns it in its stored form:
// bool, int64, string, or a date as YYYY-MM-DD.
func attrValue(a policy.Attribute, v any) (any, error) {
	s := strings.TrimSpace(norm.NFKC.String(fmt.Sprint(v)))
	switch a.Type {
	case "bool":
		switch b := v.(type) {
		case bool:
			return b, nil
		}
		switch strings.ToLower(s) {
		case "true", "1", "yes", "はい", "有", "あり", "○", "〇":
			return true, nil
		case "false", "0", "no", "いいえ", "無", "なし", "×", "":
			return false, nil
		}
	case "int":
		switch n := v.(type) {
		case float64:
			if n == float64(int64(n)) {
				return int64(n), nil
			}
		case int, int64:
			return strconv.ParseInt(s, 10, 64)
		default:
			return strconv.ParseInt(s, 10, 64)
		}
	case "date":
		if t, err := time.Parse(time.DateOnly, strings.ReplaceAll(s, "/", "-")); err == nil {
			return t.Format(time.DateOnly), nil
		}
	case "enum":
		if oneOf(a.Values, s) {
			return s, nil
		}
	case "string":
		if utf8.RuneCountInString(s) <= 500 {
			return s, nil
		}
	}
	return nil, errBadValue
}

var errBadValue = errors.New("bad value")
