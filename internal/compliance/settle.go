package compliance

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

// checked is one asset as the rules found it.
type checked struct {
	id         int64
	number     string
	department int64
	outcomes   []outcome
	gone       string // disposed or deleted: out of the rules' reach, every open finding closes
}

// openFinding is a finding still open, as settle compares it with a new outcome.
type openFinding struct {
	id         int64
	rule       string
	values     string
	department int64
	rank       int
	suppressed bool // covered by an exception: not in the open counts
}

// tally is what settling did.
type tally struct {
	opened, closed, changed int
	broken                  map[string]*brokenRule // by rule id
}

// brokenRule is a rule that could not be evaluated: the first error, on which asset, and how
// often.
type brokenRule struct {
	err     string
	assetID int64
	count   int64
}

func (t *tally) add(o tally) {
	t.opened += o.opened
	t.closed += o.closed
	t.changed += o.changed
	for id, b := range o.broken {
		t.noteBroken(id, b.err, b.assetID, b.count)
	}
}

func (t *tally) noteBroken(ruleID, err string, assetID, n int64) {
	if t.broken == nil {
		t.broken = map[string]*brokenRule{}
	}
	if b, ok := t.broken[ruleID]; ok {
		b.count += n
		return
	}
	t.broken[ruleID] = &brokenRule{err: err, assetID: assetID, count: n}
}

// scope is the assets whose open findings settle compares: a list of ids, or a range of ids
// (a sweep's page, in which an asset not checked no longer exists).
type scope struct {
	ids    []int64
	lo, hi int64
}

func (sc scope) where(first int) (string, []any) {
	if sc.ids == nil {
		return "asset_id BETWEEN $" + strconv.Itoa(first) + " AND $" + strconv.Itoa(first+1), []any{sc.lo, sc.hi}
	}
	var b strings.Builder
	args := make([]any, len(sc.ids))
	b.WriteString("asset_id IN (")
	for i, id := range sc.ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
		args[i] = id
	}
	b.WriteString(")")
	return b.String(), args
}

// settle brings the findings of the checked assets in line with what the rules found, inside
// tx: a failing rule opens a finding (suppressed at once when an active exception covers it)
// or updates the open one's values; a rule that passes, no longer applies or left the pack
// closes it; a rule that could not be evaluated leaves it as it was and is counted broken.
func settle(ctx context.Context, tx *sql.Tx, orgID int64, digest string, list []checked, sc scope, rules *packRules, now time.Time) (tally, error) {
	var t tally
	counts := countDelta{}
	open, err := openFindings(ctx, tx, orgID, sc)
	if err != nil {
		return t, err
	}
	covered, err := coveredItems(ctx, tx, orgID, sc)
	if err != nil {
		return t, err
	}
	seen := make(map[int64]bool, len(list))
	for _, c := range list {
		seen[c.id] = true
		mine := open[c.id]
		failing := map[string]outcome{}
		broken := map[string]bool{}
		if c.gone == "" {
			for _, o := range c.outcomes {
				if o.err != nil {
					broken[o.rule.ID] = true
					t.noteBroken(o.rule.ID, o.err.Error(), c.id, 1)
					continue
				}
				failing[o.rule.ID] = o
			}
		}
		for _, f := range mine {
			o, fails := failing[f.rule]
			switch {
			case broken[f.rule]:
			case fails:
				delete(failing, f.rule)
				vals := valuesJSON(o.values)
				if vals == f.values && f.department == c.department && f.rank == o.rule.rank {
					continue
				}
				if err := changeFinding(ctx, tx, orgID, f.id, digest, c.department, o.rule, vals, now); err != nil {
					return t, err
				}
				if !f.suppressed {
					counts.add(f.department, f.rank, -1)
					counts.add(c.department, o.rule.rank, 1)
				}
				t.changed++
			default:
				reason := c.gone
				if reason == "" {
					reason = "passed"
					if rules == nil || rules.byID[f.rule] == nil {
						reason = "rule_removed"
					}
				}
				if err := closeFinding(ctx, tx, orgID, f.id, reason, now); err != nil {
					return t, err
				}
				if !f.suppressed {
					counts.add(f.department, f.rank, -1)
				}
				t.closed++
			}
		}
		if rules == nil {
			continue
		}
		for _, r := range rules.rules { // in the pack's order
			o, ok := failing[r.ID]
			if !ok {
				continue
			}
			if err := insertFinding(ctx, tx, orgID, digest, c, o, covered[c.id][r.ID], now); err != nil {
				return t, err
			}
			if covered[c.id][r.ID] == 0 {
				counts.add(c.department, r.rank, 1)
			}
			t.opened++
		}
	}
	// Open findings of assets in the scope that were not checked: the asset is gone.
	for id, fs := range open {
		if seen[id] {
			continue
		}
		for _, f := range fs {
			if err := closeFinding(ctx, tx, orgID, f.id, "deleted", now); err != nil {
				return t, err
			}
			if !f.suppressed {
				counts.add(f.department, f.rank, -1)
			}
			t.closed++
		}
	}
	return t, counts.flush(ctx, tx, orgID)
}

func openFindings(ctx context.Context, tx *sql.Tx, orgID int64, sc scope) (map[int64][]openFinding, error) {
	cond, args := sc.where(2)
	rows, err := tx.QueryContext(ctx, `SELECT id, asset_id, rule_id, values_json, COALESCE(department_id, 0), severity_rank,
		suppressed_by IS NOT NULL FROM compliance_findings WHERE org_id = $1 AND closed_at IS NULL AND `+cond, append([]any{orgID}, args...)...)
	if err != nil {
		return nil, apperr.Wrap(err, "open findings")
	}
	defer rows.Close()
	out := map[int64][]openFinding{}
	for rows.Next() {
		var f openFinding
		var assetID int64
		if err := rows.Scan(&f.id, &assetID, &f.rule, &f.values, &f.department, &f.rank, &f.suppressed); err != nil {
			return nil, apperr.Wrap(err, "open findings")
		}
		out[assetID] = append(out[assetID], f)
	}
	return out, rows.Err()
}

// coveredItems returns, by asset and rule, the active exception that covers it.
func coveredItems(ctx context.Context, tx *sql.Tx, orgID int64, sc scope) (map[int64]map[string]int64, error) {
	cond, args := sc.where(2)
	rows, err := tx.QueryContext(ctx, `SELECT asset_id, rule_id, min(exception_id) FROM compliance_exception_items
		WHERE org_id = $1 AND active AND `+cond+` GROUP BY asset_id, rule_id`, append([]any{orgID}, args...)...)
	if err != nil {
		return nil, apperr.Wrap(err, "exception items")
	}
	defer rows.Close()
	out := map[int64]map[string]int64{}
	for rows.Next() {
		var assetID, exc int64
		var ruleID string
		if err := rows.Scan(&assetID, &ruleID, &exc); err != nil {
			return nil, apperr.Wrap(err, "exception items")
		}
		if out[assetID] == nil {
			out[assetID] = map[string]int64{}
		}
		out[assetID][ruleID] = exc
	}
	return out, rows.Err()
}

func insertFinding(ctx context.Context, tx *sql.Tx, orgID int64, digest string, c checked, o outcome, exception int64, now time.Time) error {
	vals := valuesJSON(o.values)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO compliance_findings (org_id, rule_id, pack_digest, asset_id, asset_number,
		department_id, severity, severity_rank, values_json, first_seen, last_seen, suppressed_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id`,
		orgID, o.rule.ID, digest, c.id, c.number, store.NullID(c.department), o.rule.Severity, o.rule.rank, vals, now, store.NullID(exception)).Scan(&id)
	if err != nil {
		return apperr.Wrap(err, "open finding")
	}
	if err := findingEvent(ctx, tx, orgID, id, "opened", vals, 0, now); err != nil {
		return err
	}
	if exception != 0 {
		return findingEvent(ctx, tx, orgID, id, "suppressed", "", exception, now)
	}
	return nil
}

func changeFinding(ctx context.Context, tx *sql.Tx, orgID, id int64, digest string, department int64, r *rule, vals string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE compliance_findings SET values_json = $1, department_id = $2, severity = $3,
		severity_rank = $4, pack_digest = $5, last_seen = $6 WHERE id = $7 AND org_id = $8`,
		vals, store.NullID(department), r.Severity, r.rank, digest, now, id, orgID); err != nil {
		return apperr.Wrap(err, "change finding")
	}
	return findingEvent(ctx, tx, orgID, id, "changed", vals, 0, now)
}

func closeFinding(ctx context.Context, tx *sql.Tx, orgID, id int64, reason string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE compliance_findings SET closed_at = $1, close_reason = $2 WHERE id = $3 AND org_id = $4`,
		now, reason, id, orgID); err != nil {
		return apperr.Wrap(err, "close finding")
	}
	return findingEvent(ctx, tx, orgID, id, "closed", `{"reason":"`+reason+`"}`, 0, now)
}

func findingEvent(ctx context.Context, tx *sql.Tx, orgID, findingID int64, action, vals string, exception int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO compliance_finding_events (org_id, finding_id, action, values_json, exception_id, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, orgID, findingID, action, vals, store.NullID(exception), now); err != nil {
		return apperr.Wrap(err, "finding event")
	}
	return nil
}
