package compliance

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"mamori/internal/asset"
	"mamori/internal/policy"
)

// rule is a pack rule on assets with its compiled condition and requirement.
type rule struct {
	policy.Rule
	rank    int
	when    *policy.Program // nil: every asset
	require *policy.Program
	refs    []string // the record's fields the rule reads, for the values a finding shows
}

// packRules is what a pack needs for checking, worked out once per pack version.
type packRules struct {
	rules    []*rule
	byID     map[string]*rule
	levels   map[string]map[string]int64 // axis → level → rank
	zones    map[string]int64
	intAttrs map[string]bool
	// dateAttrs are read as timestamps (the day's start in JST), so that a rule compares them
	// with asset.now and with each other.
	dateAttrs map[string]bool
}

var compiledRules sync.Map // *policy.Compiled → *packRules

// rulesOf returns the pack's rules on assets, compiled once per pack version.
func rulesOf(p *policy.Compiled) *packRules {
	if v, ok := compiledRules.Load(p); ok {
		return v.(*packRules)
	}
	pr := &packRules{byID: map[string]*rule{}, levels: map[string]map[string]int64{}, zones: map[string]int64{}, intAttrs: map[string]bool{},
		dateAttrs: map[string]bool{}}
	for _, r := range p.Rules {
		if r.On != "asset" || p.RuleRequire[r.ID] == nil {
			continue
		}
		x := &rule{Rule: r, rank: severityRank(r.Severity), when: p.RuleWhen[r.ID], require: p.RuleRequire[r.ID]}
		seen := map[string]bool{}
		for _, prg := range []*policy.Program{x.when, x.require} {
			if prg == nil {
				continue
			}
			for _, ref := range prg.Refs() {
				if !seen[ref] {
					seen[ref] = true
					x.refs = append(x.refs, ref)
				}
			}
		}
		pr.rules = append(pr.rules, x)
		pr.byID[r.ID] = x
	}
	for _, a := range p.Classification.Axes {
		m := map[string]int64{}
		for _, l := range a.Levels {
			m[l.ID] = int64(l.Rank)
		}
		pr.levels[a.ID] = m
	}
	for _, z := range p.Zones {
		pr.zones[z.ID] = int64(z.Rank)
	}
	for _, a := range p.Attributes {
		if a.On == "asset" && a.Type == "int" {
			pr.intAttrs[a.ID] = true
		}
		if a.On == "asset" && a.Type == "date" {
			pr.dateAttrs[a.ID] = true
		}
	}
	actual, _ := compiledRules.LoadOrStore(p, pr)
	return actual.(*packRules)
}

// record is the asset as the pack's rules see it (policy.AssetRecord): levels and the zone with
// their ranks from the pack, whole numbers of int attributes as int64.
func (pr *packRules) record(a asset.Asset, departmentCode string, now time.Time) policy.AssetRecord {
	rec := policy.AssetRecord{Number: a.Number, Kind: a.Kind, Name: a.Name, Segment: a.Segment, Department: departmentCode,
		Location: a.Location, Class: make(map[string]policy.LevelRef, len(a.Class)), Attrs: make(map[string]any, len(a.Attrs)),
		Now: now, Zone: policy.LevelRef{ID: a.Zone, Rank: pr.zones[a.Zone]}}
	for axis, level := range a.Class {
		rec.Class[axis] = policy.LevelRef{ID: level, Rank: pr.levels[axis][level]}
	}
	for k, v := range a.Attrs {
		if f, ok := v.(float64); ok && pr.intAttrs[k] {
			v = int64(f)
		}
		if d, ok := v.(string); ok && pr.dateAttrs[k] {
			if t, err := time.ParseInLocation(time.DateOnly, d, jst); err == nil {
				v = t
			}
		}
		rec.Attrs[k] = v
	}
	return rec
}

// outcome is what one rule says of one asset.
type outcome struct {
	rule   *rule
	failed bool
	err    error          // the rule could not be evaluated on this asset
	values map[string]any // the values the rule read, when it failed
}

// evaluate runs every rule on a record and returns the rules that failed or could not be
// evaluated; rules that passed or do not apply are left out.
func (pr *packRules) evaluate(rec policy.AssetRecord) []outcome {
	var out []outcome
	for _, r := range pr.rules {
		if r.when != nil {
			ok, err := r.when.Eval(rec)
			if err != nil {
				out = append(out, outcome{rule: r, err: err})
				continue
			}
			if !ok {
				continue
			}
		}
		ok, err := r.require.Eval(rec)
		switch {
		case err != nil:
			out = append(out, outcome{rule: r, err: err})
		case !ok:
			out = append(out, outcome{rule: r, failed: true, values: valuesOf(rec, r.refs)})
		}
	}
	return out
}

// valuesOf picks the values a rule read from the record; a value the asset lacks is nil.
func valuesOf(rec policy.AssetRecord, refs []string) map[string]any {
	out := make(map[string]any, len(refs))
	for _, ref := range refs {
		out[ref] = valueOf(rec, ref)
	}
	return out
}

func valueOf(rec policy.AssetRecord, ref string) any {
	head, tail, _ := cut(ref)
	switch head {
	case "number":
		return rec.Number
	case "kind":
		return rec.Kind
	case "name":
		return rec.Name
	case "segment":
		return rec.Segment
	case "department":
		return rec.Department
	case "location":
		return rec.Location
	case "zone":
		return rec.Zone.ID
	case "now":
		return rec.Now.Format(time.RFC3339)
	case "class":
		if tail == "" {
			return nil
		}
		if l, ok := rec.Class[tail]; ok {
			return l.ID
		}
		return nil
	case "attrs":
		if tail == "" {
			return nil
		}
		return rec.Attrs[tail]
	}
	return nil
}

func cut(ref string) (string, string, bool) {
	for i := range len(ref) {
		if ref[i] == '.' {
			return ref[:i], ref[i+1:], true
		}
	}
	return ref, "", false
}

// valuesJSON encodes a finding's values.
func valuesJSON(v map[string]any) string {
	if len(v) == 0 {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(b)
}
