package asset

import (
	"sync"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// Record is the asset as the pack's conditions see it (policy.AssetRecord) — the approvals'
// conditions, the compliance rules, the pages that show which of them apply: levels and the zone
// with their ranks from the pack, whole-number attributes as int64 and date attributes as the
// start of their day in Japan. Every part of the program that evaluates a condition on an asset
// builds its record here, so that a condition means the same thing wherever it is evaluated.
func Record(p *policy.Compiled, a Asset, departmentCode string, now time.Time) policy.AssetRecord {
	x := indexOf(p)
	rec := policy.AssetRecord{Number: a.Number, Kind: a.Kind, Name: a.Name, Segment: a.Segment, Department: departmentCode,
		Location: a.Location, Class: make(map[string]policy.LevelRef, len(a.Class)), Attrs: make(map[string]any, len(a.Attrs)),
		Now: now, Zone: policy.LevelRef{ID: a.Zone, Rank: x.zones[a.Zone]}}
	for axis, level := range a.Class {
		rec.Class[axis] = policy.LevelRef{ID: level, Rank: x.levels[axis][level]}
	}
	for k, v := range a.Attrs {
		switch x.attrTypes[k] {
		case "int":
			if f, ok := v.(float64); ok {
				v = int64(f)
			}
		case "date":
			if d, ok := v.(string); ok {
				if t, err := time.ParseInLocation(time.DateOnly, d, i18n.Tokyo); err == nil {
					v = t
				}
			}
		}
		rec.Attrs[k] = v
	}
	return rec
}

// packIndex is what Record looks up in a pack, by id: made once per compiled pack.
type packIndex struct {
	levels    map[string]map[string]int64 // axis → level → rank
	zones     map[string]int64
	attrTypes map[string]string // asset attribute → type
}

var packIndexes sync.Map // *policy.Compiled → *packIndex

func indexOf(p *policy.Compiled) *packIndex {
	if x, ok := packIndexes.Load(p); ok {
		return x.(*packIndex)
	}
	x := &packIndex{levels: map[string]map[string]int64{}, zones: map[string]int64{}, attrTypes: map[string]string{}}
	for _, a := range p.Classification.Axes {
		m := make(map[string]int64, len(a.Levels))
		for _, l := range a.Levels {
			m[l.ID] = int64(l.Rank)
		}
		x.levels[a.ID] = m
	}
	for _, z := range p.Zones {
		x.zones[z.ID] = int64(z.Rank)
	}
	for _, a := range p.Attributes {
		if a.On == "asset" {
			x.attrTypes[a.ID] = a.Type
		}
	}
	actual, _ := packIndexes.LoadOrStore(p, x)
	return actual.(*packIndex)
}
