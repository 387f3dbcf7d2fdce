package policy

import (
	"fmt"
	"slices"
	"strings"
)

// compilePack validates a merged pack and compiles its expressions.
func compilePack(p *Pack, file string) (*Compiled, Problems) {
	c := &checker{p: p, file: file}
	inh := func(key string) bool { return p.Inherited[key] }

	if !packIDPattern.MatchString(p.ID) {
		c.add("id", "pack id %q must be lower-case letters, digits or '-'", p.ID)
	}
	if strings.TrimSpace(p.Name) == "" {
		c.add("name", "name is missing")
	}
	if !oneOf(packKinds, p.Kind) {
		c.add("kind", "kind %q is not one of %s", p.Kind, strings.Join(packKinds, ", "))
	}
	if strings.TrimSpace(p.Version) == "" {
		c.add("version", "version is missing (the revision as the source states it)")
	}
	if p.Source == "" && p.Basis == "" && p.Extends == "" {
		c.add("source", "a pack names its source text, or (a base pack) its basis")
	}

	seen, dutyIDs := map[string]bool{}, map[string]bool{}
	for i, r := range p.Roles {
		path := elemPath("roles", i, r.ID)
		c.id(path, r.ID, seen)
		if r.Name == "" {
			c.add(path+".name", "name is missing")
		}
		if !oneOf(roleScopes, r.Scope) {
			c.add(path+".scope", "scope %q is not one of %s", r.Scope, strings.Join(roleScopes, ", "))
		}
		if r.Security && r.AllStaff {
			c.add(path+".security", "a role every member of staff holds cannot be a security role")
		}
		for j, a := range r.Acting {
			c.roleRef(fmt.Sprintf("%s.acting[%d]", path, j), a)
		}
		c.cite(path, r.Cite, inh("roles/"+r.ID))
		for j, d := range r.Duties {
			dp := fmt.Sprintf("%s.duties[%d]", path, j)
			if d.Text == "" {
				c.add(dp+".text", "text is missing")
			}
			c.duty(dp, d, dutyIDs, inh("roles/"+r.ID))
		}
	}

	seen = map[string]bool{}
	for i, a := range p.Classification.Axes {
		path := elemPath("classification.axes", i, a.ID)
		c.id(path, a.ID, seen)
		c.cite(path, a.Cite, inh("axes/"+a.ID))
		if len(a.Levels) == 0 {
			c.add(path+".levels", "an axis needs levels")
		}
		lseen, ranks := map[string]bool{}, map[int]bool{}
		for j, l := range a.Levels {
			lp := fmt.Sprintf("%s.levels[%d]", path, j)
			if l.ID == "" || lseen[l.ID] {
				c.add(lp+".id", "level id %q is missing or used twice", l.ID)
			}
			lseen[l.ID] = true
			if l.Rank <= 0 || ranks[l.Rank] {
				c.add(lp+".rank", "rank %d must be positive and unique on the axis", l.Rank)
			}
			ranks[l.Rank] = true
			if l.Name == "" {
				c.add(lp+".name", "name is missing")
			}
			c.cite(lp, l.Cite, inh("axes/"+a.ID))
		}
	}

	seen = map[string]bool{}
	for i, s := range p.Segments {
		path := elemPath("segments", i, s.ID)
		c.id(path, s.ID, seen)
		if !oneOf(segmentIDs, s.ID) {
			c.add(path+".id", "segment %q is not one of %s", s.ID, strings.Join(segmentIDs, ", "))
		}
		c.cite(path, s.Cite, inh("segments/"+s.ID))
	}

	seen = map[string]bool{}
	for i, z := range p.Zones {
		path := elemPath("zones", i, z.ID)
		c.id(path, z.ID, seen)
		for j, ref := range z.Use {
			c.levelRef(fmt.Sprintf("%s.use[%d]", path, j), ref)
		}
		for j, ref := range z.Store {
			c.levelRef(fmt.Sprintf("%s.store[%d]", path, j), ref)
		}
		c.cite(path, z.Cite, inh("zones/"+z.ID))
	}

	seen = map[string]bool{}
	for i, a := range p.Attributes {
		path := elemPath("attributes", i, a.ID)
		c.id(path, a.ID, seen)
		if !oneOf(attrTypes, a.Type) {
			c.add(path+".type", "type %q is not one of %s", a.Type, strings.Join(attrTypes, ", "))
		}
		if a.Type == "enum" && len(a.Values) == 0 {
			c.add(path+".values", "an enum attribute needs values")
		}
		if _, ok := recordTypes[a.On]; !ok {
			c.add(path+".on", "record %q is unknown", a.On)
		}
	}

	out := &Compiled{Pack: p, File: file, RuleRequire: map[string]*Program{}, RuleWhen: map[string]*Program{}, ApprovalWhen: map[string]*Program{}}

	seen = map[string]bool{}
	for i, a := range p.Approvals {
		path := elemPath("approvals", i, a.ID)
		c.id(path, a.ID, seen)
		if a.Name == "" {
			c.add(path+".name", "name is missing")
		}
		if !oneOf(subjects, a.Subject) {
			c.add(path+".subject", "subject %q is not one of %s", a.Subject, strings.Join(subjects, ", "))
		}
		if a.When != "" {
			if a.Subject != "asset" {
				c.add(path+".when", "a condition needs an asset subject")
			} else if prg, err := compile("asset", a.When, p); err != nil {
				c.add(path+".when", "%v", err)
			} else {
				out.ApprovalWhen[a.ID] = prg
			}
		}
		if len(a.Steps) == 0 {
			c.add(path+".steps", "an approval needs at least one step")
		}
		for j, s := range a.Steps {
			sp := fmt.Sprintf("%s.steps[%d]", path, j)
			if len(s.Or) > 0 && len(s.And) > 0 {
				c.add(sp, "a step is decided by any one of its roles (or) or by all of them (and), not both")
			}
			for k, d := range s.Deciders() {
				dp := sp
				switch {
				case k > len(s.Or):
					dp = fmt.Sprintf("%s.and[%d]", sp, k-1-len(s.Or))
				case k > 0:
					dp = fmt.Sprintf("%s.or[%d]", sp, k-1)
				}
				c.decider(dp, d.Role, d.Of, a.Subject)
			}
		}
		c.approvalLife(path, a)
		c.lifeLog(path, a, inh("approvals/"+a.ID))
		own := func(string) bool { return inh("approvals/" + a.ID) }
		c.fields(path+".fields", a.Fields, own)
		for j, s := range a.Steps {
			c.optionalCite(fmt.Sprintf("%s.steps[%d]", path, j), s.Cite, inh("approvals/"+a.ID))
		}
		c.deadlines(path, a, inh("approvals/"+a.ID))
		c.cite(path, a.Cite, inh("approvals/"+a.ID))
	}

	seen = map[string]bool{}
	for i, l := range p.Logbooks {
		path := elemPath("logbooks", i, l.ID)
		c.id(path, l.ID, seen)
		if len(l.Fields) == 0 {
			c.add(path+".fields", "a logbook needs fields")
		}
		c.fields(path+".fields", l.Fields, func(string) bool { return inh("logbooks/" + l.ID) })
		c.roleRef(path+".kept_by", l.KeptBy)
		c.cite(path, l.Cite, inh("logbooks/"+l.ID))
	}

	c.incident()
	c.review()
	c.pledges()
	c.training()
	c.notes()
	c.articles()
	c.categoryLabels()
	c.marks()
	c.accounts(out)

	seen = map[string]bool{}
	for i, r := range p.Rules {
		path := elemPath("rules", i, r.ID)
		c.id(path, r.ID, seen)
		if r.Title == "" {
			c.add(path+".title", "title is missing")
		}
		if !oneOf(severities, r.Severity) {
			c.add(path+".severity", "severity %q is not one of %s", r.Severity, strings.Join(severities, ", "))
		}
		if _, ok := recordTypes[r.On]; !ok {
			c.add(path+".on", "record %q is unknown", r.On)
		} else {
			if r.When != "" {
				if prg, err := compile(r.On, r.When, p); err != nil {
					c.add(path+".when", "%v", err)
				} else {
					out.RuleWhen[r.ID] = prg
				}
			}
			if r.Require == "" {
				c.add(path+".require", "require is missing")
			} else if prg, err := compile(r.On, r.Require, p); err != nil {
				c.add(path+".require", "%v", err)
			} else {
				out.RuleRequire[r.ID] = prg
			}
		}
		c.cite(path, r.Cite, inh("rules/"+r.ID))
	}

	seen = map[string]bool{}
	for i, x := range p.Inspections {
		path := elemPath("inspections", i, x.ID)
		c.id(path, x.ID, seen)
		if x.Question == "" {
			c.add(path+".question", "question is missing")
		}
		c.roleRef(path+".role", x.Role)
		c.cite(path, x.Cite, inh("inspections/"+x.ID))
	}
	seen = map[string]bool{}
	for i, x := range p.Clauses {
		path := elemPath("clauses", i, x.ID)
		c.id(path, x.ID, seen)
		if x.Text == "" {
			c.add(path+".text", "text is missing")
		}
		c.cite(path, x.Cite, inh("clauses/"+x.ID))
	}
	seen = map[string]bool{}
	for i, x := range p.Threats {
		path := elemPath("threats", i, x.ID)
		c.id(path, x.ID, seen)
		c.cite(path, x.Cite, inh("threats/"+x.ID))
	}
	c.accessReview()
	c.risk()

	if p.Auth.LockoutAfterFailures < 0 {
		c.add("auth.lockout_after_failures", "must not be negative")
	}
	if p.Auth.PasswordMinLength != 0 && p.Auth.PasswordMinLength < 8 {
		c.add("auth.password_min_length", "must be at least 8")
	}
	seenMFA := map[string]bool{}
	for i, r := range p.Auth.MFARoles {
		path := fmt.Sprintf("auth.mfa_roles[%d]", i)
		if r == "" {
			c.add(path, "role is missing")
		} else if seenMFA[r] {
			c.add(path, "role %q is named twice", r)
		}
		seenMFA[r] = true
		c.roleRef(path, r)
	}
	if len(p.Auth.MFARoles) > 0 {
		c.cite("auth.mfa", p.Auth.MFACite, inh("auth/mfa"))
	}
	switch p.Auth.Unlock {
	case "", UnlockByAdmin:
		if p.Auth.UnlockAfterMinutes != 0 {
			c.add("auth.unlock_after_minutes", "is only for unlock: %s", UnlockAfter)
		}
	case UnlockAfter:
		if p.Auth.UnlockAfterMinutes < 1 || p.Auth.UnlockAfterMinutes > MaxUnlockAfterMinutes {
			c.add("auth.unlock_after_minutes", "must be 1 to %d minutes with unlock: %s", MaxUnlockAfterMinutes, UnlockAfter)
		}
	default:
		c.add("auth.unlock", "unlock %q is not %s or %s", p.Auth.Unlock, UnlockByAdmin, UnlockAfter)
	}
	if p.Auth.Unlock != "" {
		c.cite("auth.unlock", p.Auth.UnlockCite, inh("auth/unlock"))
	}
	if p.Auth.LockoutAfterFailures > 0 {
		c.cite("auth", p.Auth.Cite, false)
	}

	if len(c.problems) > 0 {
		return nil, c.problems
	}
	return out, nil
}

// decider checks a role over a scope that decides a step or receives a notice.
func (c *checker) decider(path, role, of, subject string) {
	if role == "" {
		c.add(path+".role", "role is missing")
	}
	c.roleRef(path+".role", role)
	switch {
	case !oneOf(stepScopes, of):
		c.add(path+".of", "of %q is not one of %s", of, strings.Join(stepScopes, ", "))
	case subject != "asset" && (of == "subject_department" || of == "system"):
		c.add(path+".of", "of %q needs an asset subject", of)
	}
}

// approvalLife checks what an approval does after it is given: returns, effects, reports
// after the fact and notices.
func (c *checker) approvalLife(path string, a Approval) {
	if a.Effect != "" && !oneOf(Effects, a.Effect) {
		c.add(path+".effect", "effect %q is not one of %s", a.Effect, strings.Join(Effects, ", "))
	}
	if a.Effect != "" && a.Subject != "asset" {
		c.add(path+".effect", "an effect needs an asset subject")
	}
	returning := a.Effect == "take_out" || a.Effect == "lend"
	if returning && !a.Returnable {
		c.add(path+".effect", "effect %q needs returnable: true", a.Effect)
	}
	if a.Returnable {
		if a.Effect == "dispose" {
			c.add(path+".effect", "a returnable approval cannot dispose of its asset")
		}
		due := -1
		for i, f := range a.Fields {
			if f.ID == a.DueField {
				due = i
			}
		}
		switch {
		case a.DueField == "":
		case due < 0:
			c.add(path+".due_field", "no field %q", a.DueField)
		case a.Fields[due].Type != "date":
			c.add(path+".due_field", "field %q is not a date", a.DueField)
		}
	} else if a.DueField != "" {
		c.add(path+".due_field", "only a returnable approval has a due date")
	}
	if a.ReportWithinDays < 0 || a.ReportWithinDays > 365 {
		c.add(path+".report_within_days", "must be between 1 and 365")
	}
	if a.MaxDays < 0 || a.MaxDays > 3650 {
		c.add(path+".max_days", "must be between 1 and 3650")
	}
	if !a.PostHoc && a.ReportWithinDays != 0 {
		c.add(path+".report_within_days", "only an approval given after the fact (post_hoc) has a report deadline")
	}
	for i, n := range a.NotifyAfter {
		np := fmt.Sprintf("%s.notify_after[%d]", path, i)
		c.decider(np, n.Role, n.Of, a.Subject)
		c.cite(np, n.Cite, c.p.Inherited["approvals/"+a.ID])
	}
}

func (c *checker) incident() {
	p := c.p
	inh := func(key string) bool { return p.Inherited[key] }
	c.fields("incident.report_items", p.Incident.ReportItems, func(id string) bool { return inh("incident.report_items/" + id) })
	seen := map[string]bool{}
	for i, ct := range p.Incident.Contacts {
		path := elemPath("incident.contacts", i, ct.ID)
		c.id(path, ct.ID, seen)
		c.roleRef(path+".role", ct.Role)
		c.cite(path, ct.Cite, inh("incident.contacts/"+ct.ID))
	}
	seen = map[string]bool{}
	for i, t := range p.Incident.Triage {
		path := elemPath("incident.triage", i, t.ID)
		c.id(path, t.ID, seen)
		c.roleRef(path+".by", t.By)
		c.cite(path, t.Cite, inh("incident.triage/"+t.ID))
	}
	seen = map[string]bool{}
	for i, cat := range p.Incident.Categories {
		path := elemPath("incident.categories", i, cat.ID)
		c.id(path, cat.ID, seen)
		for j, n := range cat.Notify {
			if !p.contact(n) {
				c.add(fmt.Sprintf("%s.notify[%d]", path, j), "unknown contact %q", n)
			}
		}
		if cat.From != "" && !p.contact(cat.From) {
			c.add(path+".from", "unknown contact %q", cat.From)
		}
		if cat.WithinMinutes < 0 || cat.WithinMinutes > 60*24*90 {
			c.add(path+".within_minutes", "must be between 1 and 129600 (90 days)")
		}
		c.cite(path, cat.Cite, inh("incident.categories/"+cat.ID))
	}
	seen = map[string]bool{}
	for i, r := range p.Incident.Routes {
		path := elemPath("incident.routes", i, r.ID)
		c.id(path, r.ID, seen)
		if len(r.Steps) == 0 {
			c.add(path+".steps", "a route needs steps")
		}
		for j, s := range r.Steps {
			sp := fmt.Sprintf("%s.steps[%d]", path, j)
			if !p.contact(s.From) {
				c.add(sp+".from", "unknown contact %q", s.From)
			}
			for k, to := range s.To {
				if !p.contact(to) {
					c.add(fmt.Sprintf("%s.to[%d]", sp, k), "unknown contact %q", to)
				}
			}
			if s.WithinMinutes < 0 || s.WithinMinutes > 60*24*90 {
				c.add(sp+".within_minutes", "must be between 1 and 129600 (90 days)")
			}
			c.optionalCite(sp, s.Cite, inh("incident.routes/"+r.ID))
		}
		c.cite(path, r.Cite, inh("incident.routes/"+r.ID))
	}
	seen = map[string]bool{}
	for i, m := range p.Incident.Measures {
		path := elemPath("incident.measures", i, m.ID)
		c.id(path, m.ID, seen)
		if len(m.Conditions) == 0 {
			c.add(path+".conditions", "a measure needs the conditions it is taken under")
		}
		c.roleRef(path+".decided_by", m.DecidedBy)
		if len(m.Or) > 0 && m.DecidedBy == "" {
			c.add(path+".or", "name decided_by before the roles that may take the measure instead")
		}
		for j, r := range m.Or {
			rp := fmt.Sprintf("%s.or[%d]", path, j)
			switch {
			case r == "":
				c.add(rp, "role is missing")
			case r == m.DecidedBy || slices.Contains(m.Or[:j], r):
				c.add(rp, "role %q is named twice", r)
			default:
				c.roleRef(rp, r)
			}
		}
		c.cite(path, m.Cite, inh("incident.measures/"+m.ID))
	}
	for i, id := range p.Incident.FirstRecipients {
		if !p.contact(id) {
			c.add(fmt.Sprintf("incident.first_recipients[%d]", i), "unknown contact %q", id)
		}
	}
	for i, id := range p.Incident.MemberReportsTo {
		c.roleRef(fmt.Sprintf("incident.member_reports_to[%d]", i), id)
	}
	if a := p.Incident.PlanApproval; a != "" && !slices.ContainsFunc(p.Approvals, func(x Approval) bool { return x.ID == a }) {
		c.add("incident.plan_approval", "unknown approval %q", a)
	}
	c.roleRef("incident.plan_approved_by", p.Incident.PlanApprovedBy)
	if pub := p.Incident.Publication; pub != nil {
		c.roleRef("incident.publication.decided_by", pub.DecidedBy)
		c.cite("incident.publication", pub.Cite, inh("incident.publication"))
	}
}

// deadlines checks that a report deadline and an exception's longest period — the pack's own
// or the program's default — say what they rest on: the deadlines the sources leave open
// (事後速やかに) are the organisation's choice and are marked so.
func (c *checker) deadlines(path string, a Approval, inherited bool) {
	if a.PostHoc {
		if a.ReportWithinCite == (Cite{}) {
			c.add(path+".report_within_cite", "say what the report deadline rests on: an article, or origin: %s with a reason", OriginAdded)
		} else {
			c.origin(path+".report_within_cite", a.ReportWithinCite, inherited)
		}
	}
	if a.Exception {
		if a.MaxDaysCite == (Cite{}) {
			c.add(path+".max_days_cite", "say what the longest period rests on: an article, or origin: %s with a reason", OriginAdded)
		} else {
			c.origin(path+".max_days_cite", a.MaxDaysCite, inherited)
		}
	}
}

// notes checks the pack's notes about its source: each names its articles, what the source
// says or lacks and what the pack does, and quotes the source where the pack has one.
func (c *checker) notes() {
	seen := map[string]bool{}
	for i, n := range c.p.Notes {
		path := elemPath("notes", i, n.ID)
		c.id(path, n.ID, seen)
		if strings.TrimSpace(n.Article) == "" {
			c.add(path+".article", "a note names the articles it is about")
		}
		if strings.TrimSpace(n.Issue) == "" {
			c.add(path+".issue", "a note says what the source says or lacks")
		}
		if strings.TrimSpace(n.Action) == "" {
			c.add(path+".action", "a note says what the pack does about it")
		}
		if c.p.Source != "" && strings.TrimSpace(n.Quote) == "" {
			c.add(path+".quote", "a note quotes the source's words")
		}
	}
}

// elemPath names an element by its id where it has one ("rules[mfa]"), so that the path points
// into the author's own file even after merging with a base pack; by index otherwise.
func elemPath(kind string, i int, id string) string {
	if id != "" {
		return kind + "[" + id + "]"
	}
	return fmt.Sprintf("%s[%d]", kind, i)
}
