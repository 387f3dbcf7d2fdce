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
	"mamori/internal/audit"
	"mamori/internal/compliance"
	"mamori/internal/incident"
	"mamori/internal/inspection"
	"mamori/internal/logbook"
	"mamori/internal/orgpolicy"
	"mamori/internal/request"
	"mamori/internal/review"
	"mamori/internal/risk"
	"mamori/internal/store"
	"mamori/internal/task"
	"mamori/internal/training"
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
	Now         func() time.Time
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
			Procedures: Section[review.Procedure]{Items: []review.Procedure{}}, Training: Section[training.Assignment]{Items: []training.Assignment{}},
			DepartmentTraining: Section[training.Assignment]{Items: []training.Assignment{}}}
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
	d.Procedures = Section[review.Procedure]{Items: []review.Procedure{}}
	if s.Reviews != nil {
		due, err := s.Reviews.Due(ctx, who)
		if err != nil {
			return d, err
		}
		d.Procedures.Items, d.Procedures.Total = due[:min(len(due), Rows)], len(due)
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
