package policy

import (
	"fmt"
	"strings"
)

// Risk is how the organisation analyses its risks (リスク分析): 土岐市 8 and 上毛町 第2章 9 review
// the policy after 「脅威の発生の可能性及び発生時の損失等を分析し、リスクを検討した上で」. The
// sources name the threats (Pack.Threats) but no scale and no matrix, so a pack's scales are
// its own setting (origin: added): the likelihood (発生可能性) and impact (影響度) scales, the
// risk level (リスクレベル) of each of their combinations, the treatments (対応方針) and the role
// that accepts a residual risk (リスク受容).
type Risk struct {
	// Likelihood and Impact are the two scales, lowest first. An impact level names the
	// classification levels ("axis:level") whose assets it is proposed for; an asset whose
	// levels none names is proposed the lowest impact.
	Likelihood []RiskScale `yaml:"likelihood,omitempty" json:"likelihood,omitempty"`
	Impact     []RiskScale `yaml:"impact,omitempty" json:"impact,omitempty"`
	// Levels are the risk levels, lowest first.
	Levels []RiskScale `yaml:"levels,omitempty" json:"levels,omitempty"`
	// Matrix holds one row per likelihood level, each with one risk level per impact level,
	// in the order of the scales.
	Matrix     []RiskRow       `yaml:"matrix,omitempty" json:"matrix,omitempty"`
	Treatments []RiskTreatment `yaml:"treatments,omitempty" json:"treatments,omitempty"`
	// AcceptedBy is the role that accepts a residual risk (the CISO), for at most
	// AcceptDays days at a time.
	AcceptedBy string `yaml:"accepted_by,omitempty" json:"accepted_by,omitempty"`
	AcceptDays int    `yaml:"accept_days,omitempty" json:"accept_days,omitempty"`
	Cite       Cite   `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// RiskScale is one level of a scale.
type RiskScale struct {
	ID          string   `yaml:"id" json:"id"`
	Name        string   `yaml:"name" json:"name"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Classes     []string `yaml:"classes,omitempty" json:"classes,omitempty"` // impact only: axis:level
}

// RiskRow is the matrix row of one likelihood level.
type RiskRow struct {
	Likelihood string   `yaml:"likelihood" json:"likelihood"`
	Cells      []string `yaml:"cells" json:"cells"`
}

// RiskTreatment is a way of treating a risk (対応方針).
type RiskTreatment struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Treatments a pack may offer: 低減, 受容, 回避, 移転. Accepting is what the accepting role
// confirms.
const (
	TreatReduce   = "reduce"
	TreatAccept   = "accept"
	TreatAvoid    = "avoid"
	TreatTransfer = "transfer"
)

var riskTreatments = []string{TreatReduce, TreatAccept, TreatAvoid, TreatTransfer}

// Defined reports whether the pack analyses risks at all.
func (r Risk) Defined() bool { return len(r.Likelihood) > 0 }

// Rank is the place of id on a scale, 1 for the lowest; 0 when it is not on it.
func Rank(scale []RiskScale, id string) int {
	for i, l := range scale {
		if l.ID == id {
			return i + 1
		}
	}
	return 0
}

// LevelOf is the risk level of a likelihood and an impact on the pack's matrix, "" when either
// is not on its scale.
func (r Risk) LevelOf(likelihood, impact string) string {
	i := Rank(r.Impact, impact)
	if i == 0 {
		return ""
	}
	for _, row := range r.Matrix {
		if row.Likelihood == likelihood && i <= len(row.Cells) {
			return row.Cells[i-1]
		}
	}
	return ""
}

// ImpactOf proposes the impact of an asset of the given classification (axis → level): the
// highest impact level that names one of its levels, or the lowest.
func (r Risk) ImpactOf(class map[string]string) string {
	if len(r.Impact) == 0 {
		return ""
	}
	best := 0
	for i, l := range r.Impact {
		for _, c := range l.Classes {
			axis, level, _ := strings.Cut(c, ":")
			if class[axis] == level && i > best {
				best = i
			}
		}
	}
	return r.Impact[best].ID
}

// Treatment returns the pack's treatment by id.
func (r Risk) Treatment(id string) (RiskTreatment, bool) {
	for _, t := range r.Treatments {
		if t.ID == id {
			return t, true
		}
	}
	return RiskTreatment{}, false
}

// mergeRisk lays a child's risk element over its parent's part by part: a child that gives
// its own impact scale (its classification is its own) keeps the parent's matrix.
func mergeRisk(parent, child Risk, inherited map[string]bool) Risk {
	out := child
	if !parent.Defined() {
		return out
	}
	if !child.Defined() && len(child.Impact) == 0 && len(child.Matrix) == 0 {
		inherited["risk"] = true
	}
	take := func(key string, empty bool, set func()) {
		if empty {
			set()
			inherited["risk/"+key] = true
		}
	}
	take("likelihood", len(out.Likelihood) == 0, func() { out.Likelihood = parent.Likelihood })
	take("impact", len(out.Impact) == 0, func() { out.Impact = parent.Impact })
	take("levels", len(out.Levels) == 0, func() { out.Levels = parent.Levels })
	take("matrix", len(out.Matrix) == 0, func() { out.Matrix = parent.Matrix })
	take("treatments", len(out.Treatments) == 0, func() { out.Treatments = parent.Treatments })
	take("accepted_by", out.AcceptedBy == "", func() { out.AcceptedBy = parent.AcceptedBy })
	take("accept_days", out.AcceptDays == 0, func() { out.AcceptDays = parent.AcceptDays })
	take("cite", out.Cite.Article == "" && out.Cite.Origin == "", func() { out.Cite = parent.Cite })
	return out
}

// risk checks the risk element: the scales, a full matrix that never falls as likelihood or
// impact rises, the treatments and the accepting role.
func (c *checker) risk() {
	r := c.p.Risk
	if !r.Defined() && len(r.Impact) == 0 && len(r.Levels) == 0 && len(r.Matrix) == 0 && len(r.Treatments) == 0 {
		return
	}
	inh := c.p.Inherited["risk"] || c.p.Inherited["risk/cite"]
	c.cite("risk", r.Cite, inh)
	scale := func(name string, list []RiskScale) {
		if len(list) < 2 {
			c.add("risk."+name, "a scale needs at least two levels")
		}
		seen := map[string]bool{}
		for i, l := range list {
			path := elemPath("risk."+name, i, l.ID)
			c.id(path, l.ID, seen)
			if strings.TrimSpace(l.Name) == "" {
				c.add(path+".name", "name is missing")
			}
			if name != "impact" && len(l.Classes) > 0 {
				c.add(path+".classes", "only impact levels name classification levels")
			}
		}
	}
	scale("likelihood", r.Likelihood)
	scale("impact", r.Impact)
	scale("levels", r.Levels)
	c.impactClasses(r.Impact)
	c.matrix(r)
	seen := map[string]bool{}
	for i, t := range r.Treatments {
		path := elemPath("risk.treatments", i, t.ID)
		c.id(path, t.ID, seen)
		if t.ID != "" && !oneOf(riskTreatments, t.ID) {
			c.add(path+".id", "treatment %q is not one of %s", t.ID, strings.Join(riskTreatments, ", "))
		}
		if strings.TrimSpace(t.Name) == "" {
			c.add(path+".name", "name is missing")
		}
	}
	if !seen[TreatAccept] || !seen[TreatReduce] {
		c.add("risk.treatments", "the treatments must include %s and %s", TreatReduce, TreatAccept)
	}
	if r.AcceptedBy == "" {
		c.add("risk.accepted_by", "name the role that accepts a residual risk")
	} else {
		c.roleRef("risk.accepted_by", r.AcceptedBy)
	}
	if r.AcceptDays < 1 || r.AcceptDays > 3*366 {
		c.add("risk.accept_days", "accept_days %d must be 1–1098 (an acceptance ends and is looked at again)", r.AcceptDays)
	}
}

// impactClasses checks that each classification level an impact level names exists, and is
// named once.
func (c *checker) impactClasses(impact []RiskScale) {
	named := map[string]bool{}
	for i, l := range impact {
		for j, ref := range l.Classes {
			path := fmt.Sprintf("%s.classes[%d]", elemPath("risk.impact", i, l.ID), j)
			axisID, level, ok := strings.Cut(ref, ":")
			axis := c.p.axis(axisID)
			switch {
			case !ok || axis == nil:
				c.add(path, "%q is not axis:level of an axis of the classification", ref)
				continue
			case !axisHas(axis, level):
				c.add(path, "axis %q has no level %q", axisID, level)
			case named[ref]:
				c.add(path, "%q is named by two impact levels", ref)
			}
			named[ref] = true
		}
	}
}

func axisHas(a *Axis, level string) bool {
	for _, l := range a.Levels {
		if l.ID == level {
			return true
		}
	}
	return false
}

// matrix checks one row per likelihood level, in order, each with one known risk level per
// impact level, never lower than the cell to its left or below it.
func (c *checker) matrix(r Risk) {
	if len(r.Matrix) != len(r.Likelihood) {
		c.add("risk.matrix", "the matrix has %d rows; it needs one per likelihood level (%d)", len(r.Matrix), len(r.Likelihood))
	}
	for i, row := range r.Matrix {
		path := fmt.Sprintf("risk.matrix[%d]", i)
		if i < len(r.Likelihood) && row.Likelihood != r.Likelihood[i].ID {
			c.add(path+".likelihood", "row %d is for likelihood %q; the rows follow the likelihood scale (%q)", i+1, row.Likelihood, r.Likelihood[i].ID)
		}
		if len(row.Cells) != len(r.Impact) {
			c.add(path+".cells", "%d cells; one per impact level (%d)", len(row.Cells), len(r.Impact))
		}
		for j, cell := range row.Cells {
			at := fmt.Sprintf("%s.cells[%d]", path, j)
			rank := Rank(r.Levels, cell)
			switch {
			case rank == 0:
				c.add(at, "unknown risk level %q", cell)
			case j > 0 && rank < Rank(r.Levels, row.Cells[j-1]):
				c.add(at, "risk level %q is lower than that of a lower impact", cell)
			case i > 0 && j < len(r.Matrix[i-1].Cells) && rank < Rank(r.Levels, r.Matrix[i-1].Cells[j]):
				c.add(at, "risk level %q is lower than that of a lower likelihood", cell)
			}
		}
	}
}

// ScaleName is the name of id on a scale, or id itself when it is not on it.
func ScaleName(scale []RiskScale, id string) string {
	for _, l := range scale {
		if l.ID == id {
			return l.Name
		}
	}
	return id
}
