// Package accessreview is 棚卸し (the review of access rights): a review of the accounts of one
// information system, or of one department's staff, opened by the 情報政策課, the 統括 or the
// system's 情報システム管理者. Opening it copies the accounts in scope as they stand, each with
// the flags read from the account and its owner's staff record (leaver, moved, orphaned,
// privileged without owner, dormant); the pack's reviewers — the 課長 of the account's department
// and the system's administrator — decide keep / remove / change for each with a reason, within
// the pack's outcome rules (a leaver's account is removed); a removal or change is closed by its
// proof — who did it in the system and when — which marks the account itself; and the review
// closes when every account is decided and every removal proved.
package accessreview

import (
	"slices"
	"strings"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Scopes of a review.
const (
	ScopeSystem     = "system"
	ScopeDepartment = "department"
)

// States of a review.
const (
	StateOpen   = "open"
	StateClosed = "closed"
)

// Statuses of an item as the lists filter them.
const (
	StatusPending  = "pending"  // 未判定
	StatusAwaiting = "awaiting" // 判定済・作業の確認待ち
	StatusDone     = "done"     // 完了（継続、又は作業を確認済み）
)

// Statuses in the order the filters offer them.
var Statuses = []string{StatusPending, StatusAwaiting, StatusDone}

// Service keeps the access reviews.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// jstDay is the day in Japan of t, YYYY-MM-DD.
func jstDay(t time.Time) string { return t.In(i18n.Tokyo).Format(time.DateOnly) }

// Review is one 棚卸し.
type Review struct {
	ID             int64      `json:"id"`
	Title          string     `json:"title"`
	Scope          string     `json:"scope"`
	SystemRef      string     `json:"system_ref,omitempty"`
	SystemName     string     `json:"system_name,omitempty"`
	DepartmentID   int64      `json:"department_id,omitempty"`
	DepartmentName string     `json:"department_name,omitempty"`
	PackID         string     `json:"pack_id"`
	PackVersion    string     `json:"pack_version"`
	ReviewerRoles  []string   `json:"reviewer_roles"`
	ProofRoles     []string   `json:"proof_roles"`
	OpenedOn       string     `json:"opened_on"`
	DueOn          string     `json:"due_on"`
	State          string     `json:"state"`
	OpenedBy       string     `json:"opened_by"`
	OpenedByUser   int64      `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	ClosedBy       string     `json:"closed_by,omitempty"`
	Overdue        bool       `json:"overdue"`
	Counts         Counts     `json:"counts"`
}

// Counts are a review's (or a system's) items by where they stand.
type Counts struct {
	Total    int `json:"total"`
	Decided  int `json:"decided"`
	Kept     int `json:"kept"`
	Removed  int `json:"removed"`
	Changed  int `json:"changed"`
	Pending  int `json:"pending"`  // not decided
	Awaiting int `json:"awaiting"` // removal or change not yet proved
	Proved   int `json:"proved"`
	Flagged  int `json:"flagged"`
	Overdue  int `json:"overdue"` // pending or awaiting in a review past its due day
}

// Item is one account as the review copied it, with its decision and proof.
type Item struct {
	ID              int64      `json:"id"`
	ReviewID        int64      `json:"review_id"`
	AccountID       int64      `json:"account_id"`
	SystemRef       string     `json:"system_ref"`
	Login           string     `json:"login"`
	Kind            string     `json:"kind"`
	DisplayName     string     `json:"display_name,omitempty"`
	OwnerStaffID    int64      `json:"owner_staff_id,omitempty"`
	OwnerName       string     `json:"owner_name,omitempty"`
	OwnerDepartment string     `json:"owner_department,omitempty"`
	ResponsibleName string     `json:"responsible_name,omitempty"`
	DepartmentID    int64      `json:"department_id,omitempty"`
	DepartmentName  string     `json:"department_name,omitempty"`
	LastLoginOn     string     `json:"last_login_on,omitempty"`
	Flags           []string   `json:"flags"`
	Outcome         string     `json:"outcome,omitempty"`
	Reason          string     `json:"reason,omitempty"`
	DecidedBy       string     `json:"decided_by,omitempty"`
	DecidedAt       *time.Time `json:"decided_at,omitempty"`
	ProofOn         string     `json:"proof_on,omitempty"`
	ProofByName     string     `json:"proof_by_name,omitempty"`
	ProofNote       string     `json:"proof_note,omitempty"`
	ProvedBy        string     `json:"proved_by,omitempty"`
	ProvedAt        *time.Time `json:"proved_at,omitempty"`
	Version         int        `json:"version"`
	// Acts are what the actor may do with the item now.
	Acts ItemActs `json:"acts"`
}

// ItemActs are what the actor may do with an item.
type ItemActs struct {
	Decide bool `json:"decide"`
	Prove  bool `json:"prove"`
}

// Status is where the item stands (Status*).
func (it Item) Status() string {
	switch {
	case it.Outcome == "":
		return StatusPending
	case it.needsProof() && it.ProofOn == "":
		return StatusAwaiting
	}
	return StatusDone
}

// Flagged reports whether the item carries flag.
func (it Item) Flagged(flag string) bool { return slices.Contains(it.Flags, flag) }

func (it Item) needsProof() bool { return it.Outcome == "remove" || it.Outcome == "change" }

// Owner is who answers for the account: the staff member, or the named responsible person.
func (it Item) Owner() string {
	if it.OwnerName != "" {
		return it.OwnerName
	}
	return it.ResponsibleName
}

// joinList and splitList keep a list in one text column as ",a,b," so that SQL can ask
// whether it holds a value with LIKE '%,a,%'.
func joinList(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return "," + strings.Join(list, ",") + ","
}

func splitList(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// View is a review with what the actor may do with it.
type View struct {
	Review Review `json:"review"`
	Acts   Acts   `json:"acts"`
	// Full: the actor reads every item; otherwise only those they review or prove.
	Full bool `json:"full"`
}

// Acts are what the actor may do with a review.
type Acts struct {
	Close bool `json:"close"`
}
