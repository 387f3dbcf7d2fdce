package incident

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// PublicationInput is the decision whether to make an incident public (山形県 6.6(2), 上毛町
// 2(8)③), and when it was published, with what.
type PublicationInput struct {
	Version     int        `json:"version"`
	Publish     bool       `json:"publish"`
	Reason      string     `json:"reason"`
	Via         string     `json:"via"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Content     string     `json:"content"`
}

// DecidePublication records the decision, made by the holder of the pack's deciding role
// (Publication.DecidedBy) or else of an organisation-wide security role (mayPublish). It may be decided again
// (not to publish, then to publish); each decision stays on the timeline.
func (s *Service) DecidePublication(ctx context.Context, who access.Actor, id int64, in PublicationInput) (Incident, error) {
	return s.act(ctx, who, id, in.Version, "publication", func(tx *sql.Tx, inc *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		if err := mayPublish(p, who, *inc); err != nil {
			return Event{}, err
		}
		var v apperr.Validation
		checkText(&v, "reason", &in.Reason, maxText, true)
		checkText(&v, "via", &in.Via, maxShort, false)
		checkText(&v, "content", &in.Content, maxText, false)
		if in.PublishedAt != nil {
			if !in.Publish {
				v.Add("published_at", "incident.error.not_published")
			}
			t := checkAt(&v, "published_at", *in.PublishedAt, inc.DetectedAt, now)
			in.PublishedAt = &t
		}
		if in.Via == "" && p.Incident.Publication != nil && in.Publish {
			in.Via = p.Incident.Publication.Via
		}
		inc.Publication = &Publication{Publish: in.Publish, Reason: in.Reason, Via: in.Via, DecidedBy: who.StaffID, DecidedAt: now,
			PublishedAt: in.PublishedAt, Content: in.Content}
		return Event{Kind: "publication", At: now, Text: in.Reason, Data: map[string]any{"publish": in.Publish, "via": in.Via}}, v.Err()
	})
}

// MarkCrime records that an incident may be a crime (不正アクセス禁止法違反等) and which records
// of the attack are kept (山形県 6.6(3)).
func (s *Service) MarkCrime(ctx context.Context, who access.Actor, id int64, version int, recordsKept string) (Incident, error) {
	return s.act(ctx, who, id, version, "crime", func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		var v apperr.Validation
		checkText(&v, "records_kept", &recordsKept, maxText, true)
		if in.Crime == nil {
			in.Crime = &Crime{Contacts: []PoliceContact{}}
		}
		in.Crime.Suspected, in.Crime.RecordsKept = true, recordsKept
		return Event{Kind: "crime", At: now, Text: recordsKept}, v.Err()
	})
}

// LogPoliceContact records a contact with the police or another agency about an incident marked
// as a possible crime.
func (s *Service) LogPoliceContact(ctx context.Context, who access.Actor, id int64, version int, c PoliceContact) (Incident, error) {
	return s.act(ctx, who, id, version, "police", func(tx *sql.Tx, in *Incident, p *policy.Compiled, now time.Time) (Event, error) {
		var v apperr.Validation
		if in.Crime == nil || !in.Crime.Suspected {
			v.Add("crime", "incident.error.not_crime")
		}
		c.At = checkAt(&v, "at", c.At, in.DetectedAt, now)
		checkText(&v, "agency", &c.Agency, maxShort, true)
		checkText(&v, "person", &c.Person, maxShort, false)
		checkText(&v, "reference", &c.Reference, maxShort, false)
		checkText(&v, "note", &c.Note, maxText, false)
		if !contains(Means, c.Means) {
			v.Add("means", "incident.error.means")
		}
		if err := v.Err(); err != nil {
			return Event{}, err
		}
		c.StaffID = who.StaffID
		in.Crime.Contacts = append(in.Crime.Contacts, c)
		return Event{Kind: "police", At: c.At, Text: c.Note, Data: map[string]any{"agency": c.Agency, "person": c.Person, "means": c.Means, "reference": c.Reference}}, nil
	})
}
