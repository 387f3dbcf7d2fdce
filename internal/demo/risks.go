package demo

import (
	"fmt"
	"slices"
	"time"

	"mamori/internal/access"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/risk"
)

// The demo's risk register (リスク分析): a holder of an organisation-wide security role (the
// 情報政策課) generates the candidates from the register and the findings of the demo sweep and
// assesses the highest of them — reduce with a plan for most, accept for one — and the holder of
// the role the pack names (the CISO) accepts the residual risk of that one for half a year, so
// that the register shows every state and both heat maps have risks on them.

// riskPlans are the demo plans of the risks it reduces, in turn.
var riskPlans = []string{
	"指摘事項の是正を所管課に指示し、次回の遵守状況の確認で解消を確かめる。",
	"バックアップの取得と復旧手順を見直し、年1回の復旧訓練を行う。",
	"職員研修で事例を周知し、持ち出し申請の運用を徹底する。",
}

// risks generates, assesses and accepts the demo risks.
func (b *builder) risks(p *policy.Compiled) error {
	if !p.Risk.Defined() || len(p.Threats) == 0 {
		return nil
	}
	analyst, acceptor, err := b.riskPeople(p)
	if err != nil {
		return err
	}
	if _, err := b.s.Risks.Generate(b.ctx, analyst); err != nil {
		return fmt.Errorf("demo risks: %w", err)
	}
	reg, err := b.s.Risks.List(b.ctx, analyst, risk.Filter{})
	if err != nil {
		return err
	}
	list := reg.Risks
	slices.SortStableFunc(list, func(x, y risk.Risk) int {
		return policy.Rank(p.Risk.Levels, y.Level) - policy.Rank(p.Risk.Levels, x.Level)
	})
	s := p.Risk
	low := s.Likelihood[0].ID
	for i, r := range list[:min(4, len(list))] {
		owner := b.depts[b.order[0]]
		if len(r.Departments) > 0 {
			owner = r.Departments[0]
		}
		in := risk.Assessment{Likelihood: r.Likelihood, Impact: r.Impact, Treatment: policy.TreatReduce, Plan: riskPlans[i%len(riskPlans)],
			OwnerDepartmentID: owner, ResidualLikelihood: low, ResidualImpact: r.Impact, Version: r.Version}
		if i == 3 {
			in.Treatment, in.Plan, in.ResidualLikelihood = policy.TreatAccept, "", r.Likelihood
		}
		got, err := b.s.Risks.Assess(b.ctx, analyst, r.ID, in)
		if err != nil {
			return fmt.Errorf("demo risk %d: %w", r.ID, err)
		}
		if i == 3 {
			until := b.now().In(i18n.Tokyo).AddDate(0, 6, 0).Format(time.DateOnly)
			if _, err := b.s.Risks.Accept(b.ctx, acceptor, got.ID, risk.Acceptance{Until: until, Note: "対策の費用が効果を上回るため、次年度の見直しまで受容する。", Version: got.Version}); err != nil {
				return fmt.Errorf("demo acceptance: %w", err)
			}
		}
	}
	return nil
}

// riskPeople are the demo's analyst (a holder of an organisation-wide security role other than
// the accepting one, or the accepting one when there is none) and acceptor, signed in with the
// pack's marks.
func (b *builder) riskPeople(p *policy.Compiled) (analyst, acceptor access.Actor, err error) {
	marks, err := b.s.Policy.RoleMarks(b.ctx, b.sys.OrgID)
	if err != nil {
		return analyst, acceptor, err
	}
	day := b.now().In(i18n.Tokyo).Format(time.DateOnly)
	for _, m := range b.members {
		a := b.actorOf(m)
		a.PlatformAdmin = false
		grants, err := org.GrantsOf(b.ctx, b.s.DB.SQL, b.sys.OrgID, m.id, day)
		if err != nil {
			return analyst, acceptor, err
		}
		for i := range grants {
			grants[i] = grants[i].Marked(marks[grants[i].RoleID])
		}
		a.Roles = grants
		if acceptor.StaffID == 0 && a.HasRole(p.Risk.AcceptedBy) {
			acceptor = a
			continue
		}
		if analyst.StaffID == 0 && risk.MayGenerate(a) {
			analyst = a
		}
	}
	if analyst.StaffID == 0 {
		analyst = acceptor
	}
	if acceptor.StaffID == 0 || !risk.MayGenerate(analyst) {
		return analyst, acceptor, fmt.Errorf("demo risks: nobody holds %s or an organisation-wide security role", p.Risk.AcceptedBy)
	}
	return analyst, acceptor, nil
}

func (b *builder) now() time.Time { return clockOf(b.s.Requests) }
