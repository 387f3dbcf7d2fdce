//go:build measure

// The measurement of docs/PERFORMANCE.md §15: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package risk_test

import (
	"context"
	"io"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"mamori/internal/apptest"
	"mamori/internal/demo"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/risk"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// measureAssets is the register's size: MAMORI_MEASURE_ASSETS, 100,000 by default.
func measureAssets() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_MEASURE_ASSETS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func cpu() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// TestMeasureRiskGeneration times the generation of the risk candidates over a register of
// measureAssets assets in 100 departments swept by 上毛町's rules, on both engines: the first
// (which creates the risks) and five more (which find them and update them), then the register
// read, its heat map and its workbook.
func TestMeasureRiskGeneration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		orgWide := func(r policy.Role) bool { return r.Scope == "organization" && !r.AllStaff }
		e := apptest.New(t, db, "koge", apptest.Options{Roles: orgWide, Marks: true})
		chief := e.Holder("chief@org")
		n := measureAssets()
		began := time.Now()
		if err := demo.FillRegister(ctx, e.S, e.Org, e.P, 100, n); err != nil {
			t.Fatal(err)
		}
		sw, err := e.S.Compliance.Run(ctx, e.Admin)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: filled %d assets, %d open findings in %s", db.Engine, n, sw.Open.Total(), time.Since(began).Round(time.Second))

		var walls, cpus []time.Duration
		var g risk.Generated
		for i := range 6 {
			c0, w0 := cpu(), time.Now()
			if g, err = e.S.Risks.Generate(ctx, chief); err != nil {
				t.Fatal(err)
			}
			w, c := time.Since(w0), cpu()-c0
			if i == 0 {
				t.Logf("%s: first generation (creates): wall %s, CPU %s — %+v", db.Engine, w.Round(time.Millisecond), c.Round(time.Millisecond), g)
				continue
			}
			walls, cpus = append(walls, w), append(cpus, c)
		}
		slices.Sort(walls)
		slices.Sort(cpus)
		t.Logf("%s: generation again (updates), 5 runs: wall median %s (min %s, max %s), CPU median %s — %+v", db.Engine,
			walls[2].Round(time.Millisecond), walls[0].Round(time.Millisecond), walls[4].Round(time.Millisecond), cpus[2].Round(time.Millisecond), g)

		w0 := time.Now()
		reg, err := e.S.Risks.List(ctx, chief, risk.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		heat := risk.HeatOf(reg.Scales, reg.Risks)
		listed := time.Since(w0)
		w0 = time.Now()
		if err := e.S.Risks.Export(ctx, chief, risk.Filter{}, i18n.Ja, io.Discard); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: register of %d risks read with its heat map (%d placed) in %s, workbook in %s", db.Engine, len(reg.Risks), heat.Inherent,
			listed.Round(time.Millisecond), time.Since(w0).Round(time.Millisecond))
	})
}
