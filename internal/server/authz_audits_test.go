package server

import (
	"context"

	"mamori/internal/audit"
)

// The 情報セキュリティ監査 in the matrix: an audit of Y by X's member of staff (independent of
// Y), with an item and its evidence, a finding, its corrective action and a draft report. The
// team, the auditors and the CISO read it whole; Y's staff read the audit and Y's findings and
// corrective actions; nobody else reads anything of it.
var (
	seesYAudit     = set(staffX, staffY, cisoKey, auditor)
	seesYAuditWork = set(staffX, cisoKey, auditor)
	seesYAuditPlan = set(staffX, staffY, secMgrX, cisoKey, auditor, platform, netAdmin)
)

func init() {
	paramKinds["audits/{id}"] = "audit"
	paramKinds["items/{item}"] = "audit_item"
	paramKinds["findings/{finding}"] = "audit_finding"
	paramKinds["actions/{action}"] = "audit_action"
	paramKinds["audit-plans/{id}"] = "audit_plan"
}

func (m *matrix) plantAudits(ctx context.Context) {
	a := m.s.Audits
	p, err := m.s.Policy.Required(ctx, m.org1)
	m.must(err, "pack")
	crit := audit.Articles(p)[0]
	d, err := a.Create(ctx, m.sys, audit.NewAudit{Title: m.plant("CNRY-AUD-TITLE-Q", "Y's audit: title", seesYAudit), Criteria: []string{crit},
		StartsOn: "2026-04-01", EndsOn: "2026-06-30", Departments: []int64{m.deptY}, Auditors: []int64{m.stXID}})
	m.must(err, "audit")
	it, err := a.AddItem(ctx, m.sys, d.ID, audit.NewItem{Title: m.plant("CNRY-AUD-ITEM-Q", "Y's audit: item", seesYAuditWork), Article: crit,
		Method: "document"})
	m.must(err, "audit item")
	_, err = a.RecordResult(ctx, m.sys, d.ID, it.ID, audit.ResultInput{Result: "minor", Note: m.plant("CNRY-AUD-NOTE-Q", "Y's audit: result note", seesYAuditWork),
		Evidence: []audit.NewEvidence{{Name: "memo.txt", Body: []byte(m.plant("CNRY-AUD-EVIDENCE-Q", "Y's audit: item evidence", seesYAuditWork))}}})
	m.must(err, "audit result")
	f, err := a.AddFinding(ctx, m.sys, d.ID, audit.NewFinding{ItemID: it.ID, Title: m.plant("CNRY-AUD-FINDING-Q", "Y's audit: finding", seesYAudit),
		RootCause: m.plant("CNRY-AUD-CAUSE-Q", "Y's audit: root cause", seesYAudit)})
	m.must(err, "audit finding")
	c, err := a.PlanAction(ctx, m.sys, d.ID, f.ID, audit.NewAction{Plan: m.plant("CNRY-AUD-ACTION-Q", "Y's audit: corrective action", seesYAudit),
		OwnerStaffID: m.stYID, DueOn: "2026-05-31"})
	m.must(err, "corrective action")
	_, err = a.SaveReport(ctx, m.sys, d.ID, audit.ReportInput{Opinion: m.plant("CNRY-AUD-DRAFT-Q", "Y's audit: draft report", seesYAuditWork)})
	m.must(err, "draft report")
	// A plan names departments and timing, no finding: the organisation's people read it.
	pl, err := a.CreatePlan(ctx, m.sys, audit.NewPlan{Kind: audit.PlanAnnual, FromYear: 2026, Title: "年度監査計画",
		Aims: m.plant("CNRY-AUD-PLAN-Q", "the year's audit plan", seesYAuditPlan), Departments: []int64{m.deptY}})
	m.must(err, "audit plan")
	m.addRecord("audit_plan", pl.ID, "the year's audit plan", seesYAuditPlan)
	m.addRecord("audit", d.ID, "Y's audit", seesYAudit)
	m.addRecord("audit_item", it.ID, "Y's audit item", seesYAuditWork)
	m.addRecord("audit_finding", f.ID, "Y's audit finding", seesYAudit)
	m.addRecord("audit_action", c.ID, "Y's corrective action", seesYAudit)
	for _, k := range []string{"audit", "audit_item", "audit_finding", "audit_action", "audit_plan"} {
		m.addParam(k, "987654", "an id that names nothing")
	}
}
