package audit

import (
	"context"
	"database/sql"
	"errors"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// 監査結果への対応 (上毛町 9(1)⑦, 安平町 第58条2・3): the manager of the department a finding
// concerns plans its corrective action with an owner and a due day; the owner reports it done
// with evidence; the auditors check whether it worked (a follow-up where it did not), and close
// the finding only when an effective action with evidence stands.

// NewAction is a corrective-action plan.
type NewAction struct {
	Plan         string `json:"plan"`
	OwnerStaffID int64  `json:"owner_staff_id"`
	DueOn        string `json:"due_on"`
}

// Completion reports a corrective action done, with its evidence.
type Completion struct {
	Note     string        `json:"note"`
	Evidence []NewEvidence `json:"-"`
}

// CheckInput is the auditors' effectiveness check of a completed action.
type CheckInput struct {
	Effective bool   `json:"effective"`
	Note      string `json:"note"`
	FollowUp  string `json:"follow_up"`
}

func finding(ctx context.Context, tx *sql.Tx, a Audit, id int64) (Finding, error) {
	var f Finding
	err := tx.QueryRowContext(ctx, `SELECT id, item_id, COALESCE(department_id, 0), grade, article, title, state FROM audit_findings
		WHERE id = $1 AND audit_id = $2`, id, a.ID).Scan(&f.ID, &f.ItemID, &f.DepartmentID, &f.Grade, &f.Article, &f.Title, &f.State)
	if errors.Is(err, sql.ErrNoRows) {
		return f, apperr.New(apperr.NotFound, "audits.error.finding")
	}
	f.AuditID = a.ID
	return f, wrap(err, "audit finding")
}

func action(ctx context.Context, tx *sql.Tx, a Audit, id int64, day string) (Action, error) {
	rows, err := tx.QueryContext(ctx, actionSelect+`WHERE c.id = $1 AND c.audit_id = $2`, id, a.ID)
	if err != nil {
		return Action{}, apperr.Wrap(err, "corrective action")
	}
	defer rows.Close()
	if !rows.Next() {
		return Action{}, apperr.New(apperr.NotFound, "audits.error.action")
	}
	return scanAction(rows, day)
}

// seesDept reports whether the actor reads the audit's findings of dept.
func (s *Service) seesDept(who access.Actor, a Audit, dept int64) bool {
	return sightOf(who, a, today(s.now())).dept(dept)
}

// PlanAction records the corrective-action plan of a finding: what will be done, by whom
// (a member of the organisation's staff), by when.
func (s *Service) PlanAction(ctx context.Context, who access.Actor, id, findingID int64, in NewAction) (Action, error) {
	var c Action
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		f, err := finding(ctx, tx, a, findingID)
		if err != nil {
			return err
		}
		if !s.seesDept(who, a, f.DepartmentID) {
			return apperr.New(apperr.NotFound, "audits.error.finding")
		}
		if err := mayPlanAction(who, f); err != nil {
			return err
		}
		var v apperr.Validation
		text(&v, "plan", &in.Plan, maxText, true)
		day(&v, "due_on", &in.DueOn, true)
		now := s.now()
		if !v.Has("due_on") && in.DueOn < today(now) {
			v.Add("due_on", "audits.error.due_past")
		}
		var owner string
		err = tx.QueryRowContext(ctx, `SELECT name FROM staff WHERE id = $1 AND org_id = $2 AND active`, in.OwnerStaffID, who.OrgID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			v.Add("owner_staff_id", "audits.error.staff")
		} else if err != nil {
			return apperr.Wrap(err, "owner")
		}
		if err := v.Err(); err != nil {
			return err
		}
		c = Action{AuditID: a.ID, FindingID: f.ID, FindingTitle: f.Title, Article: f.Article, DepartmentID: f.DepartmentID, Plan: in.Plan,
			OwnerStaffID: in.OwnerStaffID, OwnerName: owner, DueOn: in.DueOn, State: ActionPlanned, Evidence: []Evidence{}}
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_actions (org_id, audit_id, finding_id, department_id, plan, owner_staff_id, due_on,
			state, created_by_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			who.OrgID, a.ID, f.ID, nullID(f.DepartmentID), c.Plan, c.OwnerStaffID, c.DueOn, c.State, nullID(who.UserID), now).Scan(&c.ID); err != nil {
			return apperr.Wrap(err, "corrective action")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.action.plan", After: c})
		return err
	})
	return c, err
}

// CompleteAction reports a corrective action done. It needs at least one evidence file.
func (s *Service) CompleteAction(ctx context.Context, who access.Actor, id, actionID int64, in Completion) (Action, error) {
	var c Action
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		now := s.now()
		var err error
		if c, err = action(ctx, tx, a, actionID, today(now)); err != nil {
			return err
		}
		if !s.seesDept(who, a, c.DepartmentID) {
			return apperr.New(apperr.NotFound, "audits.error.action")
		}
		if err := mayComplete(who, c); err != nil {
			return err
		}
		var v apperr.Validation
		text(&v, "note", &in.Note, maxText, true)
		if len(in.Evidence) == 0 {
			v.Add("evidence", "audits.error.evidence_required")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := checkAll("evidence", in.Evidence); err != nil {
			return err
		}
		before := c
		c.State, c.DoneNote, c.DoneAt, c.Overdue = ActionDone, in.Note, &now, false
		if _, err := tx.ExecContext(ctx, `UPDATE audit_actions SET state = $1, done_note = $2, done_at = $3 WHERE id = $4`,
			c.State, c.DoneNote, now, c.ID); err != nil {
			return apperr.Wrap(err, "corrective action")
		}
		for _, e := range in.Evidence {
			ev, err := storeEvidence(ctx, tx, who, a.ID, 0, c.ID, e, now)
			if err != nil {
				return err
			}
			c.Evidence = append(c.Evidence, ev)
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.action.done", Before: before, After: c})
		return err
	})
	return c, err
}

// CheckAction records the auditors' effectiveness check of a completed action. An action that
// did not work goes back to its owner with the follow-up the auditors ask for.
func (s *Service) CheckAction(ctx context.Context, who access.Actor, id, actionID int64, in CheckInput) (Action, error) {
	var c Action
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		now := s.now()
		if err := mayCheck(who, a, today(now)); err != nil {
			return err
		}
		var err error
		if c, err = action(ctx, tx, a, actionID, today(now)); err != nil {
			return err
		}
		if c.State != ActionDone {
			return apperr.New(apperr.Conflict, "audits.error.action_not_done")
		}
		var v apperr.Validation
		text(&v, "note", &in.Note, maxText, true)
		text(&v, "follow_up", &in.FollowUp, maxText, !in.Effective)
		if err := v.Err(); err != nil {
			return err
		}
		before := c
		c.State = ActionEffective
		if !in.Effective {
			c.State = ActionIneffective
		}
		c.CheckNote, c.FollowUp, c.CheckedAt = in.Note, in.FollowUp, &now
		if _, err := tx.ExecContext(ctx, `UPDATE audit_actions SET state = $1, check_note = $2, follow_up = $3, checked_at = $4,
			checked_by_user_id = $5 WHERE id = $6`, c.State, c.CheckNote, c.FollowUp, now, nullID(who.UserID), c.ID); err != nil {
			return apperr.Wrap(err, "corrective action")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.action.check", Before: before, After: c})
		return err
	})
	return c, err
}

// CloseFinding closes a finding. An observation (観察事項) may close at once; a
// non-conformity only when one of its corrective actions was found effective and carries
// evidence. When the audit's report is issued and its last finding closes, the audit closes.
func (s *Service) CloseFinding(ctx context.Context, who access.Actor, id, findingID int64) (Finding, error) {
	var f Finding
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		now := s.now()
		if err := mayCheck(who, a, today(now)); err != nil {
			return err
		}
		var err error
		if f, err = finding(ctx, tx, a, findingID); err != nil {
			return err
		}
		if f.State == FindingClosed {
			return apperr.New(apperr.Conflict, "audits.error.finding_closed")
		}
		if f.Grade != "observation" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_actions c WHERE c.finding_id = $1 AND c.state = $2
				AND EXISTS (SELECT 1 FROM audit_evidence e WHERE e.action_id = c.id)`, f.ID, ActionEffective).Scan(&n); err != nil {
				return apperr.Wrap(err, "audit finding")
			}
			if n == 0 {
				return apperr.New(apperr.Conflict, "audits.error.close_needs_evidence")
			}
		}
		before := f
		f.State, f.ClosedAt = FindingClosed, &now
		if _, err := tx.ExecContext(ctx, `UPDATE audit_findings SET state = $1, closed_at = $2, closed_by_user_id = $3 WHERE id = $4`,
			f.State, now, nullID(who.UserID), f.ID); err != nil {
			return apperr.Wrap(err, "audit finding")
		}
		if a.State == StateReported {
			var open int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_findings WHERE audit_id = $1 AND state = $2`, a.ID, FindingOpen).Scan(&open); err != nil {
				return apperr.Wrap(err, "audit finding")
			}
			if open == 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE audits SET state = $1 WHERE id = $2`, StateClosed, a.ID); err != nil {
					return apperr.Wrap(err, "audit state")
				}
			}
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.finding.close", Before: before, After: f})
		return err
	})
	return f, err
}
