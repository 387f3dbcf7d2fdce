package policy

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// TakeOutLog is the logbook a returnable kind's take-outs and returns are written in, and the
// fields of it that receive each part of the act: the asset, the day (a date or datetime
// field), the applicant (a staff field) and the act itself (an enum field, with the value that
// means a take-out and the one that means a return). Every required field of the logbook must be
// among them, so that the entry the program writes is complete.
type TakeOutLog struct {
	Logbook string `yaml:"logbook" json:"logbook"`
	Asset   string `yaml:"asset" json:"asset"`
	At      string `yaml:"at" json:"at"`
	Staff   string `yaml:"staff,omitempty" json:"staff,omitempty"`
	Act     string `yaml:"act" json:"act"`
	TakeOut string `yaml:"take_out" json:"take_out"` // the Act value of a take-out (持ち出し)
	Return  string `yaml:"return" json:"return"`     // the Act value of a return (返却, 持ち込み)
	Cite    Cite   `yaml:"cite" json:"cite"`
}

// Confirmation is a pack's demand that a second person confirm an act, and what it rests on.
type Confirmation struct {
	Cite Cite `yaml:"cite" json:"cite"`
}

// maxShortName is the longest short name of an incident category, in characters.
const maxShortName = 30

// lifeLog checks a returnable kind's take-out log and return confirmation.
func (c *checker) lifeLog(path string, a Approval, inherited bool) {
	if a.OutField != "" {
		i := slices.IndexFunc(a.Fields, func(f Field) bool { return f.ID == a.OutField })
		switch {
		case !a.Returnable:
			c.add(path+".out_field", "only a returnable approval has a take-out day")
		case i < 0:
			c.add(path+".out_field", "no field %q", a.OutField)
		case a.Fields[i].Type != "date":
			c.add(path+".out_field", "field %q is not a date", a.OutField)
		}
	}
	if rc := a.ReturnConfirmation; rc != nil {
		if !a.Returnable {
			c.add(path+".return_confirmation", "only a returnable approval has a return to confirm")
		}
		c.cite(path+".return_confirmation", rc.Cite, inherited)
	}
	l := a.TakeOutLog
	if l == nil {
		return
	}
	lp := path + ".take_out_log"
	if !a.Returnable {
		c.add(lp, "only a returnable approval is taken out and returned")
	}
	c.cite(lp, l.Cite, inherited)
	i := slices.IndexFunc(c.p.Logbooks, func(b Logbook) bool { return b.ID == l.Logbook })
	if i < 0 {
		c.add(lp+".logbook", "unknown logbook %q", l.Logbook)
		return
	}
	lb := c.p.Logbooks[i]
	used := map[string]bool{}
	field := func(key, id string, types ...string) *Field {
		if id == "" {
			c.add(lp+"."+key, "name the field of logbook %q that receives it", lb.ID)
			return nil
		}
		used[id] = true
		j := slices.IndexFunc(lb.Fields, func(f Field) bool { return f.ID == id })
		if j < 0 {
			c.add(lp+"."+key, "logbook %q has no field %q", lb.ID, id)
			return nil
		}
		if !slices.Contains(types, lb.Fields[j].Type) {
			c.add(lp+"."+key, "field %q of logbook %q is %s, not %v", id, lb.ID, lb.Fields[j].Type, types)
			return nil
		}
		return &lb.Fields[j]
	}
	field("asset", l.Asset, "asset")
	field("at", l.At, "date", "datetime")
	if l.Staff != "" {
		field("staff", l.Staff, "staff")
	}
	if act := field("act", l.Act, "enum"); act != nil {
		for key, v := range map[string]string{"take_out": l.TakeOut, "return": l.Return} {
			if !slices.Contains(act.Values, v) {
				c.add(lp+"."+key, "%q is not a value of field %q (%v)", v, act.ID, act.Values)
			}
		}
	}
	for _, f := range lb.Fields {
		if f.Required && !used[f.ID] {
			c.add(lp, "required field %q of logbook %q receives nothing", f.ID, lb.ID)
		}
	}
}

// categoryLabels checks the short names of the incident categories and the categories triage
// steps belong to.
func (c *checker) categoryLabels() {
	p := c.p
	for i, cat := range p.Incident.Categories {
		if n := utf8.RuneCountInString(cat.Short); n > maxShortName {
			c.add(elemPath("incident.categories", i, cat.ID)+".short", "a short name has at most %d characters, not %d", maxShortName, n)
		}
	}
	for i, t := range p.Incident.Triage {
		for j, id := range t.Categories {
			if !slices.ContainsFunc(p.Incident.Categories, func(x Category) bool { return x.ID == id }) {
				c.add(fmt.Sprintf("%s.categories[%d]", elemPath("incident.triage", i, t.ID), j), "unknown category %q", id)
			}
		}
	}
}
