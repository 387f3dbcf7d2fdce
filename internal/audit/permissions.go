package audit

import (
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// One permission function per act. The act calls it and refuses with its error; Acts, which
// the pages use to offer buttons, calls the same functions.

func readOnly(who access.Actor) error {
	if who.ReadOnly {
		return apperr.New(apperr.Forbidden, "auth.error.token_read_only")
	}
	return nil
}

// mayPlan: the multi-year and yearly plans and each regular audit's plan are made by the chief
// auditor — the holder of a role the pack marks as an audit role (上毛町: 町長 as 情報セキュリティ
// 監査統括責任者, 9(1)①; 岸和田市 11(2)①; 山形県 監査員班 13.1).
func mayPlan(who access.Actor) error {
	if err := readOnly(who); err != nil {
		return err
	}
	if who.IsSystem() || who.IsAuditor() {
		return nil
	}
	return apperr.New(apperr.Forbidden, "audits.error.not_chief")
}

// mayOrderSpecial: a special audit is ordered by the CISO (an organisation-wide security role)
// or planned by the chief auditor.
func mayOrderSpecial(who access.Actor) error {
	if err := readOnly(who); err != nil {
		return err
	}
	if who.IsSystem() || who.IsAuditor() || orgSecurity(who) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "audits.error.not_ciso")
}

// mayConduct: items, results and findings are recorded by the audit's team while the audit is
// open (an external member within the audit's dates).
func mayConduct(who access.Actor, a Audit, day string) error {
	if err := readOnly(who); err != nil {
		return err
	}
	if a.State == StateReported || a.State == StateClosed {
		return apperr.New(apperr.Conflict, "audits.error.reported")
	}
	if who.IsSystem() {
		return nil
	}
	if m, ok := member(who, a); ok && (!m.External || inPeriod(a, day)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "audits.error.not_team")
}

// mayStaff: the team is made up by the chief auditor until the report is issued.
func mayStaff(who access.Actor, a Audit) error {
	if err := mayPlan(who); err != nil {
		return err
	}
	if a.State == StateReported || a.State == StateClosed {
		return apperr.New(apperr.Conflict, "audits.error.reported")
	}
	return nil
}

// mayCheck: the effectiveness of a corrective action, and the closing of a finding, are the
// auditors' — the team or the chief auditor — after the report too (follow-up).
func mayCheck(who access.Actor, a Audit, day string) error {
	if err := readOnly(who); err != nil {
		return err
	}
	if who.IsSystem() || who.IsAuditor() {
		return nil
	}
	if m, ok := member(who, a); ok && (!m.External || inPeriod(a, day)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "audits.error.not_team")
}

// mayIssue: the report is issued by the chief auditor or the team's lead, once.
func mayIssue(who access.Actor, a Audit) error {
	if err := readOnly(who); err != nil {
		return err
	}
	if a.State == StateReported || a.State == StateClosed {
		return apperr.New(apperr.Conflict, "audits.error.reported")
	}
	if who.IsSystem() || who.IsAuditor() {
		return nil
	}
	if m, ok := member(who, a); ok && m.Lead && !m.External {
		return nil
	}
	return apperr.New(apperr.Forbidden, "audits.error.not_chief")
}

// managesDepartment reports whether the actor holds a department role (情報セキュリティ管理者,
// 所属長 …) of dept — the role the pack's 監査結果への対応 addresses (上毛町 9(1)⑦, 安平町 第58条3).
func managesDepartment(who access.Actor, dept int64) bool {
	for _, g := range who.Roles {
		if g.Scope == "department" && !g.AllStaff && g.DepartmentID == dept && dept != 0 {
			return true
		}
	}
	return false
}

// mayPlanAction: the corrective action of a finding is planned by the manager of the
// finding's department, or by the CISO.
func mayPlanAction(who access.Actor, f Finding) error {
	if err := readOnly(who); err != nil {
		return err
	}
	if f.State == FindingClosed {
		return apperr.New(apperr.Conflict, "audits.error.finding_closed")
	}
	if who.IsSystem() || orgSecurity(who) || managesDepartment(who, f.DepartmentID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "audits.error.not_manager")
}

// mayComplete: a corrective action is reported done by its owner or the department's manager.
func mayComplete(who access.Actor, act Action) error {
	if err := readOnly(who); err != nil {
		return err
	}
	if act.State != ActionPlanned && act.State != ActionIneffective {
		return apperr.New(apperr.Conflict, "audits.error.action_state")
	}
	if who.IsSystem() || (who.StaffID != 0 && who.StaffID == act.OwnerStaffID) || managesDepartment(who, act.DepartmentID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "audits.error.not_owner")
}

// actsOf is what the reader may do on the audit, for the pages.
func actsOf(who access.Actor, d Detail, day string) Acts {
	acts := Acts{Plan: []int64{}, Complete: []int64{}}
	acts.AddAuditor = mayStaff(who, d.Audit) == nil
	acts.Record = mayConduct(who, d.Audit, day) == nil
	acts.Check = mayCheck(who, d.Audit, day) == nil
	acts.Issue = mayIssue(who, d.Audit) == nil
	for _, f := range d.Findings {
		if mayPlanAction(who, f) == nil {
			acts.Plan = append(acts.Plan, f.ID)
		}
		for _, a := range f.Actions {
			if mayComplete(who, a) == nil {
				acts.Complete = append(acts.Complete, a.ID)
			}
		}
	}
	return acts
}

// CanPlan reports whether the reader may plan the corrective action of a finding (for pages).
func (a Acts) CanPlan(finding int64) bool { return slices.Contains(a.Plan, finding) }

// CanComplete reports whether the reader may report a corrective action done (for pages).
func (a Acts) CanComplete(action int64) bool { return slices.Contains(a.Complete, action) }
