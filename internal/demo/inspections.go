package demo

import (
	"fmt"
	"slices"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
	"mamori/internal/org"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
)

// The demo's 自己点検: last fiscal year's campaign, answered by every sheet's answerer, submitted
// and closed, its findings partly put right (one still open, overdue); and this year's campaign
// in progress — started two weeks ago, due in two weeks — with some sheets submitted (their 未実施
// answers now findings), some half answered, some not begun, and one sheet sent back (差戻し).
// The acts are done through inspection.Service as the people who do them, on a clock set to
// their time.

// insBuilder runs the demo campaigns of one organisation.
type insBuilder struct {
	*builder
	now       time.Time
	people    []access.Actor // members holding a role, with today's grants and the pack's marks
	steward   access.Actor   // a holder of an organisation-wide security role, else the system
	answering []string       // the roles that answer a department's sheet
}

func (b *builder) inspections(p *policy.Compiled) error {
	if len(p.Inspections) == 0 {
		return nil
	}
	ib := &insBuilder{builder: b, now: clockNow(b.s.Inspections.Now), steward: b.sys, answering: inspection.AnsweringRoles(p)}
	if err := ib.signIn(p); err != nil {
		return err
	}
	if err := ib.lastYear(); err != nil {
		return fmt.Errorf("demo inspection of last year: %w", err)
	}
	if err := ib.thisYear(); err != nil {
		return fmt.Errorf("demo inspection of this year: %w", err)
	}
	return nil
}

func clockNow(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

func (ib *insBuilder) signIn(p *policy.Compiled) error {
	day := ib.now.In(i18n.Tokyo).Format(time.DateOnly)
	marks := orgpolicy.MarksOf(p)
	for _, m := range ib.members {
		if len(m.roles) == 0 {
			continue
		}
		grants, err := org.GrantsOf(ib.ctx, ib.s.DB.SQL, ib.sys.OrgID, m.id, day)
		if err != nil {
			return err
		}
		for i, g := range grants {
			grants[i] = g.Marked(marks[g.RoleID])
		}
		a := access.Actor{OrgID: ib.sys.OrgID, StaffID: m.id, DepartmentID: ib.depts[m.dept], Login: "demo-" + m.login, Name: m.name, Roles: grants}
		ib.people = append(ib.people, a)
		for _, g := range grants {
			if r, ok := p.Role(g.RoleID); ok && ib.steward.StaffID == 0 && g.Scope == "organization" && r.Security && !r.AllStaff {
				ib.steward = a
			}
		}
	}
	return nil
}

// at is the inspection service on a clock at t.
func (ib *insBuilder) at(t time.Time) *inspection.Service {
	svc := *ib.s.Inspections
	svc.Now = func() time.Time { return t }
	return &svc
}

// answerer is who answers a sheet: a holder of its department's answering role, or of its role.
// The demo's people act with the program's rights (their accounts are made after the data), so
// the holder is chosen here by the same rule the service applies.
func (ib *insBuilder) answerer(sh inspection.Sheet) access.Actor {
	for _, a := range ib.people {
		for _, g := range a.Roles {
			if (sh.DepartmentID != 0 && g.DepartmentID == sh.DepartmentID && slices.Contains(ib.answering, g.RoleID)) ||
				(sh.DepartmentID == 0 && g.RoleID == sh.RoleID) {
				return a
			}
		}
	}
	return ib.sys
}

// demoComments explain 未実施 and 一部 answers.
var demoComments = []string{
	"手順書が未整備のため、今年度中に整備する。",
	"担当者の異動により確認が漏れていた。次回から月次で確認する。",
	"一部の端末で未対応。更新計画を作成済み。",
	"委託事業者への確認が未了。次回の定例会で確認する。",
}

// answer answers a sheet's first n items (all when n < 0); seed varies which are not done.
func (ib *insBuilder) answer(svc *inspection.Service, who access.Actor, c inspection.Campaign, sh inspection.Sheet, n, seed int) error {
	v, err := svc.View(ib.ctx, who, c.ID, sh.ID)
	if err != nil {
		return err
	}
	var given []inspection.Given
	for i, a := range v.Answers {
		if n >= 0 && i >= n {
			break
		}
		g := inspection.Given{Seq: a.Item.Seq, Answer: inspection.Done}
		switch k := (i*7 + seed*3) % 23; {
		case k == 0:
			g.Answer, g.Comment = inspection.NotDone, demoComments[(i+seed)%len(demoComments)]
		case k == 5 || k == 11:
			g.Answer, g.Comment = inspection.Partial, demoComments[(i+seed+1)%len(demoComments)]
		case k == 17:
			g.Answer = inspection.NotApplicable
		}
		given = append(given, g)
	}
	_, err = svc.Save(ib.ctx, who, c.ID, sh.ID, given)
	return err
}

func (ib *insBuilder) sheets(svc *inspection.Service, c inspection.Campaign) ([]inspection.Sheet, error) {
	pr, err := svc.Campaign(ib.ctx, ib.sys, c.ID)
	return pr.Sheets, err
}

// lastYear is last fiscal year's campaign, answered, submitted and closed.
func (ib *insBuilder) lastYear() error {
	fy := inspection.FiscalYearOf(ib.now) - 1
	opens := time.Date(fy, time.June, 1, 1, 0, 0, 0, time.UTC)
	svc := ib.at(opens)
	c, err := svc.Start(ib.ctx, ib.steward, inspection.NewCampaign{FiscalYear: fy, Title: i18n.T(i18n.Ja, "inspection.new.default_title", fy),
		OpensOn: opens.Format(time.DateOnly), Deadline: opens.AddDate(0, 0, 30).Format(time.DateOnly)})
	if err != nil {
		return err
	}
	list, err := ib.sheets(svc, c)
	if err != nil {
		return err
	}
	svc = ib.at(opens.AddDate(0, 0, 14))
	for i, sh := range list {
		who := ib.answerer(sh)
		if err := ib.answer(svc, who, c, sh, -1, i+1); err != nil {
			return err
		}
		if _, err := svc.Submit(ib.ctx, who, c.ID, sh.ID); err != nil {
			return err
		}
	}
	if _, err := ib.at(opens.AddDate(0, 1, 5)).Close(ib.ctx, ib.steward, c.ID); err != nil {
		return err
	}
	// Most of last year's findings were put right; the first stays open, now overdue.
	found, err := svc.Findings(ib.ctx, ib.sys, inspection.FindingFilter{Limit: 500})
	if err != nil {
		return err
	}
	later := ib.at(opens.AddDate(0, 3, 0))
	for i, f := range found {
		if i == 0 {
			continue
		}
		_, err := later.CloseFinding(ib.ctx, ib.steward, f.ID, "手順書を整備し、所属内で周知した。点検記録を保管している。", nil)
		if err != nil && apperr.CodeOf(err) != apperr.Forbidden {
			return err
		}
	}
	return nil
}

// thisYear is this fiscal year's campaign in progress.
func (ib *insBuilder) thisYear() error {
	opens := ib.now.AddDate(0, 0, -14)
	svc := ib.at(opens)
	fy := inspection.FiscalYearOf(ib.now)
	c, err := svc.Start(ib.ctx, ib.steward, inspection.NewCampaign{FiscalYear: fy, Title: i18n.T(i18n.Ja, "inspection.new.default_title", fy),
		OpensOn: opens.In(i18n.Tokyo).Format(time.DateOnly), Deadline: ib.now.AddDate(0, 0, 14).In(i18n.Tokyo).Format(time.DateOnly)})
	if err != nil {
		return err
	}
	list, err := ib.sheets(svc, c)
	if err != nil {
		return err
	}
	svc = ib.at(ib.now.AddDate(0, 0, -3))
	returned := false
	for i, sh := range list {
		who := ib.answerer(sh)
		switch i % 3 {
		case 0, 1: // answered and submitted; the first submitted is sent back
			if err := ib.answer(svc, who, c, sh, -1, i); err != nil {
				return err
			}
			if _, err := svc.Submit(ib.ctx, who, c.ID, sh.ID); err != nil {
				return err
			}
			if !returned {
				returned = true
				back := ib.at(ib.now.AddDate(0, 0, -1))
				if _, err := back.Return(ib.ctx, ib.steward, c.ID, sh.ID, "未実施の項目について、今後の対応の時期を具体的に記入してください。", ""); err != nil {
					return err
				}
			}
		case 2: // half answered
			v, err := svc.View(ib.ctx, who, c.ID, sh.ID)
			if err != nil {
				return err
			}
			if err := ib.answer(svc, who, c, sh, len(v.Answers)/2, i); err != nil {
				return err
			}
		}
	}
	return nil
}
