//go:build measure

// The measurement of docs/PERFORMANCE.md §16: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package review_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/article"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// measureFacts is how many facts the review gathers: MAMORI_MEASURE_FACTS, 10,000 by default.
func measureFacts() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_MEASURE_FACTS")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// synthetic stands for the sources built beside this package (self-inspection, audits, risks):
// n facts spread over the pack's articles, already read.
type synthetic []article.Fact

func (s synthetic) ArticleFacts(context.Context, access.Actor, time.Time, time.Time) ([]article.Fact, error) {
	return s, nil
}

// TestMeasureGather times Gather of 上毛町's review over a register whose swept findings make
// most of measureFacts facts, the rest from a synthetic source, as the 統括情報セキュリティ責任者
// and as the auditor, on both engines.
func TestMeasureGather(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		want := measureFacts()
		// 上毛町's rules open about one finding on every three generated assets: findings make
		// about two thirds of the facts, a synthetic source the rest.
		assets := want * 2
		began := time.Now()
		if err := demo.FillRegister(ctx, e.S, e.Org, e.P, 50, assets); err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Compliance.Run(ctx, e.Admin); err != nil {
			t.Fatal(err)
		}
		r, err := e.S.Reviews.Open(ctx, e.office, 2026)
		if err != nil {
			t.Fatal(err)
		}
		found, err := e.S.Compliance.ArticleFacts(ctx, e.office, r.From, r.To)
		if err != nil {
			t.Fatal(err)
		}
		cov := e.P.Coverage().Articles()
		var syn synthetic
		for i := len(found); i < want; i++ {
			syn = append(syn, article.Fact{Article: cov[i%len(cov)].Article, Kind: []string{"inspection", "audit", "risk"}[i%3],
				Title: "点検項目 " + strconv.Itoa(i), State: "x", At: r.From.Add(time.Duration(i) * time.Minute)})
		}
		e.S.Reviews.Sources = append(e.S.Reviews.Sources, syn)
		t.Logf("%s: %d assets, %d finding facts and %d synthetic ones, filled in %s", db.Engine, assets, len(found), len(syn),
			time.Since(began).Round(time.Second))
		for _, who := range []struct {
			name  string
			actor access.Actor
		}{{"chief", e.office}, {"auditor", e.auditor}} {
			g, err := e.S.Reviews.Gather(ctx, who.actor, r.ID) // warm
			if err != nil {
				t.Fatal(err)
			}
			const runs = 10
			var times []time.Duration
			for range runs {
				start := time.Now()
				if _, err := e.S.Reviews.Gather(ctx, who.actor, r.ID); err != nil {
					t.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			var src time.Duration
			for range runs {
				start := time.Now()
				if _, err := e.S.Compliance.ArticleFacts(ctx, who.actor, r.From, r.To); err != nil {
					t.Fatal(err)
				}
				src += time.Since(start)
			}
			bearing := 0
			for _, a := range g.Articles {
				if len(a.Facts) > 0 {
					bearing++
				}
			}
			t.Logf("%-8s %-7s gather median %s p90 %s (compliance source alone mean %s): %d facts on %d of %d articles %s",
				db.Engine, who.name, times[runs/2].Round(100*time.Microsecond), times[runs*9/10].Round(100*time.Microsecond),
				(src / runs).Round(100*time.Microsecond), g.Facts, bearing, len(g.Articles), fmt.Sprint(g.Counts))
		}
	})
}
