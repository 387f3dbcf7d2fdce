package server

import (
	"context"

	"mamori/internal/org"
	"mamori/internal/pledge"
)

// The matrix's pledges (同意書・誓約書, the base pack's through 土岐市's): a 非常勤職員 of 住民課
// whose paper pledge the CISO recorded with its scan. A person's pledges are read by the person,
// the department's 課長 (住民課's security officer), the organisation-wide security roles, the
// platform administrator and the auditors — not by the department's other staff, not by the
// ネットワーク管理者, and not by 隣村.
var seesXPledge = set(secMgrX, cisoKey, auditor, platform)

func (m *matrix) plantPledges(ctx context.Context) {
	st, err := m.s.Org.CreateStaff(ctx, m.sys, org.StaffInput{DepartmentID: m.deptX, EmployeeNo: "P-1", Name: "住民 臨時",
		Title: "非常勤職員", Employment: "part_time", Active: true})
	m.must(err, "part-time staff")
	g, err := m.s.Pledges.RecordPaper(ctx, m.actAs("fuku-chocho"), pledge.PaperInput{PledgeID: "nonregular-consent", StaffID: st.ID,
		SignedOn: "2026-04-01", Scan: pledge.Upload{Name: m.plant("CNRY-PLEDGE-NAME-Q", "the paper pledge: scan name", seesXPledge) + ".pdf",
			Body: []byte("%PDF-1.4\n" + m.plant("CNRY-PLEDGE-SCAN-Q", "the paper pledge: scan", seesXPledge))}})
	m.must(err, "paper pledge")
	m.addRecord("pledge_signature", g.ID, "住民課's paper pledge", seesXPledge)
	m.addParam("pledge", "nonregular-consent", "the base pack's pledge")
	m.addParam("pledge", "nope", "a pledge the pack lacks")
}
