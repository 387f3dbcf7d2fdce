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
	pack  *policy.Compiled
	rules []*rule
	byID  map[string]*rule
}

var compiledRules sync.Map // *policy.Compiled → *packRules

// rulesOf returns the pack's rules on assets, compiled once per pack version.
func rulesOf(p *policy.Compiled) *packRules {
	if v, ok := compiledRules.Load(p); ok {
		return v.(*packRules)
	}
	pr := &packRules{pack: p, byID: map[string]*rule{}}
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
	actual, _ := compiledRules.LoadOrStore(p, pr)
	return actual.(*packRules)
}

// record is the asset as the pack's rules see it (asset.Record, as every condition sees it).
func (pr *packRules) record(a asset.Asset, departmentCode string, now time.Time) policy.AssetRecord {
	return asset.Record(pr.pack, a, departmentCode, now)
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
