package request

import (
	"context"
	"database/sql"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// Decision is an approver's decision on the current step of a request.
type Decision struct {
	Decision string `json:"decision"` // approve, reject, send_back
	Comment  string `json:"comment"`
	// Version is the version of the request the approver saw; 0 for the one read now. A request
	// changed since is refused as a conflict.
	Version int `json:"version"`
}

// Decide records a decision on the current step, for one who may (mayDecide: an actor who
// holds or acts for a role the step waits for, not its applicant unless the kind allows it,
// who has not decided the step already); rejecting and sending back need a comment. Of two approvers
// deciding at once one wins and the other gets a conflict.
func (s *Service) Decide(ctx context.Context, who access.Actor, id int64, d Decision) (Request, error) {
	var v apperr.Validation
	d.Comment = strings.TrimSpace(d.Comment)
	switch d.Decision {
	case Approve:
	case Reject, SendBack:
		if d.Comment == "" {
			v.Add("comment", "request.error.comment_required")
		}
	default:
		v.Add("decision", "request.error.decision")
	}
	checkComment(&v, d.Comment)
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Request{}, err
	}
	r, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Request{}, err
	}
	if d.Version != 0 && d.Version != r.Version {
		return Request{}, apperr.New(apperr.Conflict, "request.error.conflict")
	}
	keys, err := s.keysOf(ctx, s.DB.SQL, p, who)
	if err != nil {
		return Request{}, err
	}
	evs, err := events(ctx, s.DB.SQL, id)
	if err != nil {
		return Request{}, err
	}
	kind, _ := approval(p, r.Kind)
	key, capacity, err := mayDecide(keys, kind, who, r, evs)
	if err != nil {
		return Request{}, err
	}
	step := r.Route.Steps[r.Step]
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before := summary(r)
		c := change{state: r.State, step: r.Step}
		var next []Decider
		purpose := "decide"
		switch d.Decision {
		case Reject:
			c.state, c.decided = Rejected, true
		case SendBack:
			c.state = SentBack
		case Approve:
			remaining := 0
			for _, dd := range step.Deciders {
				if step.Joint && dd.Key != key && !approvedKey(evs, r.Step, dd.Key) {
					remaining++
				}
			}
			switch {
			case step.Joint && remaining > 0:
				// A joint step waits for its other deciders.
			case r.Step+1 < len(r.Route.Steps):
				c.step = r.Step + 1
				next = r.Route.Steps[c.step].Deciders
			default:
				c.state, c.decided = Approved, true
				next, purpose = r.Route.Notices, "notice"
			}
		}
		if err := apply(ctx, tx, &r, c, now); err != nil {
			return err
		}
		if err := s.approvedHook(ctx, tx, p, who, r, now); err != nil {
			return err
		}
		switch {
		case d.Decision == Approve && r.State == Pending && c.step == before.Step:
			if err := dropWait(ctx, tx, r.ID, key); err != nil {
				return err
			}
		default:
			if err := setWaits(ctx, tx, r.OrgID, r.ID, purpose, next); err != nil {
				return err
			}
		}
		if err := s.noticeAfter(ctx, tx, p, who, r, d.Decision, before.Step, d.Comment, now); err != nil {
			return err
		}
		snap, err := snapshotJSON(ctx, tx, r)
		if err != nil {
			return err
		}
		ev, err := addEvent(ctx, tx, who, r.ID, Event{Step: before.Step, Action: d.Decision, Role: roleOfKey(key), Key: key,
			Capacity: capacity, Comment: d.Comment, Snapshot: snap, At: now})
		if err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "request", EntityID: r.ID, Action: "request." + d.Decision,
			Before: before, After: struct {
				stateSummary
				Event Event `json:"event"`
			}{summary(r), ev}})
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, who, id)
}

// stateSummary is what the audit log keeps of a request before and after an act.
type stateSummary struct {
	State   string `json:"state"`
	Step    int    `json:"step"`
	Version int    `json:"version"`
}

func summary(r Request) stateSummary { return stateSummary{r.State, r.Step, r.Version} }

func isApplicant(who access.Actor, r Request) bool {
	return (who.StaffID != 0 && who.StaffID == r.ApplicantStaffID) || (who.UserID != 0 && who.UserID == r.ApplicantUserID)
}

// approvedThisStep returns who approved the step since the request was last (re)submitted.
func approvedThisStep(evs []Event, step int) map[int64]bool {
	out := map[int64]bool{}
	for _, e := range evs {
		switch {
		case e.Action == "submit" || e.Action == "resubmit":
			clear(out)
		case e.Action == Approve && e.Step == step:
			out[e.StaffID] = true
		}
	}
	return out
}

func approvedKey(evs []Event, step int, key string) bool {
	done := false
	for _, e := range evs {
		switch {
		case e.Action == "submit" || e.Action == "resubmit":
			done = false
		case e.Action == Approve && e.Step == step && e.Key == key:
			done = true
		}
	}
	return done
}

func roleOfKey(key string) string {
	role, _, _ := strings.Cut(key, "@")
	return role
}
