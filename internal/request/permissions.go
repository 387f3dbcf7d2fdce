package request

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Who may do what with a request. Each act asks one of the may… functions below before it
// changes anything, and ActionsFor asks the same ones of every act in advance: a page offers
// exactly the acts the service would carry out, and a rule changed here changes both.
//
// keys are the role keys the actor acts for (keysOf: held or acting), kind the pack's approval
// kind of the request (the zero kind when the pack no longer has it), evs its events.

// mayFile: a request is filed by a member of staff (職員等) whose staff record has a department
// (所属): the request belongs to that department, whose officers decide and read it. A user
// without a staff record is told so; one whose record lacks its department, that this is what is
// missing.
func mayFile(who access.Actor) error {
	if who.StaffID == 0 {
		return apperr.New(apperr.Forbidden, "request.error.not_staff")
	}
	if who.DepartmentID == 0 {
		return apperr.New(apperr.Forbidden, "request.error.staff_no_department")
	}
	return nil
}

// mayDecide: the request is pending at a step that waits for a role the actor acts for; its
// applicant decides it only where the kind allows self-approval (self_approval), and nobody
// approves one step twice. It returns the key decided for and the capacity it is decided in.
func mayDecide(keys map[string]string, kind policy.Approval, who access.Actor, r Request, evs []Event) (key, capacity string, err error) {
	if r.State != Pending {
		return "", "", apperr.InvalidField("state", "request.error.not_pending", r.State)
	}
	if key, capacity, err = waitFor(keys, r, "decide"); err != nil {
		return "", "", err
	}
	if isApplicant(who, r) && !kind.SelfApproval {
		return "", "", &apperr.Error{Code: apperr.Forbidden, Key: "request.error.self_approval",
			Fields: []apperr.FieldError{{Field: "decision", Key: "request.error.self_approval"}}}
	}
	if who.StaffID != 0 && approvedThisStep(evs, r.Step)[who.StaffID] {
		return "", "", apperr.InvalidField("decision", "request.error.already_decided")
	}
	return key, capacity, nil
}

// mayAcknowledge: a report after approval waits for a role the actor acts for. It returns the
// key acknowledged for and the capacity.
func mayAcknowledge(keys map[string]string, r Request) (key, capacity string, err error) {
	return waitFor(keys, r, "notice")
}

// waitFor finds the key the actor acts for among those the request waits for (for purpose),
// and the capacity they act in; an actor who acts for none is refused.
func waitFor(keys map[string]string, r Request, purpose string) (string, string, error) {
	for _, w := range r.Waits {
		if w.Purpose != purpose {
			continue
		}
		if c, ok := keys[w.Key]; ok {
			return w.Key, c, nil
		}
	}
	return "", "", &apperr.Error{Code: apperr.Forbidden, Key: "request.error.not_approver",
		Fields: []apperr.FieldError{{Field: "decision", Key: "request.error.not_approver"}}}
}

// mayResubmit: the applicant, of a request sent back to them.
func mayResubmit(who access.Actor, r Request) error {
	if !isApplicant(who, r) {
		return apperr.New(apperr.Forbidden, "request.error.not_applicant")
	}
	if r.State != SentBack {
		return apperr.InvalidField("state", "request.error.not_sent_back", r.State)
	}
	return nil
}

// mayCancel: the applicant, of a request that waits, was sent back, or is approved and not
// yet acted on.
func mayCancel(who access.Actor, r Request) error {
	if !isApplicant(who, r) {
		return apperr.New(apperr.Forbidden, "request.error.not_applicant")
	}
	switch r.State {
	case Pending, SentBack, Approved:
		return nil
	}
	return apperr.InvalidField("state", "request.error.not_cancellable", r.State)
}

// mayRecordLife: the life of a request after approval (taking out, return, disposal) is
// recorded by its applicant, an approver of its route, or a holder of a role over its or its
// subject's department, while the pack still has its kind.
func mayRecordLife(keys map[string]string, kind policy.Approval, who access.Actor, r Request) error {
	if !isApplicant(who, r) && !onRoute(keys, r) && !officerOf(who, r) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if kind.ID == "" {
		return apperr.InvalidField("kind", "request.error.kind", r.Kind)
	}
	return nil
}

// mayTakeOut: one who records the request's life (mayRecordLife), of an approved request of a
// returnable kind.
func mayTakeOut(keys map[string]string, kind policy.Approval, who access.Actor, r Request) error {
	if err := mayRecordLife(keys, kind, who, r); err != nil {
		return err
	}
	if !kind.Returnable {
		return apperr.InvalidField("kind", "request.error.not_returnable", kind.Name)
	}
	if r.State != Approved {
		return apperr.InvalidField("state", "request.error.not_approved", r.State)
	}
	return nil
}

// mayReturn: one who records the request's life, of assets taken out or lent.
func mayReturn(keys map[string]string, kind policy.Approval, who access.Actor, r Request) error {
	if err := mayRecordLife(keys, kind, who, r); err != nil {
		return err
	}
	if r.State != TakenOut && r.State != Lent {
		return apperr.InvalidField("state", "request.error.not_out", r.State)
	}
	if r.ReturnedOn != "" {
		return apperr.InvalidField("state", "request.error.return_recorded", r.ReturnedOn)
	}
	return nil
}

// mayConfirmReturn: where the pack wants a second person to confirm a return, one who records
// the request's life, of a recorded return still unconfirmed — neither its applicant nor whoever
// recorded the return (as a logbook entry is confirmed by someone who did not write it).
func mayConfirmReturn(keys map[string]string, kind policy.Approval, who access.Actor, r Request) error {
	if err := mayRecordLife(keys, kind, who, r); err != nil {
		return err
	}
	if kind.ReturnConfirmation == nil || (r.State != TakenOut && r.State != Lent) || r.ReturnedOn == "" {
		return apperr.InvalidField("state", "request.error.no_return_to_confirm", r.State)
	}
	if isApplicant(who, r) || recordedReturn(who, r.Events) {
		return apperr.New(apperr.Forbidden, "request.error.self_confirm_return")
	}
	return nil
}

// recordedReturn reports whether the actor recorded the request's last return.
func recordedReturn(who access.Actor, evs []Event) bool {
	for i := len(evs) - 1; i >= 0; i-- {
		if e := evs[i]; e.Action == "return" {
			return (who.StaffID != 0 && e.StaffID == who.StaffID) || (who.UserID != 0 && e.UserID == who.UserID)
		}
	}
	return false
}

// mayDispose: one who records the request's life, of an approved disposal.
func mayDispose(keys map[string]string, kind policy.Approval, who access.Actor, r Request) error {
	if err := mayRecordLife(keys, kind, who, r); err != nil {
		return err
	}
	if kind.Effect != "dispose" {
		return apperr.InvalidField("kind", "request.error.not_disposal", kind.Name)
	}
	if r.State != Approved {
		return apperr.InvalidField("state", "request.error.not_approved", r.State)
	}
	return nil
}

// Actions are the acts an actor may take on a request now, as the services that do them would
// decide: the pages offer exactly these, so that a button is never shown for an act the
// service then refuses.
type Actions struct {
	Decide      bool   // approve, reject or send back the current step
	Capacity    string // the capacity a decision or acknowledgement is made in (holder, acting)
	Acknowledge bool   // receive a report after approval
	Resubmit    bool
	Cancel      bool
	TakeOut     bool
	Return      bool
	// ConfirmReturn: confirm, as the second person, a return another recorded.
	ConfirmReturn bool
	Dispose       bool
}

// Any reports whether there is any act to offer.
func (a Actions) Any() bool {
	return a.Decide || a.Acknowledge || a.Resubmit || a.Cancel || a.TakeOut || a.Return || a.ConfirmReturn || a.Dispose
}

// ActionsFor returns what the actor may do with r, a request read by Get (with its events):
// the answers of the may… functions the acts themselves ask.
func (s *Service) ActionsFor(ctx context.Context, who access.Actor, r Request) (Actions, error) {
	var out Actions
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return out, err
	}
	keys, err := s.keysOf(ctx, s.DB.SQL, p, who)
	if err != nil {
		return out, err
	}
	kind, _ := approval(p, r.Kind)
	if _, c, err := mayDecide(keys, kind, who, r, r.Events); err == nil {
		out.Decide, out.Capacity = true, c
	}
	if _, c, err := mayAcknowledge(keys, r); err == nil {
		out.Acknowledge = true
		if out.Capacity == "" {
			out.Capacity = c
		}
	}
	out.Resubmit = mayResubmit(who, r) == nil
	out.Cancel = mayCancel(who, r) == nil
	out.TakeOut = mayTakeOut(keys, kind, who, r) == nil
	out.Return = mayReturn(keys, kind, who, r) == nil
	out.ConfirmReturn = mayConfirmReturn(keys, kind, who, r) == nil
	out.Dispose = mayDispose(keys, kind, who, r) == nil
	return out, nil
}
