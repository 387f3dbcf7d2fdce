// Package request is 申請・承認: the permissions the policy requires (持ち出し, 外部送信, 廃棄,
// ソフトウェア導入, 外部ネットワーク接続, 例外措置 …), each an instance of an approval kind of the
// organisation's pack. A request is filed with the kind's fields and subject assets, routed
// step by step to the holders of the roles the pack names, decided (approve, reject, send back)
// by them or their acting holders, and — for kinds with a life after approval — taken out and
// returned, or disposed of. Every act is written with its audit entry in one transaction.
package request

import "time"

// States of a request.
const (
	Pending   = "pending"   // waiting for the decision of its current step
	SentBack  = "sent_back" // 差戻し: the applicant may edit and resubmit
	Approved  = "approved"
	Rejected  = "rejected"
	Cancelled = "cancelled"
	TakenOut  = "taken_out" // a returnable request whose asset is out (持ち出し中)
	Lent      = "lent"      // … lent (貸出中)
	Returned  = "returned"
	Disposed  = "disposed"
)

// Decisions an approver makes.
const (
	Approve  = "approve"
	Reject   = "reject"
	SendBack = "send_back"
)

// Capacities an act is done in.
const (
	AsHolder    = "holder"    // the holder of the role
	AsActing    = "acting"    // 代理: an acting holder
	AsApplicant = "applicant" // the applicant (submit, resubmit, cancel, take out …)
	AsOfficer   = "officer"   // a security role of the department recording the life of the request
)

// Request is one request with what lists show; Get fills its events, attachments and waits.
type Request struct {
	ID                  int64          `json:"id"`
	OrgID               int64          `json:"org_id"`
	Kind                string         `json:"kind"`
	KindName            string         `json:"kind_name"`
	ApplicantStaffID    int64          `json:"applicant_staff_id"`
	ApplicantUserID     int64          `json:"applicant_user_id,omitempty"`
	ApplicantName       string         `json:"applicant_name"`
	DepartmentID        int64          `json:"department_id"`
	DepartmentName      string         `json:"department_name"`
	SubjectDepartmentID int64          `json:"subject_department_id,omitempty"`
	SystemRef           string         `json:"system_ref,omitempty"`
	State               string         `json:"state"`
	Step                int            `json:"step"`
	Route               Route          `json:"route"`
	Fields              map[string]any `json:"fields"`
	AssetIDs            []int64        `json:"asset_ids"`
	PostHoc             bool           `json:"post_hoc"`
	ActedAt             *time.Time     `json:"acted_at,omitempty"`
	ReportDueAt         *time.Time     `json:"report_due_at,omitempty"`
	ReportedLate        bool           `json:"reported_late"`
	DueOn               string         `json:"due_on,omitempty"`
	TakenOutOn          string         `json:"taken_out_on,omitempty"`
	ReturnedOn          string         `json:"returned_on,omitempty"`
	Disposal            *Disposal      `json:"disposal,omitempty"`
	Cite                string         `json:"cite"`
	Version             int            `json:"version"`
	CreatedAt           time.Time      `json:"created_at"`
	UpdatedAt           time.Time      `json:"updated_at"`
	DecidedAt           *time.Time     `json:"decided_at,omitempty"`
	// Withheld: the request names an asset whose details are not for the reader, so its
	// freely written words are withheld (withhold.go): each such field reads {"withheld":
	// true}, and attachments, comments and a disposal's method are left out.
	Withheld bool `json:"withheld,omitempty"`

	Events      []Event      `json:"events,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Waits       []Wait       `json:"waits,omitempty"`
}

// Route is the approval steps of a request as resolved when it was filed, and the reports that
// follow its approval.
type Route struct {
	Steps   []Step    `json:"steps"`
	Notices []Decider `json:"notices,omitempty"`
}

// Step is one step of a route: any one of its deciders decides it, or, when Joint, every one
// must approve.
type Step struct {
	Deciders []Decider `json:"deciders"`
	Joint    bool      `json:"joint,omitempty"`
	Note     string    `json:"note,omitempty"`
}

// Decider is a pack role over a resolved scope, and the key request_waits and an actor's
// grants meet on.
type Decider struct {
	Role string `json:"role"`
	Of   string `json:"of"`
	Key  string `json:"key"`
}

// Wait is a role a request waits for now.
type Wait struct {
	Key     string `json:"key"`
	Role    string `json:"role"`
	Purpose string `json:"purpose"` // decide, notice
}

// Event is one act on a request: who did what, when, in which capacity, with the subject
// assets frozen as they were at a decision.
type Event struct {
	ID        int64     `json:"id"`
	Step      int       `json:"step"`
	Action    string    `json:"action"`
	Role      string    `json:"role,omitempty"`
	Key       string    `json:"key,omitempty"`
	Capacity  string    `json:"capacity"`
	StaffID   int64     `json:"staff_id,omitempty"`
	UserID    int64     `json:"user_id,omitempty"`
	ActorName string    `json:"actor_name"`
	Comment   string    `json:"comment,omitempty"`
	Snapshot  string    `json:"snapshot,omitempty"` // JSON of the subject assets at the time
	At        time.Time `json:"at"`
	// Withheld: the comment is withheld from the reader (Request.Withheld).
	Withheld bool `json:"withheld,omitempty"`
}

// Disposal is how a disposed asset was disposed of: 日時, 担当者 and 処理内容.
type Disposal struct {
	On              string `json:"on"`
	OperatorStaffID int64  `json:"operator_staff_id"`
	Method          string `json:"method"`
	// Withheld: the method is withheld from the reader (Request.Withheld).
	Withheld bool `json:"withheld,omitempty"`
}
