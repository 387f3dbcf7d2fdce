package server

import (
	"context"
	"strconv"

	"mamori/internal/inspection"
)

// Self-inspection in the authorization matrix: a campaign started by the CISO, 住民課's sheet
// answered and submitted by its security manager and 税務課's answered by its own, each with a
// comment and an evidence file whose name carries a canary. A sheet is read by its department's
// security manager, the organisation-wide security roles and auditors; a campaign by those who
// read one of its sheets.

var (
	seesXSheet   = set(secMgrX, cisoKey, auditor)
	seesYSheet   = set(cisoKey, auditor)
	seesCampaign = set(secMgrX, cisoKey, auditor)
)

func (m *matrix) plantInspections(ctx context.Context) {
	ciso := m.actAs("fuku-chocho")
	c, err := m.s.Inspections.Start(ctx, ciso, inspection.NewCampaign{FiscalYear: 2026, Title: "令和8年度 自己点検", Deadline: "2026-05-31"})
	m.must(err, "campaign")
	m.addRecord("campaign", c.ID, "the self-inspection campaign", seesCampaign)
	pr, err := m.s.Inspections.Campaign(ctx, ciso, c.ID)
	m.must(err, "campaign progress")
	answer := func(login string, dept int64, tag, what string, seenBy map[string]bool, submit bool) {
		who := m.actAs(login)
		for _, sh := range pr.Sheets {
			if sh.DepartmentID != dept {
				continue
			}
			v, err := m.s.Inspections.View(ctx, who, c.ID, sh.ID)
			m.must(err, "sheet "+what)
			var given []inspection.Given
			for i, a := range v.Answers {
				g := inspection.Given{Seq: a.Item.Seq, Answer: inspection.Done}
				if i == 0 {
					g.Answer, g.Comment = inspection.NotDone, m.plant("CNRY-INSP-"+tag+"-COMMENT-Q", what+": comment", seenBy)
					g.Evidence = &inspection.NewEvidence{Name: m.plant("CNRY-INSP-"+tag+"-FILE-Q", what+": evidence name", seenBy) + ".txt",
						Body: []byte(m.plant("CNRY-INSP-"+tag+"-BODY-Q", what+": evidence content", seenBy))}
				}
				given = append(given, g)
			}
			v, err = m.s.Inspections.Save(ctx, who, c.ID, sh.ID, given)
			m.must(err, "answers "+what)
			m.addRecord("sheet", sh.ID, what, seenBy)
			m.addRecord("evidence", v.Answers[0].EvidenceID, what+": evidence", seenBy)
			if submit {
				_, err = m.s.Inspections.Submit(ctx, who, c.ID, sh.ID)
				m.must(err, "submit "+what)
			}
		}
	}
	answer("jumin-kacho", m.deptX, "X", "住民課's self-inspection sheet", seesXSheet, true)
	answer("zeimu-kacho", m.deptY, "Y", "税務課's self-inspection sheet", seesYSheet, false)
	found, err := m.s.Inspections.Findings(ctx, ciso, inspection.FindingFilter{})
	m.must(err, "findings")
	for _, f := range found {
		m.addRecord("inspection_finding", f.ID, "finding "+strconv.FormatInt(f.ID, 10)+" of 住民課's sheet", seesXSheet)
	}
	for _, kind := range []string{"campaign", "sheet", "inspection_finding"} {
		m.addParam(kind, "987654", "an id that names nothing")
	}
}
