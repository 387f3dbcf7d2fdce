// Package task runs the pack's recurring duties (定期業務): each period of a duty is a task for
// the role that holds it — over the organisation, or one per department or system where the
// role is scoped so — due at the end of the period and closed with the evidence the duty names.
// The assignee is the role in its scope, not a person: whoever holds it when the task is read
// does it, and the task records who completed it.
package task

import (
	"context"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/logbook"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// States of a task as stored; Status adds what the date makes of an open one.
const (
	Open = "open"
	Done = "done"
)

// Statuses a page filters by and shows: done, overdue (open past its due date), current (open,
// its period begun) and upcoming (its period not yet begun).
const (
	StatusDone     = "done"
	StatusOverdue  = "overdue"
	StatusCurrent  = "current"
	StatusUpcoming = "upcoming"
)

// Statuses lists the statuses in the order pages offer them.
var Statuses = []string{StatusOverdue, StatusCurrent, StatusUpcoming, StatusDone}

// Task is one occurrence of a recurring duty.
type Task struct {
	ID           int64    `json:"id"`
	OrgID        int64    `json:"org_id"`
	DutyID       string   `json:"duty_id"`
	RoleID       string   `json:"role_id"`
	RoleName     string   `json:"role_name"`
	Scope        string   `json:"scope"` // organization, department, system
	DepartmentID int64    `json:"department_id,omitempty"`
	Department   string   `json:"department_name,omitempty"`
	SystemRef    string   `json:"system_ref,omitempty"`
	Every        string   `json:"every"`
	FiscalYear   int      `json:"fiscal_year"`
	PeriodStart  string   `json:"period_start"` // YYYY-MM-DD, JST
	DueOn        string   `json:"due_on"`       // YYYY-MM-DD, JST: the period's last day
	Text         string   `json:"text"`
	Cite         string   `json:"cite"`
	Evidence     string   `json:"evidence"` // note, file, logbook, checklist
	Logbook      string   `json:"logbook,omitempty"`
	Checklist    []string `json:"checklist,omitempty"`
	State        string   `json:"state"`
	Status       string   `json:"status"`
	// Holders are the people who hold the role in the task's scope today (and who act for them).
	Holders []Holder `json:"holders"`
	// What closed it.
	Note           string     `json:"note,omitempty"`
	Ticked         []int      `json:"ticked,omitempty"`
	LogbookEntryID int64      `json:"logbook_entry_id,omitempty"`
	File           *File      `json:"file,omitempty"`
	DoneAt         *time.Time `json:"done_at,omitempty"`
	DoneByUserID   int64      `json:"done_by_user_id,omitempty"`
	DoneByStaffID  int64      `json:"done_by_staff_id,omitempty"`
	DoneBy         string     `json:"done_by,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Holder is a person who holds a task's role in its scope today.
type Holder struct {
	StaffID int64  `json:"staff_id"`
	Name    string `json:"name"`
	Acting  bool   `json:"acting,omitempty"`
}

// File is the file that closed a task; its bytes are read with FileBody.
type File struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Service keeps the organisation's tasks.
type Service struct {
	DB       *store.DB
	Policy   *orgpolicy.Service
	Logbooks *logbook.Service
	Now      func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// today is the JST day of now.
func (s *Service) today() string { return s.now().In(jst).Format(time.DateOnly) }

// jst is the zone the organisations count their days and years in.
var jst = time.FixedZone("JST", 9*60*60)

func (s *Service) pack(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	p, _, err := s.Policy.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.Conflict, "tasks.error.no_pack")
	}
	return p, err
}

// status is what the day makes of a task.
func status(state, start, due, today string) string {
	switch {
	case state == Done:
		return StatusDone
	case due < today:
		return StatusOverdue
	case start > today:
		return StatusUpcoming
	}
	return StatusCurrent
}
