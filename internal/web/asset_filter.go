package web

import (
	"strings"

	"mamori/internal/policy"
)

// attrControl is the register filter's control for one attribute of the pack: a choice of
// yes or no, a choice of the values, a date range (from, to) or a text field taking a value or
// a range (3..5).
type attrControl struct {
	Attr    policy.Attribute
	Control string // yesno, choice, dates, text
}

// Param is the control's query parameter.
func (c attrControl) Param() string { return "attr." + c.Attr.ID }

// ID is the control's element id, the one the error summary links to.
func (c attrControl) ID() string { return "f-attr-" + c.Attr.ID }

func attrControls(p *policy.Compiled) []attrControl {
	if p == nil {
		return nil
	}
	var out []attrControl
	for _, a := range assetAttributes(p) {
		c := attrControl{Attr: a, Control: "text"}
		switch a.Type {
		case "bool":
			c.Control = "yesno"
		case "enum":
			c.Control = "choice"
		case "date":
			c.Control = "dates"
		}
		out = append(out, c)
	}
	return out
}

// filterFieldID is the element id (after f-) of the filter control a refused filter field
// names: attr.<id> → attr-<id>; the other controls are named without a link.
func filterFieldID(field string) string {
	if strings.HasPrefix(field, "attr.") {
		return strings.ReplaceAll(field, ".", "-")
	}
	return ""
}
