package demo

import (
	"fmt"
	"time"

	"mamori/internal/access"
	"mamori/internal/compliance"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// The demo's compliance: the register is swept once the demo has filled it, so that the
// findings of the pack's rules are there from the first minute, and where the pack requests
// exceptions (例外措置) a few are filed by clerks and approved by the pack's approver through
// request.Service, each naming the rule and asset of an open finding and an expiry — the first
// ending within a week, so that the register shows one about to expire.

// exceptionDays are the demo exceptions' lengths in days from today.
var exceptionDays = []int{5, 60, 150}

// compliance sweeps the register and files the demo exceptions.
func (b *builder) compliance(p *policy.Compiled) error {
	if _, err := b.s.Compliance.Run(b.ctx, b.sys); err != nil {
		return fmt.Errorf("demo sweep: %w", err)
	}
	kind, ok := p.ExceptionKind()
	if !ok {
		return nil
	}
	rb := &reqBuilder{builder: b, today: clockOf(b.s.Requests), keys: map[string]access.Actor{}, lifeUsed: map[int64]bool{}, headed: map[int64]bool{}}
	if err := rb.people(); err != nil || len(rb.clerks) == 0 {
		return err
	}
	found, _, err := b.s.Compliance.Findings(b.ctx, b.sys, compliance.Filter{Limit: 200})
	if err != nil {
		return err
	}
	used := map[int64]bool{}
	n := 0
	for _, f := range found {
		if n == len(exceptionDays) {
			break
		}
		if used[f.AssetID] || f.DepartmentID == 0 {
			continue
		}
		used[f.AssetID] = true
		if err := rb.exception(kind, f.Finding, exceptionDays[n], n); err != nil {
			return fmt.Errorf("demo exception for %s: %w", f.AssetNumber, err)
		}
		n++
	}
	return nil
}

// exception files one exception for a finding, by a clerk of its department where there is one,
// and has the approver decide it.
func (rb *reqBuilder) exception(kind policy.Approval, f compliance.Finding, days, i int) error {
	clerk := rb.clerks[i%len(rb.clerks)]
	for _, c := range rb.clerks {
		if c.DepartmentID == f.DepartmentID {
			clerk = c
			break
		}
	}
	svc := rb.s.Requests
	now := clockOf(svc)
	in := request.Input{Kind: kind.ID, Comment: "点検で指摘された事項について、期限を定めて例外措置を申請します。"}
	in.Fields, in.Attachments = rb.form(kind, clerk, now)
	for _, fd := range kind.Fields {
		switch fd.ID {
		case "rules":
			in.Fields[fd.ID] = []string{f.RuleID}
		case "assets":
			in.Fields[fd.ID] = []string{f.AssetNumber}
		case "expires_on":
			in.Fields[fd.ID] = now.In(i18n.Tokyo).AddDate(0, 0, days).Format(time.DateOnly)
		case "rule", "requirement", "provision":
			if fd.Type == "text" || fd.Type == "textarea" {
				in.Fields[fd.ID] = f.Title + "（" + f.Article + "）"
			}
		case "reason":
			in.Fields[fd.ID] = "機器の更新が来年度予算で予定されており、それまでの間は現行の設定のまま運用せざるを得ないため。"
		case "measure":
			in.Fields[fd.ID] = "所属長が毎週点検し、利用者を限定したうえで、利用の記録を残す。"
		}
	}
	r, err := svc.Submit(rb.ctx, clerk, in)
	if err != nil {
		return err
	}
	for range kind.Steps {
		if r, err = rb.decideStep(svc, r); err != nil || r.State != request.Pending {
			return err
		}
	}
	return nil
}
