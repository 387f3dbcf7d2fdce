// Package logbook keeps the 記録簿 a policy pack requires — 入退室管理簿, 記録媒体処理簿, 作業記録,
// 障害記録 and the rest — as entries whose fields are the pack's, checked by type, written and
// read by the people the pack and the organisation put in charge, confirmed by a second person
// where the pack says so, and never changed once written: a correction is a new entry that
// supersedes the old one, so that the ledger keeps its history.
package logbook

import (
	"time"

	"mamori/internal/policy"
)

// Confirmation states of an entry.
const (
	NotRequired = ""          // the logbook needs no second person
	Pending     = "pending"   // 未確認: waiting for a second person
	Confirmed   = "confirmed" // 確認済み
)

// Entry is one line of a logbook.
type Entry struct {
	ID             int64             `json:"id"`
	OrgID          int64             `json:"org_id"`
	Logbook        string            `json:"logbook"`
	DepartmentID   int64             `json:"department_id"`
	DepartmentName string            `json:"department_name"`
	OccurredAt     time.Time         `json:"occurred_at"`       // the entry's own date and time (its first date field), else when it was written
	Fields         map[string]any    `json:"fields"`            // field id → value as the pack types it
	Display        map[string]string `json:"display"`           // field id → value as a person reads it (names of staff, assets, departments as written)
	Visitor        bool              `json:"visitor,omitempty"` // 入退室管理簿: the person is not staff
	EscortStaffID  int64             `json:"escort_staff_id,omitempty"`
	EscortName     string            `json:"escort_name,omitempty"`
	Status         string            `json:"status"` // "", pending, confirmed
	WrittenByUser  int64             `json:"written_by_user_id,omitempty"`
	WrittenByStaff int64             `json:"written_by_staff_id,omitempty"`
	WrittenBy      string            `json:"written_by"`      // login
	WriterName     string            `json:"written_by_name"` // display name
	CreatedAt      time.Time         `json:"created_at"`
	ConfirmedUser  int64             `json:"confirmed_by_user_id,omitempty"`
	ConfirmedBy    string            `json:"confirmed_by,omitempty"`
	ConfirmerName  string            `json:"confirmed_by_name,omitempty"`
	ConfirmedAt    *time.Time        `json:"confirmed_at,omitempty"`
	Supersedes     int64             `json:"supersedes_id,omitempty"`
	SupersededBy   int64             `json:"superseded_by_id,omitempty"`
}

// Input is what a person writes in a logbook.
type Input struct {
	Logbook      string         `json:"logbook"`
	DepartmentID int64          `json:"department_id"` // 0: the writer's own department
	Fields       map[string]any `json:"fields"`
	// Visitor and EscortStaffID are for a room access log: a person who is not staff enters
	// only with an authorised member of staff (上毛町 4(2)②ウ, 安平町 第24条(5)). Where the pack's
	// logbook has a staff field "escort", that field is the escort and EscortStaffID is ignored.
	Visitor       bool  `json:"visitor"`
	EscortStaffID int64 `json:"escort_staff_id"`
}

// Filter narrows a listing.
type Filter struct {
	Logbook      string
	From, To     string // JST dates YYYY-MM-DD, inclusive, on OccurredAt
	DepartmentID int64
	Unconfirmed  bool
	Query        string // words found in the entry's values; two characters suffice
	History      bool   // include superseded entries
	Limit        int
	Offset       int
}

// IsRoomAccess reports whether a logbook is a room access log (入退室管理簿), where visitors must
// be escorted: the pack says so with the logbook's key visitors, whatever its id.
func IsRoomAccess(lb policy.Logbook) bool { return lb.Visitors }

// escortField returns the pack's own escort field of a room access log, if it has one.
func escortField(lb policy.Logbook) (policy.Field, bool) {
	for _, f := range lb.Fields {
		if f.ID == "escort" && f.Type == "staff" {
			return f, true
		}
	}
	return policy.Field{}, false
}

// Find returns a pack's logbook by id.
func Find(p *policy.Compiled, id string) (policy.Logbook, bool) {
	for _, lb := range p.Logbooks {
		if lb.ID == id {
			return lb, true
		}
	}
	return policy.Logbook{}, false
}
