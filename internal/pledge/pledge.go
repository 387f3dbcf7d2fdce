// Package pledge is 同意書・誓約書: the pledges the organisation's pack requires people to sign
// (非常勤職員 at their hiring, the staff of contractors at the start of their work), who is
// bound by each, and the signatures — made in Mamori with the typed full name, or on paper and
// recorded with its scan by the 情報政策課. A signature keeps the SHA-256 of the exact text
// signed, so a pack version that changes the text asks everyone bound to sign again.
//
// Supplier records (the 委託事業者 and their representatives' 誓約書) come with the suppliers
// capability; until then a contractor's staff sign as staff records of employment contractor.
package pledge

import (
	"time"

	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Service keeps the signatures and tells who has signed what.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

var jst = time.FixedZone("JST", 9*60*60)

func today(t time.Time) string { return t.In(jst).Format(time.DateOnly) }

// States of a person's pledge.
const (
	Unsigned = "unsigned" // 未署名
	Resign   = "resign"   // 要再署名: signed an earlier text, the pack has changed it
	Signed   = "signed"   // 署名済
)

// States lists the states in the order the pages filter them.
var States = []string{Unsigned, Resign, Signed}

// Pending reports whether the state waits for the person's signature.
func Pending(state string) bool { return state == Unsigned || state == Resign }

// Ways a pledge is signed.
const (
	Online = "online" // in Mamori, with the typed full name
	Paper  = "paper"  // on paper, recorded with its scan
)

// Signature is one person's signature of one text of a pledge.
type Signature struct {
	ID           int64     `json:"id"`
	PledgeID     string    `json:"pledge_id"`
	StaffID      int64     `json:"staff_id"`
	DepartmentID int64     `json:"department_id,omitempty"` // the signer's department when signing
	Method       string    `json:"method"`
	Title        string    `json:"title"`
	Text         string    `json:"text,omitempty"` // the text signed; empty in lists
	TextSHA256   string    `json:"text_sha256"`
	PackID       string    `json:"pack_id"`
	PackVersion  string    `json:"pack_version"`
	TypedName    string    `json:"typed_name,omitempty"`
	SignedOn     string    `json:"signed_on"` // YYYY-MM-DD, JST
	SignedAt     time.Time `json:"signed_at"`
	RemoteAddr   string    `json:"remote_addr,omitempty"`
	RecordedBy   string    `json:"recorded_by"`
	Scan         *Scan     `json:"scan,omitempty"`
}

// Scan is the scanned paper pledge of a signature.
type Scan struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Item is one person's state for one pledge of the pack.
type Item struct {
	PledgeID       string `json:"pledge_id"`
	Title          string `json:"title"`
	StaffID        int64  `json:"staff_id"`
	EmployeeNo     string `json:"employee_no"`
	Name           string `json:"name"`
	Employment     string `json:"employment"`
	DepartmentID   int64  `json:"department_id,omitempty"`
	DepartmentName string `json:"department_name,omitempty"`
	State          string `json:"state"`
	// DueOn is the day the pledge fell due: the hiring or the start of work (staff.hired_on or
	// the latest move of kind hire); empty when not known.
	DueOn string `json:"due_on,omitempty"`
	// Last is the person's latest signature of the pledge, whatever its text.
	Last *Signature `json:"last,omitempty"`
}
