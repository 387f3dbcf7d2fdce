package policy

import (
	"fmt"
	"regexp"
	"strings"
)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

var packIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

var (
	packKinds  = []string{"municipality", "prefecture", "board_of_education", "base"}
	roleScopes = []string{"organization", "department", "system"}
	stepScopes = []string{"applicant_department", "subject_department", "organization", "system"}
	subjects   = []string{"asset", "none"}
	severities = []string{"low", "medium", "high", "critical"}
	attrTypes  = []string{"bool", "string", "int", "date", "enum"}
	fieldTypes = []string{"text", "textarea", "date", "datetime", "number", "bool", "enum", "staff", "asset", "department", "file", "rule", "assets"}
	segmentIDs = []string{"mynumber", "lgwan", "internet", "management"}
)

// checker collects the problems of one pack.
type checker struct {
	p        *Pack
	file     string
	problems Problems
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: c.file, Path: path, Message: fmt.Sprintf(format, args...)})
}

func oneOf(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *Pack) role(id string) *Role {
	for i := range p.Roles {
		if p.Roles[i].ID == id {
			return &p.Roles[i]
		}
	}
	return nil
}

func (p *Pack) axis(id string) *Axis {
	for i := range p.Classification.Axes {
		if p.Classification.Axes[i].ID == id {
			return &p.Classification.Axes[i]
		}
	}
	return nil
}

func (p *Pack) attribute(id string) *Attribute {
	for i := range p.Attributes {
		if p.Attributes[i].ID == id {
			return &p.Attributes[i]
		}
	}
	return nil
}

func (p *Pack) contact(id string) bool {
	for _, c := range p.Incident.Contacts {
		if c.ID == id {
			return true
		}
	}
	return false
}

// Role returns the pack's role by id.
func (p *Pack) Role(id string) (Role, bool) {
	if r := p.role(id); r != nil {
		return *r, true
	}
	return Role{}, false
}

// Axis returns the pack's classification axis by id.
func (p *Pack) Axis(id string) (Axis, bool) {
	if a := p.axis(id); a != nil {
		return *a, true
	}
	return Axis{}, false
}

// id checks an element id and that it is unique among its kind.
func (c *checker) id(path, id string, seen map[string]bool) {
	switch {
	case id == "":
		c.add(path+".id", "id is missing")
	case !idPattern.MatchString(id):
		c.add(path+".id", "id %q must be letters, digits, '.', '_' or '-'", id)
	case seen[id]:
		c.add(path+".id", "id %q is used twice", id)
	}
	seen[id] = true
}

func (c *checker) cite(path string, ct Cite, inherited bool) {
	if strings.TrimSpace(ct.Article) == "" {
		c.add(path+".cite.article", "every element must cite the article it rests on")
	}
	c.origin(path+".cite", ct, inherited)
}

// origin checks that a cite is either the source's words — quoted, in a pack with a source —
// or origin: added with its reason.
func (c *checker) origin(path string, ct Cite, inherited bool) {
	switch ct.Origin {
	case "":
		if c.p.Source != "" && !inherited && strings.TrimSpace(ct.Quote) == "" {
			c.add(path+".quote", "quote the source, or mark it origin: %s with a reason where no article states it", OriginAdded)
		}
	case OriginAdded:
		if strings.TrimSpace(ct.Reason) == "" {
			c.add(path+".reason", "an element with origin: %s needs a short reason", OriginAdded)
		}
	default:
		c.add(path+".origin", "origin %q is not %q (the organisation's setting) or empty (the source's words)", ct.Origin, OriginAdded)
	}
}

// optionalCite checks a cite that may be left out (an approval step, a route step); one given
// is checked as any other.
func (c *checker) optionalCite(path string, ct Cite, inherited bool) {
	if ct != (Cite{}) {
		c.origin(path+".cite", ct, inherited)
	}
}

func (c *checker) roleRef(path, id string) {
	if id != "" && c.p.role(id) == nil {
		c.add(path, "unknown role %q", id)
	}
}

// fields checks the fields of a form, logbook or report; in a pack with a source or a basis
// each of its own fields cites the article that lists it (quoting it where there is a source)
// or is origin: added.
func (c *checker) fields(path string, fs []Field, inherited func(id string) bool) {
	seen := map[string]bool{}
	for i, f := range fs {
		fp := fmt.Sprintf("%s[%d]", path, i)
		c.id(fp, f.ID, seen)
		if f.Name == "" {
			c.add(fp+".name", "name is missing")
		}
		if !oneOf(fieldTypes, f.Type) {
			c.add(fp+".type", "type %q is not one of %s", f.Type, strings.Join(fieldTypes, ", "))
		}
		if f.Type == "enum" && len(f.Values) == 0 {
			c.add(fp+".values", "an enum field needs values")
		}
		own := !inherited(f.ID)
		if f.Cite.Origin == "" && f.Cite.Article == "" && (!own || c.p.Source == "" && c.p.Basis == "") {
			// Checked in the pack it comes from; an organisation's own pack laid over another
			// (neither a source nor a basis) may leave its fields to its elements' articles.
			continue
		}
		if f.Cite.Origin == "" && strings.TrimSpace(f.Cite.Article) == "" {
			c.add(fp+".cite", "cite the article that lists the field, or mark it origin: %s with a reason", OriginAdded)
			continue
		}
		c.origin(fp+".cite", f.Cite, !own)
	}
}

// levelRef checks an "axis:level" reference.
func (c *checker) levelRef(path, ref string) {
	axis, level, ok := strings.Cut(ref, ":")
	a := c.p.axis(axis)
	if !ok || a == nil {
		c.add(path, "%q is not axis:level of a known axis", ref)
		return
	}
	for _, l := range a.Levels {
		if l.ID == level {
			return
		}
	}
	c.add(path, "axis %q has no level %q", axis, level)
}

// RoleName returns the name of the pack's role id, or the id itself when the pack has none.
func (p *Pack) RoleName(id string) string {
	if r := p.role(id); r != nil {
		return r.Name
	}
	return id
}
