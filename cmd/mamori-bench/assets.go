package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"mamori/internal/asset"
	"mamori/internal/demo"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// fillRegister grows the demo town's register to n assets over a hundred departments, written
// straight into the tables (demo.FillRegister): a prefecture-sized register to list.
func (e *env) fillRegister(ctx context.Context, n int) (time.Duration, error) {
	var have int
	if err := e.db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE org_id = $1`, e.orgID).Scan(&have); err != nil {
		return 0, err
	}
	started := time.Now()
	if n > have {
		if err := demo.FillRegister(ctx, e.s, e.orgID, e.pack, 100, n-have); err != nil {
			return 0, err
		}
	}
	// PostgreSQL's autovacuum vacuums and analyses the tables some time after a bulk load; the
	// measurement should see a settled database, so it is done now. (On SQLite ANALYZE would
	// replace the statistics the migrations give the register, which a real one keeps.)
	if e.db.Engine == store.Postgres {
		if _, err := e.db.SQL.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return 0, err
		}
	}
	return time.Since(started), nil
}

// assetTarget fills in an asset target: its URL with a filter and a search word, and the total
// its answer must show, computed beforehand for the bench account.
func (e *env) assetTarget(ctx context.Context, t *target, word string) error {
	axis, top := topLevel(e.pack)
	f := asset.Filter{Levels: map[string]string{axis: top}, Limit: 1}
	q := url.Values{}
	switch t.name {
	case "assets":
		dept, err := e.department(ctx, "住民課")
		if err != nil {
			return err
		}
		f.DepartmentID, f.Query = dept, cmp(word, "端末")
		q.Set("department_id", fmt.Sprint(dept))
		q.Set("level."+axis, top)
		q.Set("q", f.Query)
		t.url = e.mamURL + "/assets?" + q.Encode()
		t.header.Set("Cookie", "mamori_session="+e.cookie)
	case "assets-api":
		f.Query = cmp(word, "住民基本台帳")
		q.Set("level."+axis, top)
		q.Set("q", f.Query)
		t.url = e.mamURL + "/api/v1/assets?" + q.Encode()
		t.header.Set("Authorization", "Bearer "+e.token)
	}
	_, total, err := e.s.Assets.List(ctx, e.who, f)
	if err != nil {
		return err
	}
	if t.name == "assets" {
		t.what = fmt.Sprintf("GET /assets (page: department, %s=%s, q=%s; %d found, session cookie)", axis, top, f.Query, total)
		t.contains = fmt.Sprintf("全%d件", total)
	} else {
		t.what = fmt.Sprintf("GET /api/v1/assets (%s=%s, q=%s; %d found, bearer token)", axis, top, f.Query, total)
		t.contains = fmt.Sprintf(`"total":%d`, total)
	}
	t.optional = true
	return nil
}

// topLevel is the first axis of the pack and its most sensitive level.
func topLevel(p *policy.Compiled) (axis, level string) {
	a := p.Classification.Axes[0]
	best := slices.MaxFunc(a.Levels, func(x, y policy.Level) int { return x.Rank - y.Rank })
	return a.ID, best.ID
}

// department is the last department whose name ends in suffix: one of those the register was
// filled over, when it was.
func (e *env) department(ctx context.Context, suffix string) (int64, error) {
	tree, err := e.s.Org.Tree(ctx, e.who)
	if err != nil {
		return 0, err
	}
	for _, d := range slices.Backward(tree) {
		if strings.HasSuffix(d.Name, suffix) {
			return d.ID, nil
		}
	}
	return 0, fmt.Errorf("no department named …%s", suffix)
}

func cmp(s, otherwise string) string {
	if s != "" {
		return s
	}
	return otherwise
}
