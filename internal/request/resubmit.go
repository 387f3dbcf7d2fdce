package request

import (
	"context"
	"database/sql"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// Resubmission is the applicant's edited request after it was sent back (差戻し).
type Resubmission struct {
	Fields      map[string]any  `json:"fields"`
	Comment     string          `json:"comment"`
	Version     int             `json:"version"`
	Attachments []NewAttachment `json:"-"` // added to those already given
}

// Resubmit files a sent-back request again with edited fields; it starts again at the first
// step. Only the applicant resubmits (mayResubmit).
func (s *Service) Resubmit(ctx context.Context, who access.Actor, id int64, in Resubmission) (Request, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Request{}, err
	}
	r, err := s.current(ctx, who, id, in.Version)
	if err != nil {
		return Request{}, err
	}
	if err := mayResubmit(who, r); err != nil {
		return Request{}, err
	}
	a, ok := approval(p, r.Kind)
	if !ok {
		return Request{}, apperr.InvalidField("kind", "request.error.kind", r.Kind)
	}
	fileFields := map[string]bool{}
	for _, f := range a.Fields {
		fileFields[f.ID] = f.Type == "file"
	}
	files, err := checkAttachments(in.Attachments, fileFields)
	if err != nil {
		return Request{}, err
	}
	old, err := attachments(ctx, s.DB.SQL, id)
	if err != nil {
		return Request{}, err
	}
	for _, at := range old {
		files[at.Field] = true
	}
	var v apperr.Validation
	fields := checkFields(a, in.Fields, files, &v)
	checkComment(&v, in.Comment)
	c := change{state: Pending, step: 0, fields: fields}
	c.dueOn = checkDue(&v, a, fields, s.today())
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := checkRefs(ctx, tx, who.OrgID, a, fields); err != nil {
			return err
		}
		before := r
		if err := apply(ctx, tx, &r, c, now); err != nil {
			return err
		}
		if err := setWaits(ctx, tx, r.OrgID, r.ID, "decide", r.Route.Steps[0].Deciders); err != nil {
			return err
		}
		if err := s.noticeAfter(ctx, tx, p, who, r, "resubmit", 0, in.Comment, now); err != nil {
			return err
		}
		for _, at := range in.Attachments {
			if _, err := insertAttachment(ctx, tx, r.OrgID, r.ID, who.StaffID, now, at); err != nil {
				return err
			}
		}
		snap, err := snapshotJSON(ctx, tx, r)
		if err != nil {
			return err
		}
		if _, err := addEvent(ctx, tx, who, r.ID, Event{Action: "resubmit", Capacity: AsApplicant, Comment: strings.TrimSpace(in.Comment), Snapshot: snap, At: now}); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "request", EntityID: r.ID, Action: "request.resubmit",
			Before: map[string]any{"state": before.State, "fields": before.Fields, "version": before.Version},
			After:  map[string]any{"state": r.State, "fields": r.Fields, "version": r.Version}})
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, who, id)
}

// Cancel withdraws a request that is waiting, sent back, or approved but not yet acted on.
// Only the applicant cancels (mayCancel).
func (s *Service) Cancel(ctx context.Context, who access.Actor, id int64, comment string, version int) (Request, error) {
	r, err := s.current(ctx, who, id, version)
	if err != nil {
		return Request{}, err
	}
	if err := mayCancel(who, r); err != nil {
		return Request{}, err
	}
	var v apperr.Validation
	checkComment(&v, comment)
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before := summary(r)
		if err := apply(ctx, tx, &r, change{state: Cancelled, step: r.Step}, now); err != nil {
			return err
		}
		if err := setWaits(ctx, tx, r.OrgID, r.ID, "", nil); err != nil {
			return err
		}
		if _, err := addEvent(ctx, tx, who, r.ID, Event{Step: r.Step, Action: "cancel", Capacity: AsApplicant, Comment: strings.TrimSpace(comment), At: now}); err != nil {
			return err
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "request", EntityID: r.ID, Action: "request.cancel", Before: before, After: summary(r)})
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, who, id)
}

// Draft returns a sent-back request to its applicant, to edit and resubmit: the form the
// edit page fills. Anyone else who may see the request is refused, as Resubmit refuses them,
// and so is the applicant of a request that was not sent back.
func (s *Service) Draft(ctx context.Context, who access.Actor, id int64) (Request, error) {
	r, err := s.Get(ctx, who, id)
	if err != nil {
		return Request{}, err
	}
	err = mayResubmit(who, r)
	if apperr.CodeOf(err) == apperr.Invalid {
		err = apperr.New(apperr.Conflict, "request.error.not_editable")
	}
	if err != nil {
		return Request{}, err
	}
	return r, nil
}

// current reads a request as Get does, refusing it as a conflict when it is no longer at the
// version the actor saw (0: the one read now).
func (s *Service) current(ctx context.Context, who access.Actor, id int64, version int) (Request, error) {
	r, err := s.Get(ctx, who, id)
	if err != nil {
		return r, err
	}
	if version != 0 && version != r.Version {
		return r, apperr.New(apperr.Conflict, "request.error.conflict")
	}
	return r, nil
}
