package request

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// assetRecord is the asset as the pack's conditions see it (policy.AssetRecord): levels and
// the zone with their ranks from the pack, whole-number attributes as int64.
func assetRecord(p *policy.Compiled, a asset.Asset, departmentCode string, now time.Time) policy.AssetRecord {
	rec := policy.AssetRecord{Number: a.Number, Kind: a.Kind, Name: a.Name, Segment: a.Segment, Department: departmentCode,
		Location: a.Location, Class: map[string]policy.LevelRef{}, Attrs: map[string]any{}, Now: now,
		Zone: policy.LevelRef{ID: a.Zone}}
	for axisID, level := range a.Class {
		ref := policy.LevelRef{ID: level}
		if axis, ok := p.Axis(axisID); ok {
			for _, l := range axis.Levels {
				if l.ID == level {
					ref.Rank = int64(l.Rank)
				}
			}
		}
		rec.Class[axisID] = ref
	}
	for _, z := range p.Zones {
		if z.ID == a.Zone {
			rec.Zone.Rank = int64(z.Rank)
		}
	}
	types := map[string]string{}
	for _, attr := range p.Attributes {
		if attr.On == "asset" {
			types[attr.ID] = attr.Type
		}
	}
	for k, v := range a.Attrs {
		if f, ok := v.(float64); ok && types[k] == "int" {
			v = int64(f)
		}
		rec.Attrs[k] = v
	}
	return rec
}

// covers reports whether the kind applies to the asset: it has no condition, or its condition
// holds. A condition that cannot be evaluated (a value it reads is missing) does not cover.
func covers(p *policy.Compiled, kind string, rec policy.AssetRecord) bool {
	prg := p.ApprovalWhen[kind]
	if prg == nil {
		return true
	}
	ok, err := prg.Eval(rec)
	return err == nil && ok
}

// systemOf is the information system an asset belongs to: its system reference, or for an
// information system itself its own number.
func systemOf(a asset.Asset) string {
	if a.SystemRef != "" {
		return a.SystemRef
	}
	if a.Kind == "system" {
		return a.Number
	}
	return ""
}

// snapshot freezes the subject assets as they are now, as JSON.
func snapshot(ctx context.Context, tx *sql.Tx, orgID int64, ids []int64) ([]asset.Asset, error) {
	out := make([]asset.Asset, 0, len(ids))
	for _, id := range ids {
		a, err := asset.Read(ctx, tx, orgID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func departmentCode(ctx context.Context, q querier, id int64) (string, error) {
	var code string
	err := q.QueryRowContext(ctx, `SELECT code FROM departments WHERE id = $1`, id).Scan(&code)
	if err != nil && err != sql.ErrNoRows {
		return "", apperr.Wrap(err, "department code")
	}
	return code, nil
}
