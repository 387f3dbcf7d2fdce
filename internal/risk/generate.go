package risk

import (
	"context"
	"database/sql"
	"slices"

	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/compliance"
	"mamori/internal/policy"
)

// group is the assets of one kind whose classification proposes one impact level.
type group struct {
	kind, impact string
	count        int
	highest      bool
	depts        map[int64]bool
	applies      map[string]bool
	failing      map[string]string // rule id → severity
	open         int
}

// Generated says what a generation did.
type Generated struct {
	Groups    int `json:"groups"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Retired   int `json:"retired"`
	Assets    int `json:"assets"`
	Candidate int `json:"candidates"` // risks not yet assessed after the generation
}

// Generate builds the candidates from the register and the compliance state now: one risk per
// asset group × threat of the pack. It writes what the register proposes — the group's size and
// departments, its open findings, the rules that apply and pass (existing controls) and the
// proposed likelihood — into every risk of the group, new or assessed; an assessment is never
// changed by it. A group left without assets retires its risks that were never assessed.
//
// The likelihood proposed is the scale's lowest, one step higher when an asset of the group
// has an open finding (a failing rule: a control that does not work), and one more when one of
// those findings is of high or critical severity.
func (s *Service) Generate(ctx context.Context, who access.Actor) (Generated, error) {
	if err := mayGenerate(who); err != nil {
		return Generated{}, err
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Generated{}, err
	}
	if len(p.Threats) == 0 {
		return Generated{}, apperr.New(apperr.Conflict, "risk.error.no_threats")
	}
	groups, assets, err := s.groups(ctx, who, p)
	if err != nil {
		return Generated{}, err
	}
	g := Generated{Groups: len(groups), Assets: assets}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		seen := map[[3]string]bool{}
		for _, gr := range groups {
			for _, t := range p.Threats {
				seen[[3]string{gr.kind, gr.impact, t.ID}] = true
				created, err := upsert(ctx, tx, who.OrgID, gr, t.ID, proposed(p, gr), now)
				if err != nil {
					return err
				}
				if created {
					g.Created++
				} else {
					g.Updated++
				}
			}
		}
		n, err := retire(ctx, tx, who.OrgID, seen, now)
		if err != nil {
			return err
		}
		g.Retired = n
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM risks WHERE org_id = $1 AND state = $2`, who.OrgID, StateCandidate).
			Scan(&g.Candidate); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "risk", EntityID: 0, Action: "risk.generate", After: g})
		return err
	})
	if err != nil {
		return Generated{}, apperr.Wrap(err, "risk generate")
	}
	return g, nil
}

// groups reads the register through the compliance service, under its rule (the whole state:
// only those who see every department's findings), and sorts the assets into groups.
func (s *Service) groups(ctx context.Context, who access.Actor, p *policy.Compiled) ([]*group, int, error) {
	highest := asset.HighestOf(p)
	byKey := map[[2]string]*group{}
	var order []*group
	n := 0
	err := s.Compliance.Standings(ctx, who, func(st compliance.Standing) error {
		n++
		a := st.Asset
		impact := p.Risk.ImpactOf(a.Class)
		k := [2]string{a.Kind, impact}
		gr := byKey[k]
		if gr == nil {
			gr = &group{kind: a.Kind, impact: impact, depts: map[int64]bool{}, applies: map[string]bool{}, failing: map[string]string{}}
			byKey[k] = gr
			order = append(order, gr)
		}
		gr.count++
		gr.highest = gr.highest || highest(a.Class)
		if a.DepartmentID != 0 {
			gr.depts[a.DepartmentID] = true
		}
		for _, r := range st.Applies {
			gr.applies[r] = true
		}
		for r, sev := range st.Failing {
			gr.open++
			if rank(sev) > rank(gr.failing[r]) {
				gr.failing[r] = sev
			}
		}
		return nil
	})
	return order, n, err
}

func rank(severity string) int { return slices.Index(compliance.Severities, severity) + 1 }

// proposed is the likelihood the compliance state proposes for the group.
func proposed(p *policy.Compiled, gr *group) string {
	step := 0
	if len(gr.failing) > 0 {
		step = 1
	}
	for _, sev := range gr.failing {
		if rank(sev) >= rank("high") {
			step = 2
		}
	}
	scale := p.Risk.Likelihood
	return scale[min(step, len(scale)-1)].ID
}

// upsert writes the group's proposal into its risk of the threat, creating it when new; it
// reports whether it did.
func upsert(ctx context.Context, tx *sql.Tx, orgID int64, gr *group, threat, likelihood string, now time.Time) (bool, error) {
	var depts []int64
	for d := range gr.depts {
		depts = append(depts, d)
	}
	slices.Sort(depts)
	var failing, controls []string
	for r := range gr.failing {
		failing = append(failing, r)
	}
	for r := range gr.applies {
		if _, bad := gr.failing[r]; !bad {
			controls = append(controls, r)
		}
	}
	slices.Sort(failing)
	slices.Sort(controls)
	res, err := tx.ExecContext(ctx, `UPDATE risks SET asset_count = $1, highest = $2, departments_json = $3, open_findings = $4,
		failing_json = $5, controls_json = $6, proposed_likelihood = $7, generated_at = $8,
		state = CASE WHEN state = 'retired' THEN 'candidate' ELSE state END
		WHERE org_id = $9 AND asset_kind = $10 AND group_impact = $11 AND threat = $12`,
		gr.count, gr.highest, jsonText(depts), gr.open, jsonText(failing), jsonText(controls), likelihood, now,
		orgID, gr.kind, gr.impact, threat)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return false, nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO risks (org_id, asset_kind, group_impact, threat, asset_count, highest, departments_json,
		open_findings, failing_json, controls_json, proposed_likelihood, state, generated_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'candidate', $12, $12)`,
		orgID, gr.kind, gr.impact, threat, gr.count, gr.highest, jsonText(depts), gr.open, jsonText(failing), jsonText(controls),
		likelihood, now)
	return err == nil, err
}

// retire empties the groups that have no assets left, and retires those of their risks that
// were never assessed.
func retire(ctx context.Context, tx *sql.Tx, orgID int64, seen map[[3]string]bool, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, asset_kind, group_impact, threat, state FROM risks WHERE org_id = $1 AND state <> 'retired'`, orgID)
	if err != nil {
		return 0, err
	}
	type gone struct {
		id    int64
		state string
	}
	var list []gone
	for rows.Next() {
		var g gone
		var k [3]string
		if err := rows.Scan(&g.id, &k[0], &k[1], &k[2], &g.state); err != nil {
			rows.Close()
			return 0, err
		}
		if !seen[k] {
			list = append(list, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, g := range list {
		state := g.state
		if state == StateCandidate {
			state, n = StateRetired, n+1
		}
		if _, err := tx.ExecContext(ctx, `UPDATE risks SET asset_count = 0, departments_json = '[]', open_findings = 0,
			failing_json = '[]', controls_json = '[]', state = $1, generated_at = $2 WHERE id = $3`, state, now, g.id); err != nil {
			return 0, err
		}
	}
	return n, nil
}
