package policy

// The program gives some roles and kinds a part of its own: the auditors read the audit log, the
// exception kind feeds the exception register, someone approves a 再発防止計画. Which roles and
// kinds those are is the pack's to say, by a mark or by name, never by the ids a pack happens to
// use.

// MarkException is the mark of the approval kind that requests an exception (Approval.Exception).
const MarkException = "exception"

// Mark returns what the pack marks the kind as, for the program's own part in it:
// MarkException, or "" for an ordinary kind.
func (a Approval) Mark() string {
	if a.Exception {
		return MarkException
	}
	return ""
}

// Approval returns the pack's approval kind by id.
func (p *Pack) Approval(id string) (Approval, bool) {
	for _, a := range p.Approvals {
		if a.ID == id {
			return a, true
		}
	}
	return Approval{}, false
}

// ExceptionKind returns the approval kind the pack marks as requesting an exception (例外措置),
// if it has one.
func (p *Pack) ExceptionKind() (Approval, bool) {
	for _, a := range p.Approvals {
		if a.Exception {
			return a, true
		}
	}
	return Approval{}, false
}

// PlanApprovers returns the roles that approve a 再発防止計画, in order, and the article they
// rest on: the steps of the pack's plan_approval kind, else its plan_approved_by.
func (p *Pack) PlanApprovers() ([]string, string) {
	if a, ok := p.Approval(p.Incident.PlanApproval); ok {
		roles := make([]string, 0, len(a.Steps))
		for _, st := range a.Steps {
			roles = append(roles, st.Role)
		}
		return roles, a.Cite.Article
	}
	if r := p.Incident.PlanApprovedBy; r != "" {
		return []string{r}, p.Incident.Cite.Article
	}
	return nil, ""
}

// marks checks the marks of roles and kinds that the program relies on.
func (c *checker) marks() {
	p := c.p
	for i, r := range p.Roles {
		if r.Auditor && r.AllStaff {
			c.add(elemPath("roles", i, r.ID)+".auditor", "a role every member of staff holds cannot be an audit role")
		}
	}
	first := ""
	for i, a := range p.Approvals {
		if !a.Exception {
			continue
		}
		path := elemPath("approvals", i, a.ID)
		if first != "" {
			c.add(path+".exception", "only one approval kind requests exceptions; %q already does", first)
		}
		first = a.ID
		for _, want := range ExceptionFields {
			found := false
			for _, f := range a.Fields {
				if f.ID == want.ID {
					found = true
					if f.Type != want.Type {
						c.add(path+".fields", "field %q of an exception kind must be of type %s, not %s", f.ID, want.Type, f.Type)
					}
				}
			}
			if !found {
				c.add(path+".fields", "an exception kind needs a field %q of type %s (the exception register reads it)", want.ID, want.Type)
			}
		}
	}
	if p.Incident.PlanApproval == "" && p.Incident.PlanApprovedBy == "" {
		c.add("incident.plan_approved_by", "name who approves a recurrence plan (再発防止計画): plan_approval (an approval kind) or plan_approved_by (a role)")
	}
}
