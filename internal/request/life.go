package request

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// TakeOut records that an approved returnable request's assets went out (持ち出し, 貸出).
type TakeOut struct {
	On      string `json:"taken_out_on"` // YYYY-MM-DD
	DueOn   string `json:"due_on"`       // the return due date; the request's own when empty
	Version int    `json:"version"`
}

// RecordTakeOut records the taking out (or lending) of an approved returnable request's
// assets and sets them taken_out (or lent) until they are returned.
func (s *Service) RecordTakeOut(ctx context.Context, who access.Actor, id int64, in TakeOut) (Request, error) {
	r, a, p, err := s.forLife(ctx, who, id, in.Version, mayTakeOut)
	if err != nil {
		return r, err
	}
	var v apperr.Validation
	in.On, in.DueOn = strings.TrimSpace(in.On), strings.TrimSpace(in.DueOn)
	if in.DueOn == "" {
		in.DueOn = r.DueOn
	}
	checkDay(&v, "taken_out_on", in.On, true)
	checkDay(&v, "due_on", in.DueOn, true)
	if !v.Has("taken_out_on") && !v.Has("due_on") && in.DueOn < in.On {
		v.Add("due_on", "request.error.due_before_out")
	}
	if !v.Has("taken_out_on") && in.On > s.today() {
		v.Add("taken_out_on", "request.error.future_day")
	}
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	state, assetState := TakenOut, "taken_out"
	if a.Effect == "lend" {
		state, assetState = Lent, "lent"
	}
	return s.life(ctx, who, p, a, r, lifeAct{action: "take_out", change: change{state: state, step: r.Step, takenOut: in.On, dueOn: in.DueOn},
		assetState: assetState, log: logTakeOut, logDay: in.On})
}

// Return records the return of what a request took out.
type Return struct {
	On      string `json:"returned_on"`
	Version int    `json:"version"`
}

// RecordReturn records that the assets came back; they are in use again. Where the pack wants a
// second person to confirm a return (policy.Approval.ReturnConfirmation), the return waits for
// ConfirmReturn and the assets stay out until then.
func (s *Service) RecordReturn(ctx context.Context, who access.Actor, id int64, in Return) (Request, error) {
	r, a, p, err := s.forLife(ctx, who, id, in.Version, mayReturn)
	if err != nil {
		return r, err
	}
	var v apperr.Validation
	in.On = strings.TrimSpace(in.On)
	checkDay(&v, "returned_on", in.On, true)
	switch {
	case v.Has("returned_on"):
	case in.On < r.TakenOutOn:
		v.Add("returned_on", "request.error.return_before_out", r.TakenOutOn)
	case in.On > s.today():
		v.Add("returned_on", "request.error.future_day")
	}
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	if a.ReturnConfirmation != nil {
		return s.life(ctx, who, p, a, r, lifeAct{action: "return", change: change{state: r.State, step: r.Step, returned: in.On}})
	}
	return s.life(ctx, who, p, a, r, lifeAct{action: "return", change: change{state: Returned, step: r.Step, returned: in.On},
		assetState: "in_use", log: logReturn, logDay: in.On})
}

// ConfirmReturn is the second person's confirmation of a recorded return, where the pack wants
// one: then the request is returned, the assets are in use again and the return is logged.
func (s *Service) ConfirmReturn(ctx context.Context, who access.Actor, id int64, version int) (Request, error) {
	r, a, p, err := s.forLife(ctx, who, id, version, mayConfirmReturn)
	if err != nil {
		return r, err
	}
	return s.life(ctx, who, p, a, r, lifeAct{action: "confirm_return", change: change{state: Returned, step: r.Step},
		assetState: "in_use", log: logReturn, logDay: r.ReturnedOn})
}

// RecordDisposal records how an approved disposal was carried out — the day, the person and
// the method (上毛町 3(2)⑩イ: 日時、担当者及び処理内容) — and sets the assets disposed.
func (s *Service) RecordDisposal(ctx context.Context, who access.Actor, id int64, d Disposal, version int) (Request, error) {
	r, a, p, err := s.forLife(ctx, who, id, version, mayDispose)
	if err != nil {
		return r, err
	}
	var v apperr.Validation
	d.On, d.Method = strings.TrimSpace(d.On), strings.TrimSpace(d.Method)
	if d.OperatorStaffID == 0 {
		d.OperatorStaffID = who.StaffID
	}
	checkDay(&v, "disposed_on", d.On, true)
	if !v.Has("disposed_on") && d.On > s.today() {
		v.Add("disposed_on", "request.error.future_day")
	}
	switch {
	case d.Method == "":
		v.Add("method", "request.error.method_required")
	case utf8.RuneCountInString(d.Method) > maxText:
		v.Add("method", "request.error.text_too_long")
	}
	if d.OperatorStaffID == 0 {
		v.Add("operator_staff_id", "request.error.operator_required")
	}
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	var n int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE id = $1 AND org_id = $2`, d.OperatorStaffID, who.OrgID).Scan(&n); err != nil {
		return Request{}, apperr.Wrap(err, "operator")
	}
	if n == 0 {
		return Request{}, apperr.InvalidField("operator_staff_id", "request.error.operator_missing")
	}
	return s.life(ctx, who, p, a, r, lifeAct{action: "dispose", change: change{state: Disposed, step: r.Step, disposal: &d},
		assetState: "disposed", disposedOn: d.On})
}

// Acknowledge records that the holder of a role a report was addressed to after approval
// (安平町 様式第1号 to 情報ネットワーク管理者) has received it.
func (s *Service) Acknowledge(ctx context.Context, who access.Actor, id int64, comment string) (Request, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Request{}, err
	}
	r, err := get(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Request{}, err
	}
	keys, err := s.keysOf(ctx, s.DB.SQL, p, who)
	if err != nil {
		return Request{}, err
	}
	key, capacity, err := mayAcknowledge(keys, r)
	if err != nil {
		return Request{}, err
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM request_waits WHERE request_id = $1 AND wait_key = $2 AND purpose = 'notice'`, id, key)
		if err != nil {
			return apperr.Wrap(err, "request waits")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "request.error.conflict")
		}
		ev, err := addEvent(ctx, tx, who, id, Event{Step: r.Step, Action: "acknowledge", Role: roleOfKey(key), Key: key, Capacity: capacity,
			Comment: strings.TrimSpace(comment), At: now})
		if err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "request", EntityID: id, Action: "request.acknowledge", After: ev})
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, who, id)
}

// forLife reads a request whose life after approval the actor may record now, as may (one of
// mayTakeOut, mayReturn, mayDispose) decides, with the pack's kind of it.
func (s *Service) forLife(ctx context.Context, who access.Actor, id int64, version int,
	may func(map[string]string, policy.Approval, access.Actor, Request) error) (Request, policy.Approval, *policy.Compiled, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Request{}, policy.Approval{}, nil, err
	}
	r, err := s.Get(ctx, who, id)
	if err != nil {
		return r, policy.Approval{}, nil, err
	}
	if version != 0 && version != r.Version {
		return r, policy.Approval{}, nil, apperr.New(apperr.Conflict, "request.error.conflict")
	}
	keys, err := s.keysOf(ctx, s.DB.SQL, p, who)
	if err != nil {
		return r, policy.Approval{}, nil, err
	}
	a, _ := approval(p, r.Kind)
	if err := may(keys, a, who, r); err != nil {
		return Request{}, a, nil, err
	}
	return r, a, p, nil
}

// lifeAct is an act of a request's life after approval: the change to the request, the state it
// puts the subject assets in ("" leaves them), and the entry of the pack's take-out logbook it
// writes for each asset (logTakeOut, logReturn; "" none) on logDay.
type lifeAct struct {
	action     string
	change     change
	assetState string
	disposedOn string
	log        string
	logDay     string
}

// life writes an act of the request's life after approval, the state it puts the subject assets
// in and the take-out logbook's entries, in one transaction.
func (s *Service) life(ctx context.Context, who access.Actor, p *policy.Compiled, a policy.Approval, r Request, act lifeAct) (Request, error) {
	action, c, assetState, disposedOn := act.action, act.change, act.assetState, act.disposedOn
	now := s.now()
	capacity := AsOfficer
	if isApplicant(who, r) {
		capacity = AsApplicant
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before := r
		if err := apply(ctx, tx, &r, c, now); err != nil {
			return err
		}
		for _, id := range r.AssetIDs {
			if assetState == "" {
				break
			}
			if action == "take_out" {
				if err := notOut(ctx, tx, r.OrgID, id); err != nil {
					return err
				}
			}
			if _, err := s.Assets.ChangeState(ctx, tx, who, now, id, assetState, disposedOn); err != nil {
				return err
			}
		}
		if err := s.logLife(ctx, tx, who, p, a, r, act.log, act.logDay, now); err != nil {
			return err
		}
		snap, err := snapshotJSON(ctx, tx, r)
		if err != nil {
			return err
		}
		ev, err := addEvent(ctx, tx, who, r.ID, Event{Step: r.Step, Action: action, Capacity: capacity, Snapshot: snap, At: now})
		if err != nil {
			return err
		}
		detail, _ := json.Marshal(map[string]any{"taken_out_on": r.TakenOutOn, "due_on": r.DueOn, "returned_on": r.ReturnedOn, "disposal": r.Disposal})
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "request", EntityID: r.ID, Action: "request." + action,
			Before: summary(before), After: map[string]any{"state": r.State, "version": r.Version, "event": ev.ID, "detail": json.RawMessage(detail)}})
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, who, r.ID)
}

func checkDay(v *apperr.Validation, field, day string, required bool) {
	if day == "" {
		if required {
			v.Add(field, "request.error.day_required")
		}
		return
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		v.Add(field, "request.error.day")
	}
}

// notOut refuses to take out an asset that is out already, under another request.
func notOut(ctx context.Context, tx *sql.Tx, orgID, id int64) error {
	a, err := asset.Read(ctx, tx, orgID, id)
	if err != nil {
		return err
	}
	if a.State == "taken_out" || a.State == "lent" {
		return apperr.InvalidField("asset_ids", "request.error.asset_out", a.Number)
	}
	return nil
}
