// Package transfer is 人事異動: the import of the 人事異動 list that moves Mamori's staff records —
// hires, transfers, secondments, returns and leavers — with a dry run that changes nothing, then
// an all-or-nothing apply that updates the staff records, records each move (staff_moves) and
// ends the role assignments tied to the old post, at once or on the moves' day.
package transfer

import (
	"context"
	"time"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/i18n"
	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Service imports and applies 人事異動 lists.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service // role names and citations of the organisation's pack
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// today is the JST date of now, YYYY-MM-DD.
func (s *Service) today() string { return s.now().In(i18n.Tokyo).Format(time.DateOnly) }

// States of a list.
const (
	StateDraft     = "draft"
	StatePending   = "pending"
	StateApplied   = "applied"
	StateWithdrawn = "withdrawn"
	StateFailed    = "failed"
)

// States of a row.
const (
	RowPending   = "pending"
	RowApplied   = "applied"
	RowWithdrawn = "withdrawn"
)

// MayImport reports whether the actor may upload and apply a 人事異動 list: the administrators of
// the organisation (情報政策課), who keep its staff records.
func MayImport(who access.Actor) bool { return who.CanAdminister() && !who.ReadOnly }

// MayRead reports whether the actor may read the lists and the moves: the administrators, the
// holders of an organisation-wide security role (CISO, 統括情報セキュリティ責任者 …) and the
// auditors. A list names people, their posts and their leaving; it is not for every member of
// staff.
func MayRead(who access.Actor) bool {
	if who.CanAdminister() || who.IsAuditor() {
		return true
	}
	for _, g := range who.Roles {
		if g.Security && g.Scope == "organization" {
			return true
		}
	}
	return false
}

// AuditReadable is the audit log's rule for the entries of lists: those who read the lists.
// Staff records and role assignments a move changes are written under their own kinds (staff,
// role_assignment), which every reader of the audit log reads.
func (s *Service) AuditReadable(_ context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	for i := range out {
		out[i] = MayRead(who)
	}
	return out, nil
}
