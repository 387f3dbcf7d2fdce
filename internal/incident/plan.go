package incident

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// The 再発防止計画 is drafted by a handler, approved step by step by the roles the pack names and
// announced to staff with a summary of the incident (上毛町 緊急時対応計画 5(1)(2)). The steps are
// those of the pack's approval kind for it (plan_approval: 上毛町 recurrence_plan → CISO; 安平町
// recurrence_prevention → 情報ネットワーク管理者, then 最高情報統括責任者), else plan_approved_by
// (policy.Pack.PlanApprovers; a pack names one or the other). The approval is recorded here, in
// the incident's transaction, rather than filed as a request: a request is submitted in a
// transaction of its own, and the plan, its approvals and the incident must change together. Each approval is audited and on the timeline.

// DraftPlan records (or redrafts) the plan; a redraft needs approving again.
func (s *Service) DraftPlan(ctx context.Context, who access.Actor, id int64, version int, plan string) (Incident, error) {
	return s.act(ctx, who, id, version, "plan_draft", func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		var v apperr.Validation
		checkText(&v, "plan", &plan, maxText, true)
		if in.State == Reported || in.State == NotIncident {
			v.Add("state", "incident.error.state", in.State)
		}
		if in.Plan != nil && in.Plan.AnnouncedAt != nil {
			v.Add("plan", "incident.error.plan_announced")
		}
		if err := v.Err(); err != nil {
			return Event{}, err
		}
		steps, cite := p.PlanApprovers()
		in.Plan = &Plan{Text: plan, DraftedBy: who.StaffID, DraftedAt: now, Steps: steps, Approvals: []Approval{}, Cite: cite}
		return Event{Kind: "plan_drafted", At: now, Text: plan}, s.tellPlan(ctx, tx, p, *in, now)
	})
}

// ApprovePlan approves the plan's next step; only a holder of that step's role approves it, and
// not the one who drafted it (mayApprovePlan).
func (s *Service) ApprovePlan(ctx context.Context, who access.Actor, id int64, version int, comment string) (Incident, error) {
	return s.act(ctx, who, id, version, "plan_approve", func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		role, err := mayApprovePlan(p, who, *in)
		if err != nil {
			return Event{}, err
		}
		var v apperr.Validation
		checkText(&v, "comment", &comment, maxText, false)
		in.Plan.Approvals = append(in.Plan.Approvals, Approval{Role: role, StaffID: who.StaffID, At: now, Comment: comment})
		if err := v.Err(); err != nil {
			return Event{}, err
		}
		return Event{Kind: "plan_approved", At: now, Text: comment, Data: map[string]any{"role": role}}, s.tellPlan(ctx, tx, p, *in, now)
	})
}

// AnnouncePlan records that the approved plan was announced to staff with a summary of the
// incident, and tells every member of staff. The holder of the plan's last approving role (the
// CISO) announces it.
func (s *Service) AnnouncePlan(ctx context.Context, who access.Actor, id int64, version int, summary string) (Incident, error) {
	return s.act(ctx, who, id, version, "plan_announce", func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		if err := mayAnnounce(p, who, *in); err != nil {
			return Event{}, err
		}
		var v apperr.Validation
		checkText(&v, "summary", &summary, maxText, true)
		if err := v.Err(); err != nil {
			return Event{}, err
		}
		in.Plan.Announced, in.Plan.AnnouncedAt = summary, &now
		staff, err := activeStaff(ctx, tx, in.OrgID)
		if err != nil {
			return Event{}, err
		}
		err = tell(ctx, tx, in.OrgID, staff, NoticeAnnounced, "announce", *in, now, text("notice.incident.announced", in.Title),
			text("notice.incident.announced_body", summary, clip(in.Plan.Text, 1000)))
		return Event{Kind: "plan_announced", At: now, Text: summary}, err
	})
}

// tellPlan tells the holders of the role whose approval the plan waits for.
func (s *Service) tellPlan(ctx context.Context, tx *sql.Tx, p *policy.Compiled, in Incident, now time.Time) error {
	if in.Plan == nil || in.Plan.Approved() {
		return nil
	}
	role := in.Plan.Steps[len(in.Plan.Approvals)]
	staff, err := roleHolders(ctx, tx, p, in.OrgID, role, in, day(now))
	if err != nil {
		return err
	}
	return tell(ctx, tx, in.OrgID, staff, NoticePlan, "plan:"+in.Plan.DraftedAt.Format(time.RFC3339Nano)+":"+role, in, now,
		text("notice.incident.plan", in.Title), text("notice.incident.plan_body", in.Title, clip(in.Plan.Text, 1000)))
}

func activeStaff(ctx context.Context, q store.Querier, orgID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM staff WHERE org_id = $1 AND active ORDER BY id`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "staff")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, apperr.Wrap(err, "staff")
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
