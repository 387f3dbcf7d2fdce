package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// FillRegister grows the organisation's register to a benchmark's size: it adds departments
// (through org.Service, as an administrator would) until there are at least depts, then writes
// n generated assets, spread evenly over all the departments, straight into the register's
// tables in batches — without audit entries, which is why it is for benchmarks only; a real
// register is entered through asset.Service.
func FillRegister(ctx context.Context, s *app.Services, orgID int64, p *policy.Compiled, depts, n int) error {
	sys := access.System(orgID, "demo")
	tree, err := s.Org.Tree(ctx, sys)
	if err != nil {
		return err
	}
	for i := len(tree); i < depts; i++ {
		name := scaleAreas[i/len(scaleSections)%len(scaleAreas)] + " " + scaleSections[i%len(scaleSections)]
		if round := i / (len(scaleSections) * len(scaleAreas)); round > 0 {
			name += itoa(round + 1)
		}
		d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: fmt.Sprintf("S%03d", i), Name: name, Kind: "section", SortOrder: i})
		if err != nil {
			return fmt.Errorf("department %s: %w", name, err)
		}
		tree = append(tree, d)
	}
	var units []unit
	it := false
	for _, d := range tree {
		u := unit{id: d.ID, code: d.Code, name: d.Name, kind: d.Kind}
		if isIT(d.Name) && !it {
			u.it, it = true, true
		}
		units = append(units, u)
	}
	if len(units) == 0 {
		return fmt.Errorf("no departments to fill the register of")
	}
	var seq int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE org_id = $1`, orgID).Scan(&seq); err != nil {
		return err
	}
	g := newGenerator(p, time.Now())
	// Each department's catalogue, one entry per asset it keeps, to draw from.
	bags := make([][]item, len(units))
	for i, u := range units {
		for _, x := range catalog(u) {
			for range max(x.n, 1) {
				bags[i] = append(bags[i], x)
			}
		}
	}
	ranks := map[string]map[string]int{}
	for _, axis := range p.Classification.Axes {
		ranks[axis.ID] = map[string]int{}
		for _, l := range axis.Levels {
			ranks[axis.ID][l.ID] = l.Rank
		}
	}
	// Rows go in statements of fillRows and transactions of fillTx rows: large enough that a
	// round trip or a commit per row does not dominate, small enough that the SQLite driver's
	// look-up of each numbered parameter, which grows with their count, stays cheap.
	const fillRows, fillTx = 25, 10_000
	now := time.Now().UTC().Truncate(time.Microsecond)
	for written := 0; written < n; {
		err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
			b := &batchInsert{tx: tx, orgID: orgID, ranks: ranks, now: now, stmts: map[string]*sql.Stmt{}}
			defer b.close()
			for end := min(written+fillTx, n); written < end; {
				ins := make([]asset.Input, min(fillRows, end-written))
				for k := range ins {
					i := (written + k) % len(units)
					x := bags[i][g.rng.IntN(len(bags[i]))]
					ins[k] = g.input(units[i], x)
					ins[k].Number = fmt.Sprintf("%s-%s-%07d", units[i].code, kindPrefix[x.kind], seq+written+k+1)
				}
				if err := b.write(ctx, ins); err != nil {
					return err
				}
				written += len(ins)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
