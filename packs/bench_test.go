package packs

import (
	"testing"
	"testing/fstest"
	"time"

	"mamori/internal/policy"
)

// BenchmarkLoadAll parses, merges, validates and compiles every shipped pack.
func BenchmarkLoadAll(b *testing.B) {
	fsys := fstest.MapFS{}
	entries, _ := files.ReadDir(".")
	for _, e := range entries {
		data, _ := files.ReadFile(e.Name())
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	for b.Loop() {
		if _, err := policy.LoadFS(fsys, "."); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadPack loads one pack (with the base pack where it extends it).
func BenchmarkLoadPack(b *testing.B) {
	for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata", "base"} {
		b.Run(id, func(b *testing.B) {
			fsys := fstest.MapFS{}
			for _, name := range []string{id + ".yaml", "base.yaml"} {
				data, _ := files.ReadFile(name)
				fsys[name] = &fstest.MapFile{Data: data}
			}
			for b.Loop() {
				if _, err := policy.LoadFS(fsys, "."); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRuleEval evaluates every rule of every pack (condition, then requirement) on a
// sample asset that most conditions match.
func BenchmarkRuleEval(b *testing.B) {
	lib, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	rec := policy.AssetRecord{Number: "A-1", Kind: "server", Segment: "mynumber", Zone: policy.LevelRef{ID: "L3", Rank: 3},
		Class: map[string]policy.LevelRef{}, Attrs: map[string]any{"mfa": true, "mirrored": true}, Now: time.Now()}
	for _, p := range lib.List() {
		for _, a := range p.Classification.Axes {
			top := a.Levels[0]
			for _, l := range a.Levels {
				if l.Rank > top.Rank {
					top = l
				}
			}
			rec.Class[a.ID] = policy.LevelRef{ID: top.ID, Rank: int64(top.Rank)}
		}
	}
	for _, p := range lib.List() {
		b.Run(p.ID, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, r := range p.Rules {
					if w := p.RuleWhen[r.ID]; w != nil {
						if ok, _ := w.Eval(rec); !ok {
							continue
						}
					}
					p.RuleRequire[r.ID].Eval(rec)
					n++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(n, 1)), "ns/rule")
			b.ReportMetric(float64(n)/float64(b.N), "rules/op")
		})
	}
}
