// Package audit is the 情報セキュリティ監査: plans at three levels (the multi-year plan, the
// year's plan, each audit's plan), the audit team and its independence from what it audits,
// audit items checked against the pack's articles, their results, findings with their root
// cause, corrective actions (是正措置) with their effectiveness check, and the audit report
// whose hash is recorded in the audit chain when it is issued. It is not the audit log
// (監査ログ), which is internal/auditlog.
package audit

import (
	"context"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Service keeps the organisation's audits.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
	// Scores rates each department's risk for a fiscal year, higher first audited: the
	// self-inspection results feed it where the application sets it. Without it the suggestion
	// rests on the open compliance findings of each department (OpenFindingScores).
	Scores func(ctx context.Context, orgID int64, year int) (map[int64]float64, error)
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// jst is the zone the organisations count their days and fiscal years in.
var jst = time.FixedZone("JST", 9*60*60)

func today(now time.Time) string { return now.In(jst).Format(time.DateOnly) }

// FiscalYear is the fiscal year (年度, from 4月1日 JST) that t falls in.
func FiscalYear(t time.Time) int {
	t = t.In(jst)
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// Plan kinds: the multi-year plan (中期監査計画) and a fiscal year's plan (年度監査計画).
const (
	PlanMultiYear = "multi_year"
	PlanAnnual    = "annual"
)

// Audit kinds: one of the year's plan, or a special audit (特別監査) the CISO orders.
const (
	KindRegular = "regular"
	KindSpecial = "special"
)

// States of an audit.
const (
	StatePlanned    = "planned"
	StateInProgress = "in_progress"
	StateReported   = "reported"
	StateClosed     = "closed"
)

// Methods of an audit item: 書面 (documents), 聴取 (interview), 実地 (on site).
var Methods = []string{"document", "interview", "onsite"}

// Results of an audit item: 適合, 軽微な不適合, 重大な不適合, 観察事項.
var Results = []string{"conforming", "minor", "major", "observation"}

// Finding states and corrective-action states.
const (
	FindingOpen   = "open"
	FindingClosed = "closed"

	ActionPlanned     = "planned"
	ActionDone        = "done"
	ActionEffective   = "effective"
	ActionIneffective = "ineffective"
)

// Plan is a multi-year plan or a fiscal year's plan.
type Plan struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	FromYear    int       `json:"from_year"`
	ToYear      int       `json:"to_year"`
	Title       string    `json:"title"`
	Aims        string    `json:"aims"`
	Timing      string    `json:"timing"`
	Departments []Named   `json:"departments"`
	Systems     []string  `json:"systems"`
	CreatedAt   time.Time `json:"created_at"`
}

// Named is a department with its name.
type Named struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Audit is one audit: its plan (scope, criteria, team, dates) and its state.
type Audit struct {
	ID          int64     `json:"id"`
	PlanID      int64     `json:"plan_id,omitempty"`
	FiscalYear  int       `json:"fiscal_year"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Objective   string    `json:"objective"`
	Criteria    []string  `json:"criteria"`
	StartsOn    string    `json:"starts_on"`
	EndsOn      string    `json:"ends_on"`
	State       string    `json:"state"`
	Departments []Named   `json:"departments"`
	Systems     []string  `json:"systems"`
	Team        []Auditor `json:"team"`
	CreatedAt   time.Time `json:"created_at"`
	Report      Report    `json:"report"`
	// Counts of the audit's results and findings, for lists.
	Items         int `json:"items"`
	OpenFindings  int `json:"open_findings"`
	TotalFindings int `json:"total_findings"`
}

// Auditor is a member of an audit's team.
type Auditor struct {
	StaffID        int64  `json:"staff_id"`
	Name           string `json:"name"`
	DepartmentName string `json:"department_name"`
	Lead           bool   `json:"lead"`
	External       bool   `json:"external"`
}

// Report is the audit report (監査報告書): its four parts and, once issued, its hash.
type Report struct {
	Intro    string     `json:"intro"`
	Summary  string     `json:"summary"`
	Opinion  string     `json:"opinion"`
	Remarks  string     `json:"remarks"`
	SHA256   string     `json:"sha256,omitempty"`
	IssuedAt *time.Time `json:"issued_at,omitempty"`
}

// Item is one audit item and its result.
type Item struct {
	ID             int64      `json:"id"`
	AuditID        int64      `json:"audit_id"`
	DepartmentID   int64      `json:"department_id,omitempty"`
	DepartmentName string     `json:"department_name,omitempty"`
	Title          string     `json:"title"`
	Article        string     `json:"article"`
	Method         string     `json:"method"`
	Result         string     `json:"result"`
	Note           string     `json:"note"`
	RecordedAt     *time.Time `json:"recorded_at,omitempty"`
	Evidence       []Evidence `json:"evidence"`
}

// Finding is a non-conformity or an observation of an item.
type Finding struct {
	ID             int64      `json:"id"`
	AuditID        int64      `json:"audit_id"`
	AuditTitle     string     `json:"audit_title,omitempty"`
	ItemID         int64      `json:"item_id"`
	DepartmentID   int64      `json:"department_id,omitempty"`
	DepartmentName string     `json:"department_name,omitempty"`
	Grade          string     `json:"grade"`
	Article        string     `json:"article"`
	Title          string     `json:"title"`
	Detail         string     `json:"detail"`
	RootCause      string     `json:"root_cause"`
	State          string     `json:"state"`
	CreatedAt      time.Time  `json:"created_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	Actions        []Action   `json:"actions"`
}

// Action is a corrective action of a finding.
type Action struct {
	ID           int64      `json:"id"`
	AuditID      int64      `json:"audit_id"`
	FindingID    int64      `json:"finding_id"`
	FindingTitle string     `json:"finding_title,omitempty"`
	Article      string     `json:"article,omitempty"`
	DepartmentID int64      `json:"department_id,omitempty"`
	Plan         string     `json:"plan"`
	OwnerStaffID int64      `json:"owner_staff_id"`
	OwnerName    string     `json:"owner_name"`
	DueOn        string     `json:"due_on"`
	State        string     `json:"state"`
	DoneNote     string     `json:"done_note"`
	DoneAt       *time.Time `json:"done_at,omitempty"`
	CheckNote    string     `json:"check_note"`
	FollowUp     string     `json:"follow_up"`
	CheckedAt    *time.Time `json:"checked_at,omitempty"`
	Overdue      bool       `json:"overdue"`
	Evidence     []Evidence `json:"evidence"`
}

// Evidence is an evidence file's metadata; its bytes are read with EvidenceBody.
type Evidence struct {
	ID          int64     `json:"id"`
	ItemID      int64     `json:"item_id,omitempty"`
	ActionID    int64     `json:"action_id,omitempty"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	AddedAt     time.Time `json:"added_at"`
}

// Detail is an audit as one reader sees it: its items and evidence, its findings with their
// corrective actions. Partial is true for a reader from an audited department, who sees the
// findings and corrective actions of their own departments and no item.
type Detail struct {
	Audit
	Items    []Item    `json:"items"`
	Findings []Finding `json:"findings"`
	Partial  bool      `json:"partial"`
	Acts     Acts      `json:"acts"`
}

// Acts are what the reader may do on the audit now, as the permission functions decide.
type Acts struct {
	AddAuditor bool `json:"add_auditor"`
	Record     bool `json:"record"`
	Check      bool `json:"check"`
	Issue      bool `json:"issue"`
	// Plan is the ids of the findings whose corrective action the reader may plan; Complete
	// those of the actions they may complete.
	Plan     []int64 `json:"plan"`
	Complete []int64 `json:"complete"`
}

// wrap is apperr.Wrap for an error that may be nil.
func wrap(err error, context string) error {
	if err == nil {
		return nil
	}
	return apperr.Wrap(err, context)
}
