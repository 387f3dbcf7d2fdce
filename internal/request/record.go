package request

import (
	"context"
	"database/sql"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Covers reports whether the pack's approval kind applies to an asset as the pack's conditions
// see it: the kind has no condition, or its condition holds. It is the test Submit makes of
// each subject asset, for pages that offer only the assets a kind may be filed for.
func Covers(p *policy.Compiled, kind string, rec policy.AssetRecord) bool {
	return covers(p, kind, rec)
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

// systemOf is the information system an asset belongs to, as the register reads it.
func systemOf(a asset.Asset) string { return asset.SystemOf(a) }

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

func departmentCode(ctx context.Context, q store.Querier, id int64) (string, error) {
	var code string
	err := q.QueryRowContext(ctx, `SELECT code FROM departments WHERE id = $1`, id).Scan(&code)
	if err != nil && err != sql.ErrNoRows {
		return "", apperr.Wrap(err, "department code")
	}
	return code, nil
}
