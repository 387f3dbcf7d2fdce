package asset

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// check tidies a filter as the form tidies input — levels and zones NFKC-folded, text trimmed
// — and refuses what the pack does not define, naming the query parameter: level.<axis>,
// segment, zone, attr.<id>. Without a pack, nothing of a pack may be asked for.
func (f *Filter) check(p *policy.Compiled) ([]attrFilter, error) {
	var v apperr.Validation
	f.Segment = strings.TrimSpace(f.Segment)
	f.Zone = strings.TrimSpace(norm.NFKC.String(f.Zone))
	if f.Segment != "" && (p == nil || !hasSegment(p, f.Segment)) {
		v.Add("segment", "asset.error.segment")
	}
	if f.Zone != "" && (p == nil || !hasZone(p, f.Zone)) {
		v.Add("zone", "asset.error.zone")
	}
	levels := map[string]string{}
	for axisID, level := range f.Levels {
		if level = strings.TrimSpace(norm.NFKC.String(level)); level == "" {
			continue
		}
		levels[axisID] = level
		var axis policy.Axis
		ok := p != nil
		if ok {
			axis, ok = p.Axis(axisID)
		}
		if !ok {
			v.Add("level."+axisID, "asset.error.axis", axisID)
			continue
		}
		found := false
		for _, l := range axis.Levels {
			found = found || l.ID == level
		}
		if !found {
			v.Add("level."+axisID, "asset.error.level", axis.Name, level)
		}
	}
	f.Levels = levels
	var attrs []attrFilter
	for id, val := range f.Attrs {
		if strings.TrimSpace(val) == "" {
			continue
		}
		var attr policy.Attribute
		ok := p != nil
		if ok {
			attr, ok = attribute(p, id)
		}
		if !ok {
			v.Add("attr."+id, "asset.error.attribute", id)
			continue
		}
		af, err := parseAttrFilter(attr, val)
		if err != nil {
			v.Add("attr."+id, "asset.error.attribute_value", attr.Name)
			continue
		}
		attrs = append(attrs, af)
	}
	return attrs, v.Err()
}

// attrFilter is a condition on one of the pack's attributes:
//   - bool: true, or false (which also finds assets with no value: an unticked box is not
//     recorded);
//   - enum and string: exactly the value;
//   - int and date: exactly the value, or a range A..B with either end left open (..B: B or
//     less, A..: A or more) — support_end=..2026-03-31 finds what is out of support by then.
type attrFilter struct {
	attr   policy.Attribute
	eq     any // the value, for an exact match
	lo, hi any // the ends of a range, nil when open
}

func parseAttrFilter(attr policy.Attribute, val string) (attrFilter, error) {
	af := attrFilter{attr: attr}
	val = strings.TrimSpace(norm.NFKC.String(val))
	if lo, hi, isRange := strings.Cut(val, ".."); isRange && (attr.Type == "int" || attr.Type == "date") {
		lo, hi = strings.TrimSpace(lo), strings.TrimSpace(hi)
		if lo == "" && hi == "" {
			return af, errBadValue
		}
		var err error
		if lo != "" {
			if af.lo, err = attrValue(attr, lo); err != nil {
				return af, err
			}
		}
		if hi != "" {
			if af.hi, err = attrValue(attr, hi); err != nil {
				return af, err
			}
		}
		return af, nil
	}
	var err error
	af.eq, err = attrValue(attr, val)
	return af, err
}

// addAttr adds the condition on the attribute to w, reading it from the attributes column.
func (s *Service) addAttr(w *where, af attrFilter) {
	id := af.attr.ID
	field, args := s.DB.JSONText("a.attrs_json", id)
	if af.attr.Type == "int" {
		field, args = s.DB.JSONNumber("a.attrs_json", id)
	}
	with := func(cond string, v any) { w.add(cond, append(args[:len(args):len(args)], v)...) }
	switch {
	case af.attr.Type == "bool" && af.eq == true:
		with(field+" = ?", "true")
	case af.attr.Type == "bool":
		with("COALESCE("+field+", 'false') <> ?", "true")
	case af.eq != nil:
		with(field+" = ?", af.eq)
	default:
		if af.lo != nil {
			with(field+" >= ?", af.lo)
		}
		if af.hi != nil {
			with(field+" <= ?", af.hi)
		}
	}
}
