// Package training runs 研修・訓練: the year's plan made from the pack's courses, its sessions
// and make-up sessions, who must take each course (by 職員区分, by the roles they hold, new hires
// and those transferred in the year), attendance by roll call, by an imported sheet or by the
// person's own confirmation of an e-learning module, and the completion by department and
// 職員区分 with the names still missing.
package training

import (
	"context"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Why a person is assigned a course.
const (
	ReasonAudience = "audience" // the course's audience by 職員区分 or role
	ReasonHire     = "hire"     // hired in the fiscal year (新規採用)
	ReasonTransfer = "transfer" // transferred in the fiscal year (異動)
	ReasonExtra    = "extra"    // recorded as attending though outside the audience
)

// How attendance was recorded.
const (
	HowRollCall = "roll_call"
	HowImport   = "import"
	HowSelf     = "self"
)

// Plan is one fiscal year's training plan.
type Plan struct {
	ID          int64      `json:"id"`
	OrgID       int64      `json:"org_id"`
	FiscalYear  int        `json:"fiscal_year"`
	PackID      string     `json:"pack_id"`
	PackVersion string     `json:"pack_version"`
	CreatedAt   time.Time  `json:"created_at"`
	CreatedBy   string     `json:"created_by"`
	AssignedAt  *time.Time `json:"assigned_at,omitempty"`
	Courses     []Course   `json:"courses"`
}

// Course is a course as the plan holds it, with its counts.
type Course struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Format       string `json:"format"` // classroom, elearning, drill
	RunBy        string `json:"run_by,omitempty"`
	RunByName    string `json:"run_by_name,omitempty"`
	DueOn        string `json:"due_on"`
	IncidentPlan bool   `json:"incident_plan,omitempty"`
	Cite         string `json:"cite"`
	Quote        string `json:"quote,omitempty"`
	Added        bool   `json:"added,omitempty"` // the organisation's setting, not the source's words
	Assigned     int    `json:"assigned"`
	Completed    int    `json:"completed"`
	Overdue      int    `json:"overdue"`
}

// Rate is the share completed, in whole per cent.
func (c Course) Rate() int { return rate(c.Completed, c.Assigned) }

func rate(done, of int) int {
	if of == 0 {
		return 0
	}
	return done * 100 / of
}

// Session is one session of a course (開催), or a make-up session (補講) of another.
type Session struct {
	ID         int64     `json:"id"`
	PlanID     int64     `json:"plan_id"`
	CourseID   string    `json:"course_id"`
	CourseName string    `json:"course_name"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Place      string    `json:"place"`
	Instructor string    `json:"instructor"`
	MakeupOf   int64     `json:"makeup_of,omitempty"`
	Note       string    `json:"note,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
	Attended   int       `json:"attended"`
}

// Assignment is one person's assignment to one course of a plan.
type Assignment struct {
	ID           int64  `json:"id"`
	PlanID       int64  `json:"plan_id"`
	FiscalYear   int    `json:"fiscal_year"`
	CourseID     string `json:"course_id"`
	CourseName   string `json:"course_name"`
	Format       string `json:"format"`
	StaffID      int64  `json:"staff_id"`
	EmployeeNo   string `json:"employee_no"`
	Name         string `json:"name"`
	DepartmentID int64  `json:"department_id,omitempty"`
	Department   string `json:"department_name,omitempty"`
	Employment   string `json:"employment"`
	Reason       string `json:"reason"`
	DueOn        string `json:"due_on"`
	CompletedOn  string `json:"completed_on,omitempty"`
	SessionID    int64  `json:"session_id,omitempty"`
	How          string `json:"how,omitempty"`
	RecordedBy   string `json:"recorded_by,omitempty"`
	Overdue      bool   `json:"overdue"`
}

// Service keeps the organisation's training.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// jst is the zone the organisations count their days and years in.
var jst = time.FixedZone("JST", 9*60*60)

func (s *Service) today() string { return s.now().In(jst).Format(time.DateOnly) }

// FiscalYear is the fiscal year (年度, from April) of t in JST.
func FiscalYear(t time.Time) int {
	t = t.In(jst)
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// yearBounds are the first and last day of a fiscal year.
func yearBounds(fy int) (string, string) {
	return time.Date(fy, time.April, 1, 0, 0, 0, 0, jst).Format(time.DateOnly),
		time.Date(fy+1, time.March, 31, 0, 0, 0, 0, jst).Format(time.DateOnly)
}

// monthEnd is the last day of month m of fiscal year fy (April–December in fy, January–March
// in fy+1).
func monthEnd(fy, m int) string {
	y := fy
	if m < 4 {
		y++
	}
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, jst).Format(time.DateOnly)
}

func (s *Service) pack(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	p, _, err := s.Policy.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.Conflict, "training.error.no_pack")
	}
	return p, err
}

// Pack is the organisation's active pack, for pages that show its courses.
func (s *Service) Pack(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	return s.pack(ctx, orgID)
}

// wrap gives an unexpected error its context; nil stays nil.
func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	return apperr.Wrap(err, what)
}
