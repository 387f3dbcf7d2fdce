package policy

import (
	"encoding/json"
	"reflect"
	"sort"
)

// Difference is one element two packs require differently.
type Difference struct {
	Kind   string `json:"kind"` // roles, approvals, rules …
	ID     string `json:"id"`
	Name   string `json:"name"`
	Change string `json:"change"` // only_a, only_b, differs
	A      any    `json:"a,omitempty"`
	B      any    `json:"b,omitempty"`
	CiteA  Cite   `json:"cite_a,omitempty"`
	CiteB  Cite   `json:"cite_b,omitempty"`
}

// element is what Diff compares of a pack element: its id, its name, its citation and the rest.
type element struct {
	id, name string
	cite     Cite
	value    any
}

// Diff compares two packs element by element (matched by kind and id), ignoring citations and
// wording of names: what one requires that the other does not, or requires otherwise.
func Diff(a, b *Pack) []Difference {
	var out []Difference
	ka, kb := elements(a), elements(b)
	kinds := make([]string, 0, len(ka))
	for k := range ka {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		ea, eb := ka[kind], kb[kind]
		ids := map[string]bool{}
		for id := range ea {
			ids[id] = true
		}
		for id := range eb {
			ids[id] = true
		}
		sorted := make([]string, 0, len(ids))
		for id := range ids {
			sorted = append(sorted, id)
		}
		sort.Strings(sorted)
		for _, id := range sorted {
			x, inA := ea[id]
			y, inB := eb[id]
			switch {
			case inA && !inB:
				out = append(out, Difference{Kind: kind, ID: id, Name: x.name, Change: "only_a", A: x.value, CiteA: x.cite})
			case inB && !inA:
				out = append(out, Difference{Kind: kind, ID: id, Name: y.name, Change: "only_b", B: y.value, CiteB: y.cite})
			case !sameRequirement(x.value, y.value):
				out = append(out, Difference{Kind: kind, ID: id, Name: x.name, Change: "differs", A: x.value, B: y.value, CiteA: x.cite, CiteB: y.cite})
			}
		}
	}
	return out
}

// sameRequirement compares two elements with their citations removed.
func sameRequirement(x, y any) bool {
	return reflect.DeepEqual(withoutCites(x), withoutCites(y))
}

func withoutCites(v any) any {
	b, _ := json.Marshal(v)
	var m any
	json.Unmarshal(b, &m)
	var strip func(any) any
	strip = func(v any) any {
		switch t := v.(type) {
		case map[string]any:
			delete(t, "cite")
			delete(t, "name")
			for k, x := range t {
				t[k] = strip(x)
			}
		case []any:
			for i, x := range t {
				t[i] = strip(x)
			}
		}
		return v
	}
	return strip(m)
}

func elements(p *Pack) map[string]map[string]element {
	out := map[string]map[string]element{}
	put := func(kind, id, name string, c Cite, v any) {
		if out[kind] == nil {
			out[kind] = map[string]element{}
		}
		out[kind][id] = element{id: id, name: name, cite: c, value: v}
	}
	for _, k := range []string{"roles", "classification", "segments", "zones", "approvals", "logbooks", "rules",
		"incident.contacts", "incident.categories", "incident.routes", "incident.measures", "clauses", "threats", "pledges", "auth"} {
		out[k] = map[string]element{}
	}
	for _, x := range p.Roles {
		put("roles", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Classification.Axes {
		put("classification", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Segments {
		put("segments", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Zones {
		put("zones", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Approvals {
		put("approvals", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Logbooks {
		put("logbooks", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Rules {
		put("rules", x.ID, x.Title, x.Cite, x)
	}
	for _, x := range p.Incident.Contacts {
		put("incident.contacts", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Incident.Categories {
		put("incident.categories", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Incident.Routes {
		put("incident.routes", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Incident.Measures {
		put("incident.measures", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Clauses {
		put("clauses", x.ID, x.Text, x.Cite, x)
	}
	for _, x := range p.Threats {
		put("threats", x.ID, x.Name, x.Cite, x)
	}
	for _, x := range p.Pledges {
		put("pledges", x.ID, x.Title, x.Cite, x)
	}
	if p.Risk.Defined() {
		put("risk", "matrix", "リスク評価表", p.Risk.Cite, p.Risk)
	}
	put("auth", "login", "ログイン規則", p.Auth.Cite, struct {
		Lockout     int      `json:"lockout_after_failures"`
		Unlock      string   `json:"unlock"`
		UnlockAfter int      `json:"unlock_after_minutes"`
		MinLen      int      `json:"password_min_length"`
		MFA         []string `json:"mfa_roles"`
	}{p.Auth.LockoutAfterFailures, p.Auth.Unlock, p.Auth.UnlockAfterMinutes, p.Auth.PasswordMinLength, p.Auth.MFARoles})
	return out
}
