// Package inspection is 自己点検 (self-inspection): a campaign that sends the pack's checklist,
// frozen when it starts, to the organisation's departments and role holders; their answers
// (実施 / 一部 / 未実施 / 該当なし) with comments and evidence; submission and 差戻し; the results
// by department × chapter compared with the year before; and the findings that 未実施 and 一部
// answers become, tracked to closure with evidence.
//
// Who answers what. An item whose role is department-scoped, is the role every member of staff
// holds, or names no role, is answered per department — one sheet for each department the
// campaign goes to — by the department's 情報セキュリティ管理者: the holders and acting holders of
// the pack's department-scoped security roles of that department (where a pack has none, as
// 上毛町's, whose 情報セキュリティ管理者 serves the whole town, the holders of its department-scoped
// roles). An item of an organisation- or system-scoped role is answered once for the organisation,
// on one sheet per role, by any holder or acting holder of that role: the role's holders answer
// for their posts together, and a system role's holders name the system in the comment.
package inspection

import (
	"time"

	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Answers an item may be given.
const (
	Done          = "done"           // 実施
	Partial       = "partial"        // 一部
	NotDone       = "not_done"       // 未実施
	NotApplicable = "not_applicable" // 該当なし
)

// Answers are the answers in the order the sheet offers them.
var Answers = []string{Done, Partial, NotDone, NotApplicable}

// States of a campaign and of a sheet.
const (
	CampaignOpen   = "open"
	CampaignClosed = "closed"

	SheetOpen      = "open"      // 未提出
	SheetSubmitted = "submitted" // 提出済
	SheetReturned  = "returned"  // 差戻し

	FindingOpen   = "open"
	FindingClosed = "closed"
	// FindingWithdrawn is a finding whose answer was corrected on a returned sheet.
	FindingWithdrawn = "withdrawn"
)

// Targets of an item: the department sheets or the sheet of its role.
const (
	TargetDepartment = "department"
	TargetRole       = "role"
)

// Finding due dates, counted from the day the sheet is submitted: a 未実施 answer is a duty not
// done and is to be put right within a quarter; a 一部 answer is a duty partly done — also a
// finding, since the part not done is a gap — with half a year to complete it.
const (
	NotDoneDueDays = 90
	PartialDueDays = 180
)

// Service keeps the campaigns, sheets, answers and findings.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// Campaign is one self-inspection.
type Campaign struct {
	ID          int64      `json:"id"`
	FiscalYear  int        `json:"fiscal_year"`
	Title       string     `json:"title"`
	PackID      string     `json:"pack_id"`
	PackVersion string     `json:"pack_version"`
	OpensOn     string     `json:"opens_on"`
	Deadline    string     `json:"deadline"`
	State       string     `json:"state"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	Items       int        `json:"items"`
	Sheets      int        `json:"sheets"`
	Submitted   int        `json:"submitted"`
}

// Item is one question of a campaign's frozen checklist.
type Item struct {
	ID       int64  `json:"id"`
	Seq      int    `json:"seq"`
	Key      string `json:"key"` // the pack's item id
	Question string `json:"question"`
	RoleID   string `json:"role_id,omitempty"`
	RoleName string `json:"role_name,omitempty"`
	Target   string `json:"target"`
	Article  string `json:"article"`
	Quote    string `json:"quote,omitempty"`
	Chapter  string `json:"chapter"`
}

// Sheet is what one department or one role answers in a campaign.
type Sheet struct {
	ID             int64      `json:"id"`
	CampaignID     int64      `json:"campaign_id"`
	DepartmentID   int64      `json:"department_id,omitempty"`
	DepartmentName string     `json:"department_name,omitempty"`
	RoleID         string     `json:"role_id,omitempty"`
	RoleName       string     `json:"role_name,omitempty"`
	State          string     `json:"state"`
	Deadline       string     `json:"deadline"`
	ReturnReason   string     `json:"return_reason,omitempty"`
	ReturnedAt     *time.Time `json:"returned_at,omitempty"`
	SubmittedAt    *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy    string     `json:"submitted_by,omitempty"`
	Version        int        `json:"version"`
	Items          int        `json:"items"`
	Answered       int        `json:"answered"`
	Counts         Counts     `json:"counts"`
	// Answerers are the names of those who answer it today (empty: nobody holds the role).
	Answerers []string `json:"answerers"`
}

// Name is the department's name, or the role's for a role sheet.
func (s Sheet) Name() string {
	if s.DepartmentID != 0 {
		return s.DepartmentName
	}
	return s.RoleName
}

// Counts are a sheet's answers by answer.
type Counts struct {
	Done          int `json:"done"`
	Partial       int `json:"partial"`
	NotDone       int `json:"not_done"`
	NotApplicable int `json:"not_applicable"`
}

func (c *Counts) add(answer string, n int) {
	switch answer {
	case Done:
		c.Done += n
	case Partial:
		c.Partial += n
	case NotDone:
		c.NotDone += n
	case NotApplicable:
		c.NotApplicable += n
	}
}

// Rate is the share of applicable items done, a partial answer counting half, in percent; -1
// when no item applies.
func (c Counts) Rate() float64 {
	n := c.Done + c.Partial + c.NotDone
	if n == 0 {
		return -1
	}
	return (float64(c.Done) + float64(c.Partial)/2) * 100 / float64(n)
}

// Answer is one item's answer on a sheet.
type Answer struct {
	Item       Item      `json:"item"`
	Answer     string    `json:"answer,omitempty"`
	Comment    string    `json:"comment,omitempty"`
	EvidenceID int64     `json:"evidence_id,omitempty"`
	Evidence   string    `json:"evidence_name,omitempty"`
	AnsweredBy string    `json:"answered_by,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
}

// SheetView is a sheet with its campaign and every item's answer, and what the actor may do.
type SheetView struct {
	Campaign Campaign `json:"campaign"`
	Sheet    Sheet    `json:"sheet"`
	Answers  []Answer `json:"answers"`
	Acts     Acts     `json:"acts"`
}

// Acts are what the actor may do with a sheet now.
type Acts struct {
	Answer bool `json:"answer"`
	Submit bool `json:"submit"`
	Return bool `json:"return"`
}

// timeValue is a scanned time.
type timeValue struct{ t time.Time }
