package incident

import (
	"context"
	"database/sql"
	"strconv"

	"mamori/internal/apperr"
)

// Reminder is one overdue report the sweep reminded of.
type Reminder struct {
	OrgID      int64 `json:"org_id"`
	IncidentID int64 `json:"incident_id"`
	StepID     int64 `json:"step_id"`
	Recipients int   `json:"recipients"`
}

// Remind tells, in every organisation, those responsible for each report of a checklist that is
// past its deadline: the holders of its From's role (the reporter, for the finder) and the first
// recipients who coordinate the response. It is meant for a periodic job; each report is reminded
// of once per JST day (the notice's Once key), so that sweeps run by several processes, or again
// the same day, send nothing twice. Each report is reminded in a transaction of its own.
func (s *Service) Remind(ctx context.Context) ([]Reminder, error) {
	now := s.now()
	today := day(now)
	list, err := querySteps(ctx, s.DB.SQL, now, `WHERE n.state = 'open' AND n.due_at < $1 AND NOT EXISTS (SELECT 1 FROM notices x
		WHERE x.org_id = n.org_id AND x.kind = $2 AND x.ref_type = 'incident' AND x.ref_id = n.incident_id AND x.once_key = CAST($3 AS TEXT) || ':' || CAST(n.id AS TEXT))
		ORDER BY n.due_at, n.id`, now, NoticeOverdue, today)
	if err != nil {
		return nil, err
	}
	var out []Reminder
	for _, n := range list {
		var sent Reminder
		err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
			var orgID int64
			if err := tx.QueryRowContext(ctx, `SELECT org_id FROM incidents WHERE id = $1`, n.IncidentID).Scan(&orgID); err != nil {
				return apperr.Wrap(err, "incident")
			}
			in, err := read(ctx, tx, orgID, n.IncidentID)
			if err != nil {
				return err
			}
			p, err := s.Policy.Required(ctx, orgID)
			if err != nil {
				return err
			}
			staff, err := contactHolders(ctx, tx, p, in, n.From, today)
			if err != nil {
				return err
			}
			if finderContact(p, n.From) && in.ReporterID != 0 {
				staff = append(staff, in.ReporterID)
			}
			more, err := recipientHolders(ctx, tx, p, in, today)
			if err != nil {
				return err
			}
			staff = append(staff, more...)
			sent = Reminder{OrgID: orgID, IncidentID: in.ID, StepID: n.ID, Recipients: len(staff)}
			from, _ := p.Contact(n.From)
			return tell(ctx, tx, orgID, staff, NoticeOverdue, today+":"+strconv.FormatInt(n.ID, 10), in, now,
				text("notice.incident.overdue", in.Title, n.ToName),
				text("notice.incident.overdue_body", in.Title, from.Name, n.ToName, *n.DueAt, n.Cite))
		})
		if err != nil {
			return out, err
		}
		if sent.Recipients > 0 {
			out = append(out, sent)
		}
	}
	return out, nil
}
