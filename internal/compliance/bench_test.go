package compliance_test

import (
	"context"
	"mamori/internal/access"
	"os"
	"strconv"
	"testing"
	"time"

	"mamori/internal/asset"
	"mamori/internal/demo"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

// benchAssets is the size of the register the sweep benchmark fills: MAMORI_BENCH_ASSETS, a
// million by default.
func benchAssets(b *testing.B) int {
	if v := os.Getenv("MAMORI_BENCH_ASSETS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("MAMORI_BENCH_ASSETS=%q", v)
		}
		return n
	}
	return 1_000_000
}

// largestPack is the shipped pack with the most rules on assets (岸和田市's, 31 of them;
// TestLargestPack keeps it so), whose rules the sweep runs.
const largestPack = "kishiwada"

// rulePack is the pack whose rules BenchmarkRule and BenchmarkWrite take (上毛町's).
const rulePack = "koge"

func benchEngines(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, storetest.Postgres(b)) })
}

// BenchmarkSweep sweeps a register of MAMORI_BENCH_ASSETS assets written straight into the
// tables with every rule of the largest pack: the first sweep opens the findings, the ones
// timed after it find them as they are. It reports the first sweep's seconds and, for the timed
// sweeps, the time per asset and the shares spent in CEL and in the database.
func BenchmarkSweep(b *testing.B) {
	n := benchAssets(b)
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		s, orgID, p := bare(b, db, largestPack)
		if err := demo.FillRegister(ctx, s, orgID, p, 100, n); err != nil {
			b.Fatal(err)
		}
		first, err := s.Compliance.Run(ctx, access.System(orgID, "test"))
		if err != nil {
			b.Fatal(err)
		}
		var cel, storage time.Duration
		b.ResetTimer()
		for b.Loop() {
			sw, err := s.Compliance.Run(ctx, access.System(orgID, "test"))
			if err != nil {
				b.Fatal(err)
			}
			cel, storage = cel+sw.CEL, storage+sw.Storage
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/asset")
		b.ReportMetric(100*cel.Seconds()/(cel+storage).Seconds(), "%cel")
		b.ReportMetric(100*storage.Seconds()/(cel+storage).Seconds(), "%storage")
		b.ReportMetric((first.CEL + first.Storage).Seconds(), "first-sweep-s")
		b.ReportMetric(float64(first.Open.Total()+first.Open.Suppressed), "findings")
	})
}

// BenchmarkWrite updates one asset again and again, through the register with the compliance
// check in its transaction (checked) and through a register service without it (unchecked):
// the difference is the check's cost per write.
func BenchmarkWrite(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		e := newEnv(b, db, rulePack)
		a, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-BENCH", false))
		if err != nil {
			b.Fatal(err)
		}
		plain := &asset.Service{DB: e.S.DB, Policy: e.S.Policy, Now: e.S.Now}
		for _, c := range []struct {
			name string
			svc  *asset.Service
		}{{"checked", e.S.Assets}, {"unchecked", plain}} {
			b.Run(c.name, func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					if _, err := c.svc.Update(ctx, e.Admin, a.ID, e.server("SV-BENCH", i%2 == 0)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkRule evaluates three of the largest pack's rules, condition and requirement, beside
// the same conditions written in Go: the ceiling CEL could reach.
func BenchmarkRule(b *testing.B) {
	s, _, p := bare(b, storetest.SQLite(b), rulePack)
	_ = s
	rec := policy.AssetRecord{Number: "SV-1", Kind: "server", Name: "基幹サーバ", Class: map[string]policy.LevelRef{"importance": {ID: "II", Rank: 3}},
		Attrs: map[string]any{"critical_server": true, "redundant": false, "private_device": true}, Now: time.Now()}
	media := rec
	media.Kind = "media"
	pc := rec
	pc.Kind, pc.Class = "terminal", map[string]policy.LevelRef{"importance": {ID: "I", Rank: 4}}
	cases := []struct {
		rule   string
		record policy.AssetRecord
		plain  func(r policy.AssetRecord) bool // true: the record passes
	}{
		{"critical-server-redundant", rec, func(r policy.AssetRecord) bool {
			if r.Kind != "server" || r.Attrs["critical_server"] != true {
				return true
			}
			return r.Attrs["redundant"] == true
		}},
		{"media-locked-fireproof-storage", media, func(r policy.AssetRecord) bool {
			l, ok := r.Class["importance"]
			if r.Kind != "media" || !ok || l.Rank < 3 {
				return true
			}
			return r.Attrs["locked_fireproof_storage"] == true
		}},
		{"no-private-device-for-class-i", pc, func(r policy.AssetRecord) bool {
			if (r.Kind != "terminal" && r.Kind != "mobile") || r.Attrs["private_device"] != true {
				return true
			}
			l, ok := r.Class["importance"]
			return !ok || l.Rank < 4
		}},
	}
	for _, c := range cases {
		when, require := p.RuleWhen[c.rule], p.RuleRequire[c.rule]
		if require == nil {
			b.Fatalf("rule %s is not in %s", c.rule, rulePack)
		}
		cel := func(r policy.AssetRecord) bool {
			if when != nil {
				if ok, err := when.Eval(r); err != nil || !ok {
					return err == nil
				}
			}
			ok, err := require.Eval(r)
			return err == nil && ok
		}
		if cel(c.record) != c.plain(c.record) {
			b.Fatalf("%s: CEL and Go disagree", c.rule)
		}
		b.Run(c.rule+"/cel", func(b *testing.B) {
			for b.Loop() {
				cel(c.record)
			}
		})
		b.Run(c.rule+"/go", func(b *testing.B) {
			for b.Loop() {
				c.plain(c.record)
			}
		})
	}
}

// TestLargestPack: the sweep benchmark runs the shipped pack with the most rules on assets.
func TestLargestPack(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	count := func(p *policy.Compiled) (n int) {
		for _, r := range p.Rules {
			if r.On == "asset" {
				n++
			}
		}
		return n
	}
	largest, _ := lib.Get(largestPack)
	for _, p := range lib.List() {
		if count(p) > count(largest) {
			t.Errorf("%s has %d rules on assets, more than %s's %d", p.ID, count(p), largestPack, count(largest))
		}
	}
}
