package sysaccount

import (
	"context"
	"slices"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// movedKinds are the moves that change where a person works (異動, 出向, 復帰).
var movedKinds = []string{org.MoveTransfer, org.MoveSecondment, org.MoveReturn}

// since is the day from which a move counts against the account: the day it was granted, or
// the day it was recorded when the grant's day is not known.
func (a Account) since() string {
	if a.GrantedOn != "" {
		return a.GrantedOn
	}
	return a.CreatedAt.Format(time.DateOnly)
}

// records returns the account and its owner as the pack's account rules see them. moved says
// whether the owner moved (異動・出向・復帰) after the account was granted.
func records(a Account, moved bool, now time.Time) (policy.AccountRecord, policy.OwnerRecord) {
	today := now.In(tokyo).Format(time.DateOnly)
	rec := policy.AccountRecord{
		System: a.SystemRef, Login: a.Login, Kind: a.Kind, HasOwner: a.OwnerStaffID != 0,
		Responsible: a.ResponsibleName, HasDeputy: a.DeputyStaffID != 0,
		HasApproval: a.GrantedRequestID != 0 || a.ApprovalRef != "", GrantedOn: a.GrantedOn,
		DaysSinceLogin: policy.DaysBetween(a.LastLoginOn, now), DaysSincePassword: policy.DaysBetween(a.PasswordChangedOn, now),
		DaysSinceGrant: policy.DaysBetween(a.GrantedOn, now), DaysSinceReview: policy.DaysBetween(a.LastReviewedOn, now),
	}
	own := policy.OwnerRecord{}
	if a.OwnerStaffID != 0 {
		own = policy.OwnerRecord{
			Exists: true, Active: a.OwnerActive, LeftOn: a.OwnerLeftOn, Employment: a.OwnerEmployment,
			Left:              !a.OwnerActive || (a.OwnerLeftOn != "" && a.OwnerLeftOn <= today),
			Department:        a.OwnerDepartmentName,
			DepartmentAtGrant: a.DepartmentName,
			MovedSinceGrant:   moved || (a.DepartmentID != 0 && a.OwnerDepartmentID != a.DepartmentID),
		}
		if own.DepartmentAtGrant == "" {
			own.DepartmentAtGrant = own.Department
		}
	}
	return rec, own
}

// evaluate returns the ids of the pack's account rules the account fails, sorted. A removed
// account fails none: there is nothing left to act on.
func evaluate(p *policy.Compiled, a Account, moved bool, now time.Time) ([]string, error) {
	out := []string{}
	if p == nil || a.State == StateRemoved {
		return out, nil
	}
	rec, own := records(a, moved, now)
	for _, c := range p.AccountChecks {
		bad, err := c.Fails(rec, own)
		if err != nil {
			return nil, apperr.Wrap(err, "account rule "+c.Rule.ID)
		}
		if bad {
			out = append(out, c.Rule.ID)
		}
	}
	slices.Sort(out)
	return out, nil
}

// movedAfter reports whether the staff member moved after the day.
func movedAfter(ctx context.Context, q store.Querier, orgID, staffID int64, day string) (bool, error) {
	if staffID == 0 {
		return false, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_moves WHERE org_id = $1 AND staff_id = $2
		AND kind IN ('transfer', 'secondment', 'return') AND effective_on > $3`, orgID, staffID, day).Scan(&n)
	if err != nil {
		return false, apperr.Wrap(err, "staff moves")
	}
	return n > 0, nil
}

// recheck evaluates one account in the transaction and stores its findings.
func (s *Service) recheck(ctx context.Context, q store.Querier, p *policy.Compiled, orgID, id int64) (Account, error) {
	a, err := get(ctx, q, orgID, id)
	if err != nil {
		return a, err
	}
	moved, err := movedAfter(ctx, q, orgID, a.OwnerStaffID, a.since())
	if err != nil {
		return a, err
	}
	now := s.now()
	f, err := evaluate(p, a, moved, now)
	if err != nil {
		return a, err
	}
	day := now.In(tokyo).Format(time.DateOnly)
	if _, err := q.ExecContext(ctx, `UPDATE system_accounts SET findings = $1, checked_on = $2 WHERE id = $3`,
		strings.Join(f, ","), day, id); err != nil {
		return a, apperr.Wrap(err, "store findings")
	}
	a.Findings, a.CheckedOn = f, day
	return a, nil
}

var tokyo = i18n.Tokyo
