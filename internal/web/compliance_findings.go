package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/compliance"
	"mamori/internal/inspection"
	"mamori/internal/org"
)

// The findings (指摘事項) the user may see, filtered by rule, severity, department and state,
// each with the rule's article and the source's words, the values that failed, the owning
// department and the day it was first seen; the values of a restricted asset are withheld.

type findingsData struct {
	Rows       []compliance.Shown
	Total      int
	Pager      pager
	Rules      []compliance.RuleCompliance
	Severities []string
	States     []string
	Tree       []org.Department
	Q          map[string]string
	// Inspection are the open findings of self-inspection answers (自己点検), shown with these.
	Inspection []inspection.Finding
}

const findingsPageSize = 50

func (w *Server) complianceFindings(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	q := r.URL.Query()
	n, offset := pageQuery(r, findingsPageSize)
	f := compliance.Filter{RuleID: q.Get("rule"), MinSeverity: q.Get("severity"), State: q.Get("state"), Limit: findingsPageSize, Offset: offset}
	if f.State == "" {
		f.State = "open"
	}
	f.DepartmentID, _ = strconv.ParseInt(q.Get("department_id"), 10, 64)
	list, total, err := w.s.Compliance.Findings(ctx, who, f)
	status, invalid := http.StatusOK, err
	if apperr.CodeOf(err) == apperr.Invalid {
		// A state or severity the list does not know is named over an empty list.
		status, err = http.StatusUnprocessableEntity, nil
	} else {
		invalid = nil
	}
	if err != nil {
		return err
	}
	d := findingsData{Rows: list, Total: total, Pager: newPager(r, n, findingsPageSize, total), Severities: compliance.Severities, States: compliance.States,
		Q: map[string]string{"rule": f.RuleID, "severity": f.MinSeverity, "state": f.State, "department_id": q.Get("department_id")}}
	if d.Rules, err = w.s.Compliance.ByRule(ctx, who); err != nil {
		return err
	}
	if _, d.Tree, err = w.departmentNames(ctx, who); err != nil {
		return err
	}
	if d.Inspection, err = w.s.Inspections.Findings(ctx, who, inspection.FindingFilter{Limit: 500}); err != nil {
		return err
	}
	p := w.newPage(r, "compliance.findings.title", "compliance")
	p.Crumbs = []crumb{{p.T("compliance.title"), "/compliance"}}
	if invalid != nil {
		p.withErrors(invalid)
	}
	p.Data = d
	w.render(rw, r, status, "compliance_findings", p)
	return nil
}
