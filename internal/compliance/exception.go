package compliance

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/request"
	"mamori/internal/store"
)

// The fields of an exception request the register reads: the rules and assets it covers and its
// expiry by the ids a pack's exception kind must use (policy.ExceptionFields); the provision,
// the measure and the reason by the ids each source gives them.
const (
	fieldRules   = policy.ExceptionRules
	fieldAssets  = policy.ExceptionAssets
	fieldExpires = policy.ExceptionExpires
)

var (
	provisionFields = []string{"rule", "requirement", "provision"}
	measureFields   = []string{"measure"}
	reasonFields    = []string{"reason"}
)

// exceptionInput is an exception request as the register reads it.
type exceptionInput struct {
	rules, assets               []string
	expiresOn                   string
	provision, measures, reason string
}

func exceptionOf(fields map[string]any) exceptionInput {
	first := func(ids []string) string {
		for _, id := range ids {
			if s, ok := fields[id].(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	in := exceptionInput{rules: request.ListValue(fields[fieldRules]), assets: request.ListValue(fields[fieldAssets]), provision: first(provisionFields),
		measures: first(measureFields), reason: first(reasonFields)}
	in.expiresOn, _ = fields[fieldExpires].(string)
	return in
}

// assetRef is an asset an exception names.
type assetRef struct {
	id      int64
	number  string
	manager int64
}

// maxDays is the longest an exception of the kind may last.
func maxDays(p *policy.Compiled) int {
	if a, ok := p.ExceptionKind(); ok && a.MaxDays > 0 {
		return a.MaxDays
	}
	return DefaultExceptionDays
}

// checkException checks what an exception names against the pack and the register: rules that
// exist, assets of the organisation, and an expiry from today up to the pack's longest period.
// An exception that names no rule and no asset suppresses nothing and is only recorded.
func checkException(ctx context.Context, tx *sql.Tx, p *policy.Compiled, orgID int64, in exceptionInput, now time.Time) ([]assetRef, error) {
	if len(in.rules) == 0 && len(in.assets) == 0 {
		return nil, nil
	}
	var v apperr.Validation
	rules := rulesOf(p)
	if len(in.rules) == 0 {
		v.Add("fields."+fieldRules, "compliance.error.rules_required")
	}
	for _, id := range in.rules {
		if rules.byID[id] == nil {
			v.Add("fields."+fieldRules, "compliance.error.unknown_rule", id)
		}
	}
	if len(in.assets) == 0 {
		v.Add("fields."+fieldAssets, "compliance.error.assets_required")
	}
	var refs []assetRef
	for _, number := range in.assets {
		a := assetRef{number: number}
		err := tx.QueryRowContext(ctx, `SELECT id, COALESCE(manager_staff_id, 0) FROM assets WHERE org_id = $1 AND number = $2`, orgID, number).
			Scan(&a.id, &a.manager)
		if errors.Is(err, sql.ErrNoRows) {
			v.Add("fields."+fieldAssets, "compliance.error.unknown_asset", number)
			continue
		}
		if err != nil {
			return nil, apperr.Wrap(err, "exception asset")
		}
		refs = append(refs, a)
	}
	day, longest := today(now), maxDays(p)
	last := now.In(jst).AddDate(0, 0, longest).Format(time.DateOnly)
	switch {
	case in.expiresOn == "":
		v.Add("fields."+fieldExpires, "compliance.error.expiry_required")
	case in.expiresOn < day:
		v.Add("fields."+fieldExpires, "compliance.error.expiry_past", in.expiresOn)
	case in.expiresOn > last:
		v.Add("fields."+fieldExpires, "compliance.error.expiry_too_far", longest, last)
	}
	return refs, v.Err()
}

// ExceptionHook is what the request engine does with requests of the exception kind
// (request.Service.Observe with policy.MarkException): checks them as they are filed and enters them
// into the exception register when approved.
func ExceptionHook() request.Hook {
	return request.Hook{Check: checkExceptionRequest, Approved: exceptionApproved}
}

// checkExceptionRequest refuses an exception request whose rules, assets or expiry are wrong
// before it is filed.
func checkExceptionRequest(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r request.Request, now time.Time) error {
	_, err := checkException(ctx, tx, p, r.OrgID, exceptionOf(r.Fields), now)
	return err
}

// exceptionApproved enters a fully approved exception request into the exception register and
// suppresses the open findings it covers, in the transaction of the approval. It checks the
// request again as it stands today: an expiry passed while the request waited, or a rule gone
// from the pack, refuses the approval.
func exceptionApproved(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r request.Request, now time.Time) error {
	in := exceptionOf(r.Fields)
	refs, err := checkException(ctx, tx, p, r.OrgID, in, now)
	if err != nil {
		return err
	}
	rulesJSON, _ := json.Marshal(append([]string{}, in.rules...))
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO compliance_exceptions (org_id, request_id, applicant_staff_id, department_id, provision,
		reason, measures, rules_json, expires_on, post_hoc, cite, state, approved_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12) RETURNING id`,
		r.OrgID, r.ID, store.NullID(r.ApplicantStaffID), store.NullID(r.DepartmentID), in.provision, in.reason, in.measures, string(rulesJSON),
		in.expiresOn, r.PostHoc, r.Cite, now).Scan(&id)
	if err != nil {
		return apperr.Wrap(err, "exception")
	}
	for _, ruleID := range in.rules {
		for _, a := range refs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO compliance_exception_items (org_id, exception_id, rule_id, asset_id, asset_number)
				VALUES ($1, $2, $3, $4, $5)`, r.OrgID, id, ruleID, a.id, a.number); err != nil {
				return apperr.Wrap(err, "exception item")
			}
			if err := suppress(ctx, tx, r.OrgID, id, a.id, ruleID, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// suppress marks the open finding of an asset and rule, if any and not covered already, as
// suppressed by the exception.
func suppress(ctx context.Context, tx *sql.Tx, orgID, exception, assetID int64, ruleID string, now time.Time) error {
	var findingID, department int64
	var rank int
	err := tx.QueryRowContext(ctx, `UPDATE compliance_findings SET suppressed_by = $1 WHERE org_id = $2 AND asset_id = $3 AND rule_id = $4
		AND closed_at IS NULL AND suppressed_by IS NULL RETURNING id, COALESCE(department_id, 0), severity_rank`,
		exception, orgID, assetID, ruleID).Scan(&findingID, &department, &rank)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, "suppress finding")
	}
	if err := (countDelta{countKey{department, rank}: -1}).flush(ctx, tx, orgID); err != nil {
		return err
	}
	return findingEvent(ctx, tx, orgID, findingID, "suppressed", "", exception, now)
}

// describe is an exception in a notice.
func describe(requestID int64, expiresOn string) (string, string) {
	day := i18n.Day(expiresOn)
	return fmt.Sprintf("例外措置（申請 第%d号、期限 %s）", requestID, day.In(i18n.Ja)), fmt.Sprintf("exception (request no. %d, until %s)", requestID, day.In(i18n.En))
}
