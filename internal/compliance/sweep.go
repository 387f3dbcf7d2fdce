package compliance

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// pageSize is how many assets a sweep reads, checks and settles at a time, each page in a
// transaction of its own.
const pageSize = 2000

// Sweep is one full check of an organisation's register.
type Sweep struct {
	ID          int64         `json:"id"`
	OrgID       int64         `json:"org_id"`
	PackDigest  string        `json:"pack_digest"`
	Cause       string        `json:"cause"` // daily, pack, manual
	Day         string        `json:"day"`
	StartedAt   time.Time     `json:"started_at"`
	FinishedAt  time.Time     `json:"finished_at"`
	Assets      int64         `json:"assets"`
	Evaluations int64         `json:"evaluations"` // rules run, conditions included
	Opened      int64         `json:"opened"`
	Closed      int64         `json:"closed"`
	Open        Counts        `json:"open"`
	BrokenRules []string      `json:"broken_rules"`
	CEL         time.Duration `json:"cel"`     // spent evaluating rules
	Storage     time.Duration `json:"storage"` // spent reading assets and writing findings
	Skipped     bool          `json:"skipped"` // another process ran it already
}

// Counts are open findings by severity; Suppressed are covered by an exception and not counted
// in the others.
type Counts struct {
	Low        int64 `json:"low"`
	Medium     int64 `json:"medium"`
	High       int64 `json:"high"`
	Critical   int64 `json:"critical"`
	Suppressed int64 `json:"suppressed"`
}

// Total is the open findings not suppressed.
func (c Counts) Total() int64 { return c.Low + c.Medium + c.High + c.Critical }

func (c *Counts) add(rank int, n int64) {
	switch rank {
	case 1:
		c.Low += n
	case 2:
		c.Medium += n
	case 3:
		c.High += n
	case 4:
		c.Critical += n
	}
}

// Run sweeps the actor's organisation's register now, whatever ran before (an administrator's
// sweep on demand, mamori check). The caller has decided that the actor may; the sweep is
// recorded in the audit log as the actor's, in the transaction that records its totals.
func (s *Service) Run(ctx context.Context, who access.Actor) (Sweep, error) {
	return s.sweep(ctx, who, "manual", "")
}

// Scheduled sweeps every organisation whose register was not yet swept today under its current
// pack: the first sweep of a day (daily), and one at once when the pack changes (pack). The key
// of each run is claimed in the database, so that of several server processes one sweeps.
func (s *Service) Scheduled(ctx context.Context) ([]Sweep, error) {
	orgs, err := s.orgIDs(ctx)
	if err != nil {
		return nil, err
	}
	var out []Sweep
	for _, orgID := range orgs {
		p, err := s.Policy.Optional(ctx, orgID)
		if err != nil || p == nil {
			if err != nil {
				return out, err
			}
			continue
		}
		day := today(s.now())
		var n int
		if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM compliance_sweeps WHERE org_id = $1 AND day = $2 AND run_key IS NOT NULL`,
			orgID, day).Scan(&n); err != nil {
			return out, apperr.Wrap(err, "sweeps")
		}
		cause := "daily"
		if n > 0 {
			cause = "pack"
		}
		sw, err := s.sweep(ctx, access.System(orgID, "system"), cause, "day:"+day+":"+p.Digest)
		if err != nil {
			return out, err
		}
		if !sw.Skipped {
			out = append(out, sw)
		}
	}
	return out, nil
}

func (s *Service) sweep(ctx context.Context, who access.Actor, cause, runKey string) (Sweep, error) {
	orgID := who.OrgID
	p, err := s.Policy.Optional(ctx, orgID)
	if err != nil {
		return Sweep{}, err
	}
	if p == nil {
		return Sweep{}, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	start := s.now()
	sw := Sweep{OrgID: orgID, PackDigest: p.Digest, Cause: cause, Day: today(start), StartedAt: start}
	var key any
	if runKey != "" {
		key = runKey
	}
	err = s.DB.SQL.QueryRowContext(ctx, `INSERT INTO compliance_sweeps (org_id, run_key, pack_digest, cause, day, started_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`, orgID, key, p.Digest, cause, sw.Day, start).Scan(&sw.ID)
	if errors.Is(err, sql.ErrNoRows) {
		sw.Skipped = true
		return sw, nil
	}
	if err != nil {
		return sw, apperr.Wrap(err, "sweep")
	}
	if err := s.sweepPages(ctx, who, p, &sw); err != nil {
		_, _ = s.DB.SQL.ExecContext(context.WithoutCancel(ctx), `UPDATE compliance_sweeps SET error = $1 WHERE id = $2`, clip(err.Error(), 1000), sw.ID)
		return sw, err
	}
	return sw, nil
}

// sweepPages checks the register page by page, then records the sweep's totals — and, for a
// sweep on demand, the audit entry of whoever asked for it — in one transaction.
func (s *Service) sweepPages(ctx context.Context, who access.Actor, p *policy.Compiled, sw *Sweep) error {
	rules := rulesOf(p)
	var t tally
	var after int64
	wall := time.Now()
	for {
		page, err := s.readPage(ctx, sw.OrgID, after)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		now := s.now()
		lo, hi := page[0].ID, page[len(page)-1].ID
		celStart := time.Now()
		list := make([]checked, len(page))
		for i, a := range page {
			list[i] = checked{id: a.ID, number: a.Number, department: a.DepartmentID}
			if a.State == "disposed" {
				list[i].gone = "disposed"
				continue
			}
			list[i].outcomes = rules.evaluate(rules.record(a.Asset, a.code, now))
			sw.Evaluations += int64(len(rules.rules))
		}
		sw.CEL += time.Since(celStart)
		err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
			list, err := recheckChanged(ctx, tx, sw.OrgID, rules, page, list, now)
			if err != nil {
				return err
			}
			got, err := settle(ctx, tx, sw.OrgID, p.Digest, list, scope{lo: lo, hi: hi}, rules, now)
			if err != nil {
				return err
			}
			t.add(got)
			_, err = tx.ExecContext(ctx, `UPDATE compliance_findings SET last_seen = $1 WHERE org_id = $2 AND closed_at IS NULL
				AND asset_id BETWEEN $3 AND $4`, now, sw.OrgID, lo, hi)
			return err
		})
		if err != nil {
			return apperr.Wrap(err, "sweep page")
		}
		sw.Assets += int64(len(page))
		after = hi
		if len(page) < pageSize {
			break
		}
	}
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		got, err := settle(ctx, tx, sw.OrgID, p.Digest, nil, scope{lo: after + 1, hi: math.MaxInt64}, rules, now)
		if err != nil {
			return err
		}
		t.add(got)
		if len(t.broken) > 0 {
			if err := markBroken(ctx, tx, sw.OrgID, p.Digest, t.broken, rules, now); err != nil {
				return err
			}
		}
		if err := clearBroken(ctx, tx, sw.OrgID, p.Digest, t.broken, now); err != nil {
			return err
		}
		if sw.Open, err = openCounts(ctx, tx, sw.OrgID); err != nil {
			return err
		}
		for id := range t.broken {
			sw.BrokenRules = append(sw.BrokenRules, id)
		}
		sw.Opened, sw.Closed, sw.FinishedAt = int64(t.opened), int64(t.closed), now
		sw.Storage = max(time.Since(wall)-sw.CEL, 0)
		_, err = tx.ExecContext(ctx, `UPDATE compliance_sweeps SET finished_at = $1, assets = $2, evaluations = $3, opened = $4, closed = $5,
			open_total = $6, open_low = $7, open_medium = $8, open_high = $9, open_critical = $10, suppressed = $11, broken_rules = $12,
			cel_us = $13, storage_us = $14 WHERE id = $15`,
			now, sw.Assets, sw.Evaluations, sw.Opened, sw.Closed, sw.Open.Total(), sw.Open.Low, sw.Open.Medium, sw.Open.High,
			sw.Open.Critical, sw.Open.Suppressed, len(sw.BrokenRules), sw.CEL.Microseconds(), sw.Storage.Microseconds(), sw.ID)
		if err != nil || sw.Cause != "manual" {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "organization", EntityID: sw.OrgID, Action: "compliance.sweep",
			After: map[string]any{"sweep_id": sw.ID, "pack_digest": sw.PackDigest, "assets": sw.Assets, "opened": sw.Opened,
				"closed": sw.Closed, "open": sw.Open.Total(), "suppressed": sw.Open.Suppressed, "broken_rules": len(sw.BrokenRules)}})
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "sweep end")
	}
	return nil
}

// openCounts counts the organisation's open findings by severity.
func openCounts(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, orgID int64) (Counts, error) {
	var c Counts
	rows, err := q.QueryContext(ctx, `SELECT severity_rank, suppressed_by IS NOT NULL, count(*) FROM compliance_findings
		WHERE org_id = $1 AND closed_at IS NULL GROUP BY severity_rank, suppressed_by IS NOT NULL`, orgID)
	if err != nil {
		return c, apperr.Wrap(err, "open counts")
	}
	defer rows.Close()
	for rows.Next() {
		var rank int
		var suppressed bool
		var n int64
		if err := rows.Scan(&rank, &suppressed, &n); err != nil {
			return c, apperr.Wrap(err, "open counts")
		}
		if suppressed {
			c.Suppressed += n
		} else {
			c.add(rank, n)
		}
	}
	return c, rows.Err()
}

// pageAsset is an asset as a sweep reads it.
type pageAsset struct {
	asset.Asset
	code string // department code
}

func (s *Service) readPage(ctx context.Context, orgID, after int64) ([]pageAsset, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT a.id, a.number, a.name, a.kind, COALESCE(a.department_id, 0), COALESCE(d.code, ''),
		a.segment, a.zone, a.location, a.attrs_json, a.state, a.updated_at
		FROM assets a LEFT JOIN departments d ON d.id = a.department_id
		WHERE a.org_id = $1 AND a.id > $2 ORDER BY a.id LIMIT $3`, orgID, after, pageSize)
	if err != nil {
		return nil, apperr.Wrap(err, "sweep read")
	}
	var page []pageAsset
	byID := map[int64]*asset.Asset{}
	for rows.Next() {
		var a pageAsset
		var attrs string
		if err := rows.Scan(&a.ID, &a.Number, &a.Name, &a.Kind, &a.DepartmentID, &a.code, &a.Segment, &a.Zone, &a.Location, &attrs,
			&a.State, &a.UpdatedAt); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "sweep read")
		}
		a.Attrs, a.Class = asset.DecodeAttrs(attrs), map[string]string{}
		page = append(page, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(page) == 0 {
		return page, err
	}
	for i := range page {
		byID[page[i].ID] = &page[i].Asset
	}
	lrows, err := s.DB.SQL.QueryContext(ctx, `SELECT asset_id, axis, level FROM asset_levels WHERE org_id = $1 AND asset_id BETWEEN $2 AND $3`,
		orgID, page[0].ID, page[len(page)-1].ID)
	if err != nil {
		return nil, apperr.Wrap(err, "sweep levels")
	}
	defer lrows.Close()
	for lrows.Next() {
		var id int64
		var axis, level string
		if err := lrows.Scan(&id, &axis, &level); err != nil {
			return nil, apperr.Wrap(err, "sweep levels")
		}
		if a := byID[id]; a != nil {
			a.Class[axis] = level
		}
	}
	return page, lrows.Err()
}

// recheckChanged checks again, inside the page's transaction, the assets written since the page
// was read — their own writes checked them already, with what they hold now — and leaves out
// those deleted since.
func recheckChanged(ctx context.Context, tx *sql.Tx, orgID int64, rules *packRules, page []pageAsset, list []checked, now time.Time) ([]checked, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, updated_at FROM assets WHERE org_id = $1 AND id BETWEEN $2 AND $3`,
		orgID, page[0].ID, page[len(page)-1].ID)
	if err != nil {
		return nil, apperr.Wrap(err, "sweep recheck")
	}
	current := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "sweep recheck")
		}
		current[id] = at
	}
	rows.Close()
	out := list[:0]
	codes := map[int64]string{}
	for i, a := range page {
		at, ok := current[a.ID]
		switch {
		case !ok:
			continue
		case at.Equal(a.UpdatedAt):
			out = append(out, list[i])
			continue
		}
		fresh, err := asset.Read(ctx, tx, orgID, a.ID)
		if err != nil {
			return nil, err
		}
		c := checked{id: fresh.ID, number: fresh.Number, department: fresh.DepartmentID}
		if fresh.State == "disposed" {
			c.gone = "disposed"
		} else {
			code, err := departmentCode(ctx, tx, orgID, fresh.DepartmentID, codes)
			if err != nil {
				return nil, err
			}
			c.outcomes = rules.evaluate(rules.record(fresh, code, now))
		}
		out = append(out, c)
	}
	return out, nil
}

// CanSweep reports whether the actor may start a full sweep at once: the platform
// administrators, who keep the pack the rules come from.
func CanSweep(who access.Actor) bool { return who.CanAdminister() }

// RunFor sweeps the actor's organisation now, for one who may (CanSweep).
func (s *Service) RunFor(ctx context.Context, who access.Actor) (Sweep, error) {
	if !CanSweep(who) {
		return Sweep{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.Run(ctx, who)
}
