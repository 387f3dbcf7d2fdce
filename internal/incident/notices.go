package incident

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/notify"
)

// Kinds of notice about incidents.
const (
	NoticeReported  = "incident.reported"  // a report waits for triage by the first recipients
	NoticeToTell    = "incident.to_tell"   // the triage put reports on the recipient's checklist
	NoticeOverdue   = "incident.overdue"   // a report on the checklist is past its deadline
	NoticePlan      = "incident.plan"      // a 再発防止計画 waits for the recipient's approval
	NoticeAnnounced = "incident.announced" // a 再発防止計画 is announced to staff
	NoticeUpward    = "incident.upward"    // an incident was reported by an organisation below
	NoticeSupport   = "incident.support"   // the parent organisation's CSIRT added support
)

const refType = "incident"

func link(id int64) string { return "/incidents/" + strconv.FormatInt(id, 10) }

// text is a notice's words from the catalogs, in Japanese and English.
func text(key string, args ...any) notify.Text {
	return notify.Text{Ja: i18n.T(i18n.Ja, key, args...), En: i18n.T(i18n.En, key, args...)}
}

// tell writes one notice about an incident inside tx.
func tell(ctx context.Context, tx *sql.Tx, orgID int64, staff []int64, kind, once string, in Incident, at time.Time, subject, body notify.Text) error {
	if len(staff) == 0 {
		return nil
	}
	return notify.Notify(ctx, tx, notify.Notice{OrgID: orgID, Staff: staff, Kind: kind, Subject: subject, Body: body,
		Link: link(in.ID), Ref: notify.Ref{Type: refType, ID: in.ID}, Once: once, At: at})
}
