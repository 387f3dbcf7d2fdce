package server

import (
	"context"

	"mamori/internal/policy"
	"mamori/internal/risk"
)

// plantRisks generates the risk register of 守町 and assesses two risks, one owned by X and one
// by Y, each with a plan that only the owning department, the organisation-wide security roles
// and the auditor may read.
func (m *matrix) plantRisks(ctx context.Context) {
	_, err := m.s.Risks.Generate(ctx, m.sys)
	m.must(err, "risk generation")
	reg, err := m.s.Risks.List(ctx, m.sys, risk.Filter{})
	m.must(err, "risk register")
	if len(reg.Risks) < 2 {
		m.t.Fatalf("only %d risks generated", len(reg.Risks))
	}
	low := reg.Scales.Likelihood[0].ID
	for i, c := range []struct {
		dept   int64
		tag    string
		seenBy map[string]bool
	}{{m.deptX, "RISKX", set(staffX, secMgrX, cisoKey, auditor)}, {m.deptY, "RISKY", set(staffY, cisoKey, auditor)}} {
		r := reg.Risks[i]
		_, err := m.s.Risks.Assess(ctx, m.sys, r.ID, risk.Assessment{Likelihood: r.Likelihood, Impact: r.Impact, Treatment: policy.TreatReduce,
			Plan: m.plant("CNRY-"+c.tag+"-PLAN-Q", "risk owned by "+c.tag+": plan", c.seenBy), OwnerDepartmentID: c.dept,
			ResidualLikelihood: low, ResidualImpact: r.Impact})
		m.must(err, "risk assessment "+c.tag)
		m.addRecord("risk", r.ID, "risk owned by "+c.tag, c.seenBy)
	}
}
