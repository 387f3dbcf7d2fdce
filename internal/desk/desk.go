// Package desk assembles a person's home page — their desk: what waits for them and what they
// own across requests, incidents, findings, exceptions and logbooks, and for those who watch
// the whole organisation (its organisation-wide security roles and its auditors) the
// organisation's state at a glance. Every part is read by its own domain service under that
// record's read rule; this package only puts them together.
package desk

import (
	"context"
	"time"

	"mamori/internal/access"
	"mamori/internal/accessreview"
	"mamori/internal/audit"
	"mamori/internal/compliance"
	"mamori/internal/incident"
	"mamori/internal/inspection"
	"mamori/internal/logbook"
	"mamori/internal/orgpolicy"
	"mamori/internal/pledge"
	"mamori/internal/request"
	"mamori/internal/review"
	"mamori/internal/risk"
	"mamori/internal/store"
	"mamori/internal/sysaccount"
	"mamori/internal/task"
	"mamori/internal/training"
	"mamori/internal/transfer"
)

// Rows is how many rows each list of the desk shows; its total links to the full list.
const Rows = 10

// Section is the first rows of a list and how many the full list has.
type Section[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func section[T any](items []T, total int, err error) (Section[T], error) {
	if items == nil {
		items = []T{}
	}
	return Section[T]{Items: items, Total: total}, err
}

// Desk is one person's home page.
type Desk struct {
	// Awaiting are the requests waiting for the person's decision or acknowledgement, newest first.
	Awaiting Section[request.Request] `json:"awaiting"`
	// Mine are the person's own requests, newest first, with their states.
	Mine Section[request.Request] `json:"mine"`
	// OverdueReturns are the requests whose assets are out past their due date, most overdue
	// first: the person's own, their departments' for a department role, all for those who see
	// every request.
	OverdueReturns Section[request.Request] `json:"overdue_returns"`
	// Steps are the open incident checklist steps the person must make, soonest deadline first.
	Steps Section[incident.ChecklistStep] `json:"steps"`
	// Incidents are the open incidents the person handles, newest first.
	Incidents Section[incident.Incident] `json:"incidents"`
	// Findings are the open findings of the person's departments, most severe first.
	Findings Section[compliance.Shown] `json:"findings"`
	// Exceptions are the exceptions in force that end within EndingSoonDays, soonest first.
	Exceptions     Section[compliance.Exception] `json:"exceptions"`
	EndingSoonDays int                           `json:"ending_soon_days"`
	// Confirmations are the logbook entries waiting for the person as second person, newest first.
	Confirmations Section[logbook.Entry] `json:"confirmations"`
	// CorrectiveActions are the audit's corrective actions past their due day that the person
	// owns or their departments must take, most overdue first.
	CorrectiveActions Section[audit.Action] `json:"corrective_actions"`
	// Risks are the risks that wait for the person (risk.Service.Due): residual risks to accept,
	// acceptances run out; highest level first.
	Risks Section[risk.Risk] `json:"risks"`
	// OverdueTasks are the tasks of recurring duties (定期業務) the person holds that are past
	// their due date, most overdue first.
	OverdueTasks Section[task.Task] `json:"overdue_tasks"`
	// Sheets are the self-inspection sheets waiting for the person's answers (自己点検), soonest
	// deadline first; InspectionFindings the open findings of the sheets they read, earliest
	// due first.
	Sheets             Section[inspection.Sheet]   `json:"inspection_sheets"`
	InspectionFindings Section[inspection.Finding] `json:"inspection_findings"`
	// Procedures are the 実施手順 past their review date whose owner role the person holds.
	Procedures Section[review.Procedure] `json:"procedures"`
	// MyPledges are the person's own 同意書・誓約書 still to sign (unsigned or to sign again);
	// UnsignedPledges the first rows of the others they read who still have to sign — their
	// department's for a 課長, the whole organisation's for the 情報政策課.
	MyPledges       Section[pledge.Item] `json:"my_pledges"`
	UnsignedPledges Section[pledge.Item] `json:"unsigned_pledges"`
	// AccessReviews are the open access reviews (棚卸し) with accounts the person still has to
	// decide or removals to prove, overdue first; OverdueAccessReviews the open reviews past
	// their due day that the person reads.
	AccessReviews        Section[accessreview.Waiting] `json:"access_reviews"`
	OverdueAccessReviews Section[accessreview.Review]  `json:"overdue_access_reviews"`
	// SystemAccounts are the accounts with a finding of the pack's account rules (退職者・
	// 異動者のID …) among the systems the person keeps as their 情報システム管理者 or
	// ネットワーク管理者.
	SystemAccounts Section[sysaccount.Account] `json:"system_accounts"`
	// Training are the person's own courses (研修・訓練) past their due month and not taken;
	// DepartmentTraining those of the people of the departments whose security role the person
	// holds (the 課長), with their names.
	Training           Section[training.Assignment] `json:"training"`
	DepartmentTraining Section[training.Assignment] `json:"department_training"`
	// Overview is the organisation's state, for its organisation-wide security roles and its
	// auditors; absent for anyone else.
	Overview *Overview `json:"overview,omitempty"`
}

// Overview is the organisation's state at a glance.
type Overview struct {
	// Findings are the open findings (not covered by an exception) by severity, and by
	// department; a finding whose severity is withheld from the reader counts as restricted.
	Findings    compliance.OpenCounts       `json:"findings"`
	Departments []compliance.DepartmentOpen `json:"departments"`
	// Incidents counts the incidents detected since IncidentsSince (the start of the fiscal
	// year, 4月1日 JST), by state.
	IncidentsSince time.Time      `json:"incidents_since"`
	Incidents      map[string]int `json:"incidents"`
	// Overdue items: returns past their due date, checklist steps past their deadline, and
	// logbook entries still waiting for their second person after the day of the work.
	OverdueReturns       int `json:"overdue_returns"`
	OverdueSteps         int `json:"overdue_steps"`
	OverdueConfirmations int `json:"overdue_confirmations"`
	// OverdueTasks counts the organisation's tasks of recurring duties past their due date.
	OverdueTasks int `json:"overdue_tasks"`
	// VacantRoles are the pack's roles left without a holder (by a 人事異動 or by hand), each
	// with the article that requires it; PendingTransfers the 人事異動 lists waiting for their day.
	VacantRoles      []transfer.Vacancy `json:"vacant_roles"`
	PendingTransfers []transfer.List    `json:"pending_transfers"`
}

// Service assembles desks from the domain services.
type Service struct {
	Policy     *orgpolicy.Service
	Requests   *request.Service
	Incidents  *incident.Service
	Compliance *compliance.Service
	Logbooks   *logbook.Service
	Audits     *audit.Service
	Tasks      *task.Service
	Reviews    *review.Service
	// Risks is the risk register; without it (a desk made for a test) no risk waits.
	Risks *risk.Service
	// Trainings may be nil (a desk without training).
	Trainings *training.Service
	// Inspections may be nil (a desk without self-inspection).
	Inspections *inspection.Service
	// Pledges may be nil (a desk without pledges).
	Pledges *pledge.Service
	// AccessReviews may be nil (a desk without access reviews).
	AccessReviews *accessreview.Service
	// Transfers may be nil (a desk without 人事異動): no role shows as vacant.
	Transfers *transfer.Service
	// SystemAccounts may be nil (a desk without the accounts of systems).
	SystemAccounts *sysaccount.Service
	Now            func() time.Time
}

// Watches reports whether the actor watches the whole organisation: a holder of a role the pack
// marks as a security role over the organisation, or an auditor.
func Watches(who access.Actor) bool {
	if who.IsAuditor() {
		return true
	}
	for _, g := range who.Roles {
		if g.Scope == "organization" && g.Security && !g.AllStaff {
			return true
		}
	}
	return false
}

// For returns the actor's desk. An organisation without a pack has nothing on its desks yet.
func (s *Service) For(ctx context.Context, who access.Actor) (Desk, error) {
	d := Desk{EndingSoonDays: compliance.EndingSoonDays}
	empty := func() Desk {
		return Desk{EndingSoonDays: d.EndingSoonDays, Awaiting: Section[request.Request]{Items: []request.Request{}},
			Mine: Section[request.Request]{Items: []request.Request{}}, OverdueReturns: Section[request.Request]{Items: []request.Request{}},
			Steps: Section[incident.ChecklistStep]{Items: []incident.ChecklistStep{}}, Incidents: Section[incident.Incident]{Items: []incident.Incident{}},
			Findings: Section[compliance.Shown]{Items: []compliance.Shown{}}, Exceptions: Section[compliance.Exception]{Items: []compliance.Exception{}},
			Confirmations: Section[logbook.Entry]{Items: []logbook.Entry{}}, CorrectiveActions: Section[audit.Action]{Items: []audit.Action{}},
			Risks: Section[risk.Risk]{Items: []risk.Risk{}}, OverdueTasks: Section[task.Task]{Items: []task.Task{}},
			Sheets: Section[inspection.Sheet]{Items: []inspection.Sheet{}}, InspectionFindings: Section[inspection.Finding]{Items: []inspection.Finding{}},
			Procedures: Section[review.Procedure]{Items: []review.Procedure{}},
			MyPledges:  Section[pledge.Item]{Items: []pledge.Item{}}, UnsignedPledges: Section[pledge.Item]{Items: []pledge.Item{}},
			AccessReviews:        Section[accessreview.Waiting]{Items: []accessreview.Waiting{}},
			OverdueAccessReviews: Section[accessreview.Review]{Items: []accessreview.Review{}},
			SystemAccounts:       Section[sysaccount.Account]{Items: []sysaccount.Account{}},
			Training:             Section[training.Assignment]{Items: []training.Assignment{}},
			DepartmentTraining:   Section[training.Assignment]{Items: []training.Assignment{}}}
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return empty(), err
	}
	if d.Awaiting, err = section(s.Requests.Awaiting(ctx, who, Rows)); err != nil {
		return d, err
	}
	if d.Mine, err = section(s.Requests.Mine(ctx, who, Rows)); err != nil {
		return d, err
	}
	if d.OverdueReturns, err = section(s.Requests.OverdueReturns(ctx, who, Rows)); err != nil {
		return d, err
	}
	inc, err := s.Incidents.DeskOf(ctx, who, Rows)
	if err != nil {
		return d, err
	}
	d.Steps, _ = section(inc.Steps, inc.StepsTotal, nil)
	d.Incidents, _ = section(inc.Handling, inc.HandlingTotal, nil)
	if d.Findings, err = section(s.Compliance.DepartmentFindings(ctx, who, Rows)); err != nil {
		return d, err
	}
	if d.Exceptions, err = section(s.Compliance.EndingSoon(ctx, who, compliance.EndingSoonDays, Rows)); err != nil {
		return d, err
	}
	if d.Confirmations, err = section(s.Logbooks.AwaitingConfirmation(ctx, who, Rows)); err != nil {
		return d, err
	}
	if d.CorrectiveActions, err = section(s.Audits.OverdueActions(ctx, who, Rows)); err != nil {
		return d, err
	}
	d.Risks = Section[risk.Risk]{Items: []risk.Risk{}}
	if s.Risks != nil {
		if d.Risks, err = section(s.Risks.Due(ctx, who, Rows)); err != nil {
			return d, err
		}
	}
	if d.OverdueTasks, err = section(s.Tasks.Overdue(ctx, who, Rows)); err != nil {
		return d, err
	}
	d.Training = Section[training.Assignment]{Items: []training.Assignment{}}
	d.DepartmentTraining = Section[training.Assignment]{Items: []training.Assignment{}}
	if s.Trainings != nil {
		if d.Training, err = section(s.Trainings.Overdue(ctx, who, Rows)); err != nil {
			return d, err
		}
		if d.DepartmentTraining, err = section(s.Trainings.DepartmentOverdue(ctx, who, Rows)); err != nil {
			return d, err
		}
	}
	if err := s.inspections(ctx, who, &d); err != nil {
		return d, err
	}
	if err := s.accessReviews(ctx, who, &d); err != nil {
		return d, err
	}
	d.Procedures = Section[review.Procedure]{Items: []review.Procedure{}}
	if s.Reviews != nil {
		due, err := s.Reviews.Due(ctx, who)
		if err != nil {
			return d, err
		}
		d.Procedures.Items, d.Procedures.Total = due[:min(len(due), Rows)], len(due)
	}
	d.MyPledges, d.UnsignedPledges = Section[pledge.Item]{Items: []pledge.Item{}}, Section[pledge.Item]{Items: []pledge.Item{}}
	if s.Pledges != nil {
		mine, others, total, err := s.Pledges.Pending(ctx, who, Rows)
		if err != nil {
			return d, err
		}
		d.MyPledges, _ = section(mine, len(mine), nil)
		d.UnsignedPledges, _ = section(others, total, nil)
	}
	d.SystemAccounts = Section[sysaccount.Account]{Items: []sysaccount.Account{}}
	if s.SystemAccounts != nil {
		if d.SystemAccounts, err = section(s.SystemAccounts.Flagged(ctx, who, Rows)); err != nil {
			return d, err
		}
	}
	if !Watches(who) {
		return d, nil
	}
	o := &Overview{OverdueReturns: d.OverdueReturns.Total, OverdueSteps: inc.Overdue}
	if o.Findings, o.Departments, err = s.Compliance.Overview(ctx, who); err != nil {
		return d, err
	}
	if o.Departments == nil {
		o.Departments = []compliance.DepartmentOpen{}
	}
	now := store.Now(s.Now).In(jst)
	o.IncidentsSince = FiscalYearStart(now)
	if o.Incidents, err = s.Incidents.ByState(ctx, who, o.IncidentsSince); err != nil {
		return d, err
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, jst)
	if o.OverdueConfirmations, err = s.Logbooks.UnconfirmedBefore(ctx, who, day); err != nil {
		return d, err
	}
	if o.OverdueTasks, err = s.Tasks.OverdueCount(ctx, who); err != nil {
		return d, err
	}
	if err := s.transfers(ctx, who, now, o); err != nil {
		return d, err
	}
	d.Overview = o
	return d, nil
}

// jst is the zone the organisations count their days and years in.
var jst = time.FixedZone("JST", 9*60*60)

// FiscalYearStart is the first day of the fiscal year (年度, from 4月1日) that t falls in, JST.
func FiscalYearStart(t time.Time) time.Time {
	t = t.In(jst)
	y := t.Year()
	if t.Month() < time.April {
		y--
	}
	return time.Date(y, time.April, 1, 0, 0, 0, 0, jst)
}

// inspections fills the desk's self-inspection sections.
func (s *Service) inspections(ctx context.Context, who access.Actor, d *Desk) error {
	d.Sheets, d.InspectionFindings = Section[inspection.Sheet]{Items: []inspection.Sheet{}}, Section[inspection.Finding]{Items: []inspection.Finding{}}
	if s.Inspections == nil {
		return nil
	}
	var err error
	if d.Sheets, err = section(s.Inspections.Awaiting(ctx, who, Rows)); err != nil {
		return err
	}
	list, err := s.Inspections.Findings(ctx, who, inspection.FindingFilter{Limit: 500})
	if err != nil {
		return err
	}
	d.InspectionFindings, _ = section(list[:min(len(list), Rows)], len(list), nil)
	return nil
}

// transfers fills the overview's vacant roles and pending 人事異動 lists.
func (s *Service) transfers(ctx context.Context, who access.Actor, now time.Time, o *Overview) error {
	o.VacantRoles, o.PendingTransfers = []transfer.Vacancy{}, []transfer.List{}
	if s.Transfers == nil {
		return nil
	}
	v, err := s.Transfers.Vacancies(ctx, who, now.Format(time.DateOnly))
	if err != nil {
		return err
	}
	if v != nil {
		o.VacantRoles = v
	}
	if !transfer.MayRead(who) {
		return nil
	}
	l, err := s.Transfers.Lists(ctx, who, transfer.StatePending, Rows)
	if l != nil {
		o.PendingTransfers = l
	}
	return err
}
