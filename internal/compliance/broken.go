package compliance

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/notify"
	"mamori/internal/store"
)

// NoticeRuleBroken tells administrators that a rule of the pack could not be evaluated.
const NoticeRuleBroken = "compliance.rule_broken"

// markBroken records the rules that could not be evaluated and tells the organisation's
// administrators, once per rule and pack version. A broken rule stays broken until a sweep of
// the same pack evaluates it on every asset without error (clearBroken).
func markBroken(ctx context.Context, tx *sql.Tx, orgID int64, digest string, broken map[string]*brokenRule, rules *packRules, now time.Time) error {
	ids := make([]string, 0, len(broken))
	for id := range broken {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, ruleID := range ids {
		b := broken[ruleID]
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO compliance_rule_status (org_id, rule_id, pack_digest, broken, error, asset_id, failures, since, checked_at)
			VALUES ($1, $2, $3, TRUE, $4, $5, $6, $7, $7)
			ON CONFLICT (org_id, rule_id) DO UPDATE SET
				since = CASE WHEN compliance_rule_status.broken AND compliance_rule_status.pack_digest = excluded.pack_digest
					THEN compliance_rule_status.since ELSE excluded.since END,
				failures = CASE WHEN compliance_rule_status.broken AND compliance_rule_status.pack_digest = excluded.pack_digest
					THEN compliance_rule_status.failures + excluded.failures ELSE excluded.failures END,
				pack_digest = excluded.pack_digest, broken = TRUE, error = excluded.error, asset_id = excluded.asset_id,
				checked_at = excluded.checked_at
			RETURNING id`, orgID, ruleID, digest, clip(b.err, 1000), store.NullID(b.assetID), b.count, now).Scan(&id)
		if err != nil {
			return apperr.Wrap(err, "rule status")
		}
		admins, err := notify.Administrators(ctx, tx, orgID, 0)
		if err != nil {
			return err
		}
		title := ruleID
		if r := rules.byID[ruleID]; r != nil {
			title = r.Title
		}
		err = notify.Notify(ctx, tx, notify.Notice{OrgID: orgID, Users: admins, Kind: NoticeRuleBroken,
			Subject: notify.Text{Ja: fmt.Sprintf("ルール「%s」を評価できません", title), En: fmt.Sprintf("Rule %q cannot be evaluated", ruleID)},
			Body: notify.Text{
				Ja: fmt.Sprintf("ポリシーパックのルール %s（%s）は実行時に評価できず、その結果は不明です。パックを直してください。\n原因: %s", ruleID, title, b.err),
				En: fmt.Sprintf("Rule %s (%s) of the policy pack failed at run time, so its result is unknown. Correct the pack.\nCause: %s", ruleID, title, b.err)},
			Ref: notify.Ref{Type: "compliance_rule", ID: id}, Once: digest, At: now})
		if err != nil {
			return err
		}
	}
	return nil
}

// clearBroken marks the rules a complete sweep evaluated without error as working, and those of
// other pack versions as no longer broken.
func clearBroken(ctx context.Context, tx *sql.Tx, orgID int64, digest string, broken map[string]*brokenRule, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT rule_id FROM compliance_rule_status WHERE org_id = $1 AND broken`, orgID)
	if err != nil {
		return apperr.Wrap(err, "rule status")
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return apperr.Wrap(err, "rule status")
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if broken[id] != nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE compliance_rule_status SET broken = FALSE, error = '', checked_at = $1, pack_digest = $2
			WHERE org_id = $3 AND rule_id = $4`, now, digest, orgID, id); err != nil {
			return apperr.Wrap(err, "rule status")
		}
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// CanSeeBroken reports whether the actor is told of rules that cannot be evaluated, with the
// error: the administrators, who correct the pack.
func CanSeeBroken(who access.Actor) bool { return who.CanAdminister() }
