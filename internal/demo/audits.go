package demo

import (
	"fmt"
	"slices"
	"time"

	"mamori/internal/access"
	"mamori/internal/audit"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// audits adds the 情報セキュリティ監査 of the demo: last fiscal year's audit of one department,
// finished and reported, with a minor non-conformity whose corrective action is past its due
// date and an observation that was closed; and this year's plans (the multi-year plan and the
// year's plan) with one audit planned. The chief auditor is the holder of the pack's audit
// role; where the pack has none (安平町, whose 第58条 gives the audit to the 情報ネットワーク管理者
// without an audit role) the program records them.
func (b *builder) audits(p *policy.Compiled) error {
	now := store.Now(b.s.Now)
	year := audit.FiscalYear(now)
	chief := b.sys
	var chiefMember *member
	for _, m := range b.members {
		if slices.ContainsFunc(m.roles, func(id string) bool { r, ok := p.Role(id); return ok && r.Auditor }) {
			chiefMember = m
			break
		}
	}
	// The audited department: the first with a head and a clerk, away from the chief auditor.
	var audited string
	var clerk *member
	for _, name := range b.order {
		if chiefMember != nil && chiefMember.dept == name {
			continue
		}
		var h, c *member
		for _, m := range b.members {
			if m.dept == name && m.head && h == nil {
				h = m
			} else if m.dept == name && !m.head && c == nil {
				c = m
			}
		}
		if h != nil && c != nil {
			audited, clerk = name, c
			break
		}
	}
	if audited == "" {
		return nil
	}
	// The team: the chief auditor where they sit elsewhere, and a member of staff of another
	// department who holds no department role.
	var team []int64
	teamDepts := map[string]bool{}
	if chiefMember != nil {
		team = append(team, chiefMember.id)
		teamDepts[chiefMember.dept] = true
	}
	for _, m := range b.members {
		if m.dept != audited && !m.head && len(m.roles) == 0 && m.login != "" && (chiefMember == nil || m != chiefMember) {
			team = append(team, m.id)
			teamDepts[m.dept] = true
			break
		}
	}
	if len(team) == 0 {
		return nil
	}
	if chiefMember != nil {
		chief = b.actorOf(chiefMember)
	}
	arts := audit.Articles(p)
	criteria := arts[:min(3, len(arts))]
	dept := b.depts[audited]

	// Last year's audit, recorded as it happened: the service's clock is set to each day.
	past := *b.s.Audits
	at := func(month time.Month, day int) func() time.Time {
		return func() time.Time { return time.Date(year-1, month, day, 1, 0, 0, 0, time.UTC) }
	}
	past.Now = at(time.May, 10)
	d, err := past.Create(b.ctx, chief, audit.NewAudit{Title: fmt.Sprintf("%s 情報セキュリティ監査（%s）", nendo(year-1), audited),
		Objective: "情報資産の管理と持ち出しの手続がポリシーどおり行われているかを確かめる。", Criteria: criteria,
		StartsOn: fmt.Sprintf("%d-06-01", year-1), EndsOn: fmt.Sprintf("%d-07-31", year-1), Departments: []int64{dept}, Auditors: team})
	if err != nil {
		return fmt.Errorf("demo audit: %w", err)
	}
	sys := access.System(b.sys.OrgID, "demo")
	past.Now = at(time.June, 12)
	items := []struct{ title, method, result, note string }{
		{"情報資産管理台帳の記載と現物の照合", "onsite", "minor", "台帳に記載のない外部記録媒体が2点あった。"},
		{"持ち出しの申請と承認の記録", "document", "conforming", "抽出した10件すべてに承認の記録があった。"},
		{"離席時の画面ロックの運用", "interview", "observation", "運用は定着しているが、手順の周知文書が古い。"},
	}
	var ids []int64
	for i, x := range items {
		it, err := past.AddItem(b.ctx, sys, d.ID, audit.NewItem{Title: x.title, Article: criteria[i%len(criteria)], Method: x.method})
		if err != nil {
			return fmt.Errorf("demo audit item: %w", err)
		}
		if _, err := past.RecordResult(b.ctx, sys, d.ID, it.ID, audit.ResultInput{Result: x.result, Note: x.note}); err != nil {
			return fmt.Errorf("demo audit result: %w", err)
		}
		ids = append(ids, it.ID)
	}
	minor, err := past.AddFinding(b.ctx, sys, d.ID, audit.NewFinding{ItemID: ids[0], Title: "台帳に記載のない外部記録媒体がある",
		Detail: "USBメモリ2点が台帳に登録されていなかった。", RootCause: "購入時に台帳へ登録する手順が課内で定められていなかった。"})
	if err != nil {
		return fmt.Errorf("demo audit finding: %w", err)
	}
	obs, err := past.AddFinding(b.ctx, sys, d.ID, audit.NewFinding{ItemID: ids[2], Title: "画面ロックの周知文書が古い"})
	if err != nil {
		return fmt.Errorf("demo audit finding: %w", err)
	}
	past.Now = at(time.August, 20)
	if _, err := past.IssueReport(b.ctx, chief, d.ID, audit.ReportInput{
		Intro:   "本報告書は、情報セキュリティ監査の結果を最高情報セキュリティ責任者及び委員会に報告するものである。",
		Summary: fmt.Sprintf("%sを対象に、書面・聴取・実地により%d項目を監査した。", audited, len(items)),
		Opinion: "概ね適切に運用されているが、情報資産管理台帳の登録漏れについて是正を求める。",
		Remarks: "前年度の指摘事項はすべて是正済みであった。"}); err != nil {
		return fmt.Errorf("demo audit report: %w", err)
	}
	past.Now = at(time.September, 1)
	if _, err := past.PlanAction(b.ctx, sys, d.ID, minor.ID, audit.NewAction{Plan: "購入時の台帳登録を課の手順書に定め、全媒体を棚卸しする。",
		OwnerStaffID: clerk.id, DueOn: fmt.Sprintf("%d-10-31", year-1)}); err != nil {
		return fmt.Errorf("demo corrective action: %w", err)
	}
	if _, err := past.CloseFinding(b.ctx, sys, d.ID, obs.ID); err != nil {
		return fmt.Errorf("demo closing an observation: %w", err)
	}

	// This year's plans and an audit planned.
	if _, err := b.s.Audits.CreatePlan(b.ctx, chief, audit.NewPlan{Kind: audit.PlanMultiYear, FromYear: year, ToYear: year + 2,
		Title: fmt.Sprintf("中期監査計画（%s〜%s）", nendo(year), nendo(year+2)), Aims: "3年ですべての所属を監査する。リスクの高い所属から先に行う。"}); err != nil {
		return fmt.Errorf("demo multi-year plan: %w", err)
	}
	others := []int64{}
	for _, name := range b.order {
		if name != audited && !teamDepts[name] && len(others) < 3 {
			others = append(others, b.depts[name])
		}
	}
	plan, err := b.s.Audits.CreatePlan(b.ctx, chief, audit.NewPlan{Kind: audit.PlanAnnual, FromYear: year, Title: fmt.Sprintf("%s 情報セキュリティ監査計画", nendo(year)),
		Aims: "情報資産管理台帳の整備状況と、昨年度の指摘事項の是正状況を重点とする。", Timing: "第3四半期に実地監査", Departments: others})
	if err != nil {
		return fmt.Errorf("demo yearly plan: %w", err)
	}
	start := now.In(time.FixedZone("JST", 9*3600)).AddDate(0, 1, 0)
	if _, err := b.s.Audits.Create(b.ctx, chief, audit.NewAudit{PlanID: plan.ID, Title: fmt.Sprintf("%s 情報セキュリティ監査", nendo(year)), Criteria: criteria,
		StartsOn: start.Format(time.DateOnly), EndsOn: start.AddDate(0, 1, 0).Format(time.DateOnly), Departments: others[:min(1, len(others))],
		Auditors: team}); err != nil {
		return fmt.Errorf("demo planned audit: %w", err)
	}
	return nil
}

// nendo names a fiscal year as municipal documents do: 令和8年度.
func nendo(year int) string {
	return i18n.WarekiYear(time.Date(year, time.April, 1, 12, 0, 0, 0, i18n.Tokyo)) + "度"
}
