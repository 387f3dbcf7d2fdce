package risk

import (
	"strings"

	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// Described is a risk in words, as the pages, the printed register and the workbook show it:
// every code named by the pack or the catalog.
type Described struct {
	Risk
	Title        string
	Kind         string
	GroupImpactN string
	LikelihoodN  string
	ImpactN      string
	LevelN       string
	TreatmentN   string
	ResidualLN   string
	ResidualIN   string
	ResidualN    string
	StateN       string
	ControlsN    []string // rule titles with their articles
	FailingN     []string
}

// Describe names a risk's codes in the language.
func Describe(p *policy.Compiled, lang i18n.Lang, r Risk) Described {
	s := p.Risk
	d := Described{Risk: r, Title: Title(p, r), Kind: i18n.T(lang, "asset.kind."+r.AssetKind),
		GroupImpactN: policy.ScaleName(s.Impact, r.GroupImpact),
		LikelihoodN:  policy.ScaleName(s.Likelihood, r.Likelihood), ImpactN: policy.ScaleName(s.Impact, r.Impact),
		LevelN: policy.ScaleName(s.Levels, r.Level), StateN: i18n.T(lang, "risk.state."+r.State)}
	if t, ok := s.Treatment(r.Treatment); ok {
		d.TreatmentN = t.Name
	}
	if r.ResidualLikelihood != "" {
		d.ResidualLN, d.ResidualIN = policy.ScaleName(s.Likelihood, r.ResidualLikelihood), policy.ScaleName(s.Impact, r.ResidualImpact)
		d.ResidualN = policy.ScaleName(s.Levels, r.ResidualLevel)
	}
	rules := map[string]policy.Rule{}
	for _, x := range p.Rules {
		rules[x.ID] = x
	}
	name := func(id string) string {
		if x, ok := rules[id]; ok {
			return x.Title + "（" + x.Cite.Article + "）"
		}
		return id
	}
	for _, id := range r.Controls {
		d.ControlsN = append(d.ControlsN, name(id))
	}
	for _, id := range r.Failing {
		d.FailingN = append(d.FailingN, name(id))
	}
	return d
}

// LevelClass is the colour class of a risk level on the pages: its place on the scale, from
// the lowest (1) to the highest.
func LevelClass(p *policy.Compiled, level string) int { return policy.Rank(p.Risk.Levels, level) }

// Lines joins a list for a cell of the printed register or the workbook.
func Lines(list []string) string { return strings.Join(list, "\n") }
