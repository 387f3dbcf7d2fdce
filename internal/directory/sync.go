package directory

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/i18n"
)

// SyncResult is what a staff sync from the directory did.
type SyncResult struct {
	People    int      `json:"people"`
	Created   int      `json:"created"`
	Moved     int      `json:"moved"`
	Unchanged int      `json:"unchanged"`
	Unmapped  []string `json:"unmapped,omitempty"` // logins whose department maps to none: left alone
}

// SyncPeople brings the staff records in line with the directory's people: each person whose
// department maps to one is found by employee number (created when none) and moved to it,
// the move recorded with the source 'directory'. People whose department maps to none are left
// alone and named. All of it is one transaction with its audit entries.
func (s *Service) SyncPeople(ctx context.Context, who access.Actor, people []Identity) (SyncResult, error) {
	if !MayConfigure(who) {
		return SyncResult{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var res SyncResult
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		st, err := settingsOf(ctx, tx, who.OrgID)
		if err != nil {
			return err
		}
		now := s.now()
		today := now.In(i18n.Tokyo).Format(time.DateOnly)
		res = SyncResult{People: len(people)}
		for _, id := range people {
			dept, ok := st.departmentFor(id.Department)
			if !ok {
				res.Unmapped = append(res.Unmapped, id.Login)
				continue
			}
			var before int64
			var found bool
			err := tx.QueryRowContext(ctx, `SELECT COALESCE(department_id, 0) FROM staff WHERE org_id = $1 AND employee_no = $2`,
				who.OrgID, staffNumber(id)).Scan(&before)
			found = err == nil
			if _, err := s.linkStaff(ctx, tx, who, 0, id, dept, today, now); err != nil {
				return err
			}
			switch {
			case !found:
				res.Created++
			case before != dept:
				res.Moved++
			default:
				res.Unchanged++
			}
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "directory_settings", EntityID: who.OrgID,
			Action: "directory.sync", After: res})
		return err
	})
	return res, err
}
