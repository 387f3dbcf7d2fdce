package web

import (
	"fmt"
	"strings"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// labels names, in the reader's language, what the program keeps as codes: the fields and
// values of an asset record as rules read them (attrs.mfa, kind, class.importance), the pack's
// roles and rules by id, the audit log's actions and kinds of record. A person reads the
// catalog's or the pack's name, never the code; a code nothing names (a pack changed since)
// is shown as it is, which the page test reports.
type labels struct {
	lang i18n.Lang
	pack *policy.Compiled // nil when the organisation has none
}

// ActionLabel names an audit action ("request.take_out" → 持ち出しの記録). Actions written
// before a rename keep their key in the catalog.
func ActionLabel(lang i18n.Lang, action string) string {
	if i18n.Has(lang, "audit.action."+action) {
		return i18n.T(lang, "audit.action."+action)
	}
	return action
}

// EntityLabel names a kind of record of the audit log ("request" → 申請).
func EntityLabel(lang i18n.Lang, entity string) string {
	if i18n.Has(lang, "audit.entity."+entity) {
		return i18n.T(lang, "audit.entity."+entity)
	}
	return entity
}

// entityPaths are the pages of the records the audit log names, by kind.
var entityPaths = map[string]string{
	"asset": "/assets/", "request": "/requests/", "incident": "/incidents/", "user": "/users/",
	"staff": "/staff/", "department": "/departments/", "audit": "/audits/", "risk": "/risks/",
	"inspection_campaign": "/self-inspections/",
	"access_review":       "/access-reviews/",
	"review":              "/reviews/", "procedure": "/procedures/",
}

// EntityRef names one record of the audit log ("request", "57" → 申請 第57号) and gives the
// page it is read on, or "" for kinds without one.
func EntityRef(lang i18n.Lang, entity, id string) (text, href string) {
	if id == "" || id == "0" {
		return EntityLabel(lang, entity), ""
	}
	key := "audit.ref." + entity
	if !i18n.Has(lang, key) {
		key = "audit.ref.other"
	}
	text = i18n.T(lang, key, EntityLabel(lang, entity), id)
	if p, ok := entityPaths[entity]; ok {
		href = p + id
	}
	return text, href
}

// Field names a path of the asset record a rule reads: "attrs.mfa" → the attribute's name,
// "class.importance" → the axis, "kind" → 種別.
func (l labels) Field(path string) string {
	head, tail, _ := strings.Cut(path, ".")
	switch head {
	case "attrs":
		if a, ok := l.attribute(tail); ok {
			return a.Name
		}
	case "class":
		axis, _, _ := strings.Cut(tail, ".")
		if l.pack != nil {
			for _, x := range l.pack.Classification.Axes {
				if x.ID == axis {
					return x.Name
				}
			}
		}
	case "department":
		return i18n.T(l.lang, "assets.field.department_id")
	case "now":
		return i18n.T(l.lang, "compliance.field.now")
	default:
		if i18n.Has(l.lang, "assets.field."+head) {
			return i18n.T(l.lang, "assets.field."+head)
		}
	}
	return path
}

// Value shows a value of the asset record at path as its reader knows it: a kind, segment,
// zone or level by its name, yes/no, a date in the page's calendar.
func (l labels) Value(path string, v any) string {
	if v == nil {
		return ""
	}
	head, tail, _ := strings.Cut(path, ".")
	s := fmt.Sprint(v)
	if b, ok := v.(bool); ok {
		if b {
			return i18n.T(l.lang, "common.yes")
		}
		return i18n.T(l.lang, "common.no")
	}
	switch head {
	case "kind":
		if i18n.Has(l.lang, "asset.kind."+s) {
			return i18n.T(l.lang, "asset.kind."+s)
		}
	case "state":
		if i18n.Has(l.lang, "asset.state."+s) {
			return i18n.T(l.lang, "asset.state."+s)
		}
	case "segment":
		if l.pack != nil {
			for _, x := range l.pack.Segments {
				if x.ID == s {
					return x.Name
				}
			}
		}
	case "zone":
		if l.pack != nil {
			for _, x := range l.pack.Zones {
				if x.ID == s {
					return x.Name
				}
			}
		}
	case "class":
		axis, _, _ := strings.Cut(tail, ".")
		if l.pack != nil {
			for _, x := range l.pack.Classification.Axes {
				for _, lv := range x.Levels {
					if x.ID == axis && lv.ID == s {
						return lv.Name
					}
				}
			}
		}
	case "now":
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return showTime(l.lang, t)
		}
	case "attrs":
		if a, ok := l.attribute(tail); ok && a.Type == "date" {
			return showDay(l.lang, s)
		}
	}
	return s
}

func (l labels) attribute(id string) (policy.Attribute, bool) {
	if l.pack != nil {
		for _, a := range l.pack.Attributes {
			if a.ID == id {
				return a, true
			}
		}
	}
	return policy.Attribute{}, false
}

// Role names a role of the pack by its id.
func (l labels) Role(id string) string {
	if l.pack != nil {
		for _, r := range l.pack.Roles {
			if r.ID == id {
				return r.Name
			}
		}
	}
	return id
}

// Rule gives a rule of the pack by its title.
func (l labels) Rule(id string) string {
	if l.pack != nil {
		for _, r := range l.pack.Rules {
			if r.ID == id {
				return r.Title
			}
		}
	}
	return id
}

// ClassRef names an "axis:level" reference of the pack (a zone's classes): the level's name.
func (l labels) ClassRef(ref string) string {
	axis, level, ok := strings.Cut(ref, ":")
	if !ok || l.pack == nil {
		return ref
	}
	if v := l.Value("class."+axis, level); v != level {
		return v
	}
	return ref
}

// Party names whom an incident route or category reports to: a contact of the pack, or a role.
func (l labels) Party(id string) string {
	if l.pack != nil {
		if c, ok := l.pack.Contact(id); ok && c.Name != "" {
			return c.Name
		}
	}
	return l.Role(id)
}
