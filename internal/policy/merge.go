package policy

// merge returns child laid over parent: scalar fields the child sets win; list elements are
// matched by id, the child's replacing the parent's and new ones following. Elements taken from
// the parent are marked in Inherited ("rules/id"), so that nobody mistakes a base pack's measure
// for the organisation's own words. The classification is one scheme, not a list of separate
// measures: a child that declares axes of its own (土岐市 6(2): 機密性・完全性・可用性) replaces
// the parent's axes whole, and none of the parent's is inherited.
func merge(parent, child *Pack) *Pack {
	out := *child
	out.Inherited = map[string]bool{}
	for k, v := range parent.Inherited {
		out.Inherited[k] = v
	}
	out.Roles = mergeByID(parent.Roles, child.Roles, func(r Role) string { return r.ID }, "roles", out.Inherited)
	if len(child.Classification.Axes) == 0 {
		out.Classification.Axes = mergeByID(parent.Classification.Axes, nil, func(a Axis) string { return a.ID }, "axes", out.Inherited)
	}
	out.Segments = mergeByID(parent.Segments, child.Segments, func(s Segment) string { return s.ID }, "segments", out.Inherited)
	out.Zones = mergeByID(parent.Zones, child.Zones, func(z Zone) string { return z.ID }, "zones", out.Inherited)
	out.Attributes = mergeByID(parent.Attributes, child.Attributes, func(a Attribute) string { return a.ID }, "attributes", out.Inherited)
	out.Approvals = mergeByID(parent.Approvals, child.Approvals, func(a Approval) string { return a.ID }, "approvals", out.Inherited)
	out.Logbooks = mergeByID(parent.Logbooks, child.Logbooks, func(l Logbook) string { return l.ID }, "logbooks", out.Inherited)
	out.Rules = mergeByID(parent.Rules, child.Rules, func(r Rule) string { return r.ID }, "rules", out.Inherited)
	out.Inspections = mergeByID(parent.Inspections, child.Inspections, func(i Inspection) string { return i.ID }, "inspections", out.Inherited)
	out.Clauses = mergeByID(parent.Clauses, child.Clauses, func(c Clause) string { return c.ID }, "clauses", out.Inherited)
	out.Threats = mergeByID(parent.Threats, child.Threats, func(t Threat) string { return t.ID }, "threats", out.Inherited)
	out.Pledges = mergeByID(parent.Pledges, child.Pledges, func(x Pledge) string { return x.ID }, "pledges", out.Inherited)
	out.AccessReview = mergeAccessReview(parent.AccessReview, child.AccessReview, out.Inherited)
	out.Risk = mergeRisk(parent.Risk, child.Risk, out.Inherited)

	pi, ci := parent.Incident, child.Incident
	out.Incident.ReportItems = mergeByID(pi.ReportItems, ci.ReportItems, func(f Field) string { return f.ID }, "incident.report_items", out.Inherited)
	out.Incident.Triage = mergeByID(pi.Triage, ci.Triage, func(t TriageStep) string { return t.ID }, "incident.triage", out.Inherited)
	out.Incident.Categories = mergeByID(pi.Categories, ci.Categories, func(c Category) string { return c.ID }, "incident.categories", out.Inherited)
	out.Incident.Contacts = mergeByID(pi.Contacts, ci.Contacts, func(c Contact) string { return c.ID }, "incident.contacts", out.Inherited)
	out.Incident.Routes = mergeByID(pi.Routes, ci.Routes, func(r Route) string { return r.ID }, "incident.routes", out.Inherited)
	out.Incident.Measures = mergeByID(pi.Measures, ci.Measures, func(m Measure) string { return m.ID }, "incident.measures", out.Inherited)
	if ci.Publication == nil && pi.Publication != nil {
		out.Incident.Publication = pi.Publication
		out.Inherited["incident.publication"] = true
	}
	if ci.Cite.Article == "" {
		out.Incident.Cite = pi.Cite
	}
	if len(ci.FirstRecipients) == 0 {
		out.Incident.FirstRecipients = pi.FirstRecipients
	}
	if len(ci.MemberReportsTo) == 0 {
		out.Incident.MemberReportsTo = pi.MemberReportsTo
	}
	if ci.PlanApproval == "" && ci.PlanApprovedBy == "" {
		out.Incident.PlanApproval, out.Incident.PlanApprovedBy = pi.PlanApproval, pi.PlanApprovedBy
	}
	out.Training = mergeTraining(parent.Training, child.Training, out.Inherited)
	if len(child.Review.DecidedBy) == 0 && len(parent.Review.DecidedBy) > 0 {
		out.Review = parent.Review
		out.Inherited["review"] = true
	}
	if !child.Accounts.Defined() && parent.Accounts.Defined() {
		out.Accounts = parent.Accounts
		out.Inherited["accounts"] = true
	}
	if out.Auth.LockoutAfterFailures == 0 {
		out.Auth.LockoutAfterFailures = parent.Auth.LockoutAfterFailures
	}
	// A pack that says nothing of its login rules keeps its parent's, with the article they
	// rest on and the parent's notes.
	if out.Auth.Cite.Article == "" && parent.Auth.Cite.Article != "" {
		out.Auth.Cite = parent.Auth.Cite
		out.Inherited["auth"] = true
	}
	if len(out.Auth.Notes) == 0 {
		out.Auth.Notes = parent.Auth.Notes
	}
	if out.Auth.PasswordMinLength == 0 {
		out.Auth.PasswordMinLength = parent.Auth.PasswordMinLength
	}
	if len(out.Auth.MFARoles) == 0 && len(parent.Auth.MFARoles) > 0 {
		out.Auth.MFARoles, out.Auth.MFACite = parent.Auth.MFARoles, parent.Auth.MFACite
		out.Inherited["auth/mfa"] = true
	}
	if out.Auth.Unlock == "" && parent.Auth.Unlock != "" {
		out.Auth.Unlock, out.Auth.UnlockAfterMinutes, out.Auth.UnlockCite = parent.Auth.Unlock, parent.Auth.UnlockAfterMinutes, parent.Auth.UnlockCite
		out.Inherited["auth/unlock"] = true
	}
	// A pack laid over another without a source of its own reads the same source: it keeps its
	// parent's index of articles.
	if len(out.Articles) == 0 && (out.Source == "" || out.Source == parent.Source) {
		out.Articles = parent.Articles
	}
	if out.Kind == "" {
		out.Kind = parent.Kind
	}
	return &out
}

func mergeByID[T any](parent, child []T, id func(T) string, kind string, inherited map[string]bool) []T {
	own := map[string]bool{}
	for _, c := range child {
		own[id(c)] = true
	}
	var out []T
	for _, p := range parent {
		if !own[id(p)] {
			out = append(out, p)
			inherited[kind+"/"+id(p)] = true
		}
	}
	return append(out, child...)
}
