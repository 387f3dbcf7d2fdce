package asset_test

import (
	"testing"
	"time"

	"mamori/internal/asset"
	"mamori/internal/policy"
	"mamori/packs"
)

// TestRecordAsConditionsSeeIt: a condition over an asset means the same wherever it is
// evaluated — ranks from the pack, whole numbers as int64 even when read back from JSON, and a
// date attribute as a date that compares with now.
func TestRecordAsConditionsSeeIt(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	own := []byte(`id: kishiwada-test
name: 岸和田市（検査用）
organization: 岸和田市
kind: municipality
version: "1"
extends: kishiwada
rules:
  - id: disposed-in-the-past
    on: asset
    when: "has(asset.attrs.disposal_date)"
    require: "asset.attrs.disposal_date > asset.now && asset.attrs.lockout_threshold <= 3 && asset.class.importance.rank == 3 && asset.zone.rank == 4"
    severity: low
    title: 検査用
    cite: {article: "検査"}
`)
	p, err := policy.LoadFile("own.yaml", own, lib)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	a := asset.Asset{Number: "SV-1", Kind: "server", Zone: "L4", Class: map[string]string{"importance": "A"},
		Attrs: map[string]any{"disposal_date": "2026-12-31", "lockout_threshold": float64(3)}}
	rec := asset.Record(p, a, "soumu", now)
	if rec.Class["importance"].Rank != 3 || rec.Zone.Rank != 4 || rec.Department != "soumu" {
		t.Fatalf("ranks: %+v zone %+v", rec.Class, rec.Zone)
	}
	if _, ok := rec.Attrs["lockout_threshold"].(int64); !ok {
		t.Fatalf("an int attribute is %T", rec.Attrs["lockout_threshold"])
	}
	if d, ok := rec.Attrs["disposal_date"].(time.Time); !ok || d.Format(time.DateOnly) != "2026-12-31" {
		t.Fatalf("a date attribute is %T %v", rec.Attrs["disposal_date"], rec.Attrs["disposal_date"])
	}
	require := p.RuleRequire["disposed-in-the-past"]
	if ok, err := require.Eval(rec); err != nil || !ok {
		t.Fatalf("the condition on a future date: %v, %v", ok, err)
	}
	a.Attrs["disposal_date"] = "2026-03-31"
	if ok, err := require.Eval(asset.Record(p, a, "soumu", now)); err != nil || ok {
		t.Fatalf("the condition on a past date: %v, %v", ok, err)
	}
}
