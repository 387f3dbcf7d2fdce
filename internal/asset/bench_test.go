package asset_test

// The register at scale: BenchmarkList measures a listing — a filter, search words and the
// exact total a page shows as 全N件 — over a register of a million assets on each engine, and
// TestSearchIndex proves on a smaller one that the text index behind the search narrows it
// without changing its answer. docs/PERFORMANCE.md records how to read the figures:
//
//	CI=true go test -run '^$' -bench List -benchtime 20x -timeout 60m ./internal/asset/
//
// MAMORI_BENCH_ASSETS sets the register's size (1,000,000 by default); MAMORI_BENCH_PG_DSN runs
// the PostgreSQL cases on that empty scratch database instead of the test cluster (which runs
// with fsync off and 128 MB of shared buffers). Filling the register is not timed: it is
// written straight into the tables (demo.FillRegister), a million assets in some minutes.

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// scaled is an organisation on 岸和田市's pack whose register demo.FillRegister has filled.
type scaled struct {
	s      *app.Services
	admin  access.Actor // reads the whole register
	clerk  access.Actor // reads one department's
	keeper access.Actor // a clerk of another department who holds 情報システム管理者 of one system
	dept   int64        // a 住民課, whose register holds 住民基本台帳 and 端末
	orgID  int64
	number string // the management number of an asset half-way through the register
}

func fillScaled(tb testing.TB, db *store.DB, n, depts int) *scaled {
	tb.Helper()
	ctx := context.Background()
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	p, _ := s.Policy.Library.Get("kishiwada")
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "scale", OrgName: "ベンチ市", PackID: p.ID})
	if err != nil {
		tb.Fatal(err)
	}
	if err := demo.FillRegister(ctx, s, first.Org.ID, p, depts, n); err != nil {
		tb.Fatal(err)
	}
	if db.Engine == store.Postgres {
		// What autovacuum does some time after a bulk load, done at once so that the plans
		// measured are those of a settled database.
		if _, err := db.SQL.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			tb.Fatal(err)
		}
	}
	sys := access.System(first.Org.ID, "bench")
	tree, err := s.Org.Tree(ctx, sys)
	if err != nil {
		tb.Fatal(err)
	}
	sc := &scaled{s: s, admin: access.Actor{OrgID: first.Org.ID, PlatformAdmin: true, Login: "admin"}, orgID: first.Org.ID}
	if err := db.SQL.QueryRowContext(ctx, `SELECT number FROM assets WHERE org_id = $1 ORDER BY id LIMIT 1 OFFSET $2`, sc.orgID, n/2).Scan(&sc.number); err != nil {
		tb.Fatal(err)
	}
	for _, d := range tree {
		if strings.HasSuffix(d.Name, "住民課") {
			sc.dept = d.ID
			break
		}
	}
	if sc.dept == 0 {
		tb.Fatal("no 住民課 among the departments")
	}
	sc.clerk = access.Actor{OrgID: first.Org.ID, UserID: 99, Login: "clerk", DepartmentID: sc.dept}
	var system string
	var other int64
	if err := db.SQL.QueryRowContext(ctx, `SELECT system_ref, department_id FROM assets WHERE org_id = $1 AND system_ref <> '' AND department_id <> $2
		ORDER BY id LIMIT 1`, sc.orgID, sc.dept).Scan(&system, &other); err != nil {
		tb.Fatal(err)
	}
	sc.keeper = access.Actor{OrgID: first.Org.ID, UserID: 98, Login: "keeper", DepartmentID: sc.dept,
		Roles: []access.Grant{{RoleID: "system_admin", Scope: "system", SystemRef: system}}}
	return sc
}

// benchCase is one listing BenchmarkList measures.
type benchCase struct {
	name string
	who  func(*scaled) access.Actor
	f    func(*scaled) asset.Filter
}

func admin(sc *scaled) access.Actor  { return sc.admin }
func clerk(sc *scaled) access.Actor  { return sc.clerk }
func keeper(sc *scaled) access.Actor { return sc.keeper }

var levelA = map[string]string{"importance": "A"}

var benchCases = []benchCase{
	{"department+level", admin, func(sc *scaled) asset.Filter { return asset.Filter{DepartmentID: sc.dept, Levels: levelA} }},
	{"department+level+q2=端末", admin, func(sc *scaled) asset.Filter {
		return asset.Filter{DepartmentID: sc.dept, Levels: levelA, Query: "端末"}
	}},
	{"department+level+q6=住民基本台帳", admin, func(sc *scaled) asset.Filter {
		return asset.Filter{DepartmentID: sc.dept, Levels: levelA, Query: "住民基本台帳"}
	}},
	{"level+q6=住民基本台帳", admin, func(sc *scaled) asset.Filter { return asset.Filter{Levels: levelA, Query: "住民基本台帳"} }},
	{"level+q2=端末", admin, func(sc *scaled) asset.Filter { return asset.Filter{Levels: levelA, Query: "端末"} }},
	{"q2=媒体", admin, func(sc *scaled) asset.Filter { return asset.Filter{Query: "媒体"} }},
	{"q2=端末", admin, func(sc *scaled) asset.Filter { return asset.Filter{Query: "端末"} }},
	{"q7=SAMカード", admin, func(sc *scaled) asset.Filter { return asset.Filter{Query: "SAMカード"} }},
	{"q=number", admin, func(sc *scaled) asset.Filter { return asset.Filter{Query: sc.number} }},
	{"staff", clerk, func(sc *scaled) asset.Filter { return asset.Filter{} }},
	{"staff+q2=端末", clerk, func(sc *scaled) asset.Filter { return asset.Filter{Query: "端末"} }},
	{"system holder", keeper, func(sc *scaled) asset.Filter { return asset.Filter{} }},
	{"system holder+q2=端末", keeper, func(sc *scaled) asset.Filter { return asset.Filter{Query: "端末"} }},
	{"staff+sort=name+page 100", clerk, func(sc *scaled) asset.Filter { return asset.Filter{Sort: "name", Offset: 99 * 50} }},
	{"all", admin, func(sc *scaled) asset.Filter { return asset.Filter{} }},
	{"all+sort=updated", admin, func(sc *scaled) asset.Filter { return asset.Filter{Sort: "updated"} }},
	{"kind+state", admin, func(sc *scaled) asset.Filter { return asset.Filter{Kind: "media", State: "lent"} }},
}

// benchOpen opens a fresh database per engine; PostgreSQL on MAMORI_BENCH_PG_DSN when it is set.
var benchOpen = []struct {
	name string
	open func(testing.TB) *store.DB
}{
	{"sqlite", storetest.SQLite},
	{"postgres", func(tb testing.TB) *store.DB {
		dsn := os.Getenv("MAMORI_BENCH_PG_DSN")
		if dsn == "" {
			return storetest.Postgres(tb)
		}
		db, err := store.Open(context.Background(), store.Config{DSN: dsn})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			tb.Fatal(err)
		}
		return db
	}},
}

// BenchmarkList lists the register as the list page and the API do: the total and one page of
// fifty, with their classification. The register is filled once per engine, before any case
// is timed; each case reports its total as "matches".
func BenchmarkList(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("MAMORI_BENCH_ASSETS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("MAMORI_BENCH_ASSETS=%q is not a positive number", v)
		}
	}
	for _, e := range benchOpen {
		b.Run(e.name, func(b *testing.B) {
			db := e.open(b)
			started := time.Now()
			sc := fillScaled(b, db, n, 100)
			b.Logf("%s: %d assets in 100 departments written in %s", e.name, n, time.Since(started).Round(time.Second))
			ctx := context.Background()
			for _, c := range benchCases {
				b.Run(c.name, func(b *testing.B) {
					who, f := c.who(sc), c.f(sc)
					var total int
					for b.Loop() {
						var err error
						if _, total, err = sc.s.Assets.List(ctx, who, f); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(total), "matches")
				})
			}
		})
	}
}

// TestSearchIndex compares the register's search with the plain test it must agree with — every
// word, NFKC-folded and lower-cased, is in the number, name, location, system or note — over a
// generated register, on both engines: the text index behind the search (FTS5 trigrams on
// SQLite, bigrams on PostgreSQL) may narrow a search, never change its answer.
func TestSearchIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sc := fillScaled(t, db, 3000, 10)
		all := listAll(t, sc, sc.admin, asset.Filter{})
		if len(all) != 3000 {
			t.Fatalf("register of %d assets, want 3000", len(all))
		}
		queries := []string{
			"端末", "媒体", "台帳", "住民基本台帳", "業務用パソコン", "ＵＳＢメモリ", "usb", "ＳＡＭ", "sam",
			"課", "3階", "サーバ室 耐火金庫", "端末 窓口", "ノートpc 施錠", "pc-0", "s003-doc", "（", "ｻｰﾊﾞ",
			"50%", "a_b", `\`, "存在しない語句", "端末 存在しない",
		}
		for _, q := range queries {
			want := matching(all, q)
			t.Run(q, func(t *testing.T) {
				got := ids(listAll(t, sc, sc.admin, asset.Filter{Query: q}))
				if !slices.Equal(got, want) {
					t.Fatalf("search %q: %d assets, want %d", q, len(got), len(want))
				}
				// Narrowed to a department, the search goes without the index: the same answer.
				var inDept []int64
				for _, a := range all {
					if a.DepartmentID == sc.dept && slices.Contains(want, a.ID) {
						inDept = append(inDept, a.ID)
					}
				}
				if got := ids(listAll(t, sc, sc.clerk, asset.Filter{Query: q})); !slices.Equal(got, inDept) {
					t.Fatalf("search %q by a clerk of the department: %d assets, want %d", q, len(got), len(inDept))
				}
			})
		}
		if len(matching(all, "端末")) == 0 || len(matching(all, "住民基本台帳")) == 0 || len(matching(all, "媒体")) == 0 {
			t.Fatal("the generated register lacks the words searched for")
		}

		t.Run("the index follows changes", func(t *testing.T) {
			boss := access.System(sc.orgID, "test")
			in := asset.Input{Number: "ZZ-1", Name: "検証用サーバ", Kind: "server", DepartmentID: sc.dept,
				Class: map[string]string{"importance": "B"}, Note: "保守契約あり 末尾に端末"}
			a, err := sc.s.Assets.Create(ctx, boss, in)
			if err != nil {
				t.Fatal(err)
			}
			found := func(q string) bool {
				list, _, err := sc.s.Assets.List(ctx, sc.admin, asset.Filter{Query: q + " zz-1"})
				if err != nil {
					t.Fatal(err)
				}
				return len(list) == 1 && list[0].ID == a.ID
			}
			for _, q := range []string{"検証用", "証用", "端末", "保守契約"} {
				if !found(q) {
					t.Errorf("a new asset is not found by %q", q)
				}
			}
			in.Name, in.Note = "更新後の名前", ""
			if _, err := sc.s.Assets.Update(ctx, boss, a.ID, in); err != nil {
				t.Fatal(err)
			}
			if found("検証用") || found("端末") || !found("更新後") || !found("名前") {
				t.Error("after a change the search finds the old text or misses the new")
			}
			if err := sc.s.Assets.Delete(ctx, boss, a.ID); err != nil {
				t.Fatal(err)
			}
			if found("更新後") || found("名前") {
				t.Error("a deleted asset is still found")
			}
		})
	})
}

// listAll lists every asset the filter selects, page by page, checking that the totals agree.
func listAll(t *testing.T, sc *scaled, who access.Actor, f asset.Filter) []asset.Asset {
	t.Helper()
	var out []asset.Asset
	f.Limit = 500
	for {
		f.Offset = len(out)
		page, total, err := sc.s.Assets.List(context.Background(), who, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			if len(out) != total {
				t.Fatalf("listed %d of a total of %d", len(out), total)
			}
			return out
		}
	}
}

// matching is the plain test of a search: the assets holding every word, in order of number.
func matching(all []asset.Asset, query string) []int64 {
	var out []int64
	words := strings.Fields(norm.NFKC.String(query))
	for _, a := range all {
		text := strings.ToLower(strings.Join([]string{a.Number, a.Name, a.Location, a.SystemRef, a.Note}, " "))
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(text, strings.ToLower(w))
		}
		if ok {
			out = append(out, a.ID)
		}
	}
	return out
}

func ids(list []asset.Asset) []int64 {
	out := make([]int64, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}
