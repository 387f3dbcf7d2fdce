package logbook

import (
	"context"
	"database/sql"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// fillBatch is how many entries FillPublicText gives a public text in one transaction.
const fillBatch = 500

// FillPublicText gives the organisation's entries written before entries kept a public text
// (migration 00019 left it NULL for those that name anything) the public text a new entry gets
// (searchText), and returns how many it gave one. Which fields name an asset is the pack's to
// say, so it is read from the organisation's pack as it is now — as list.go reads it; an entry
// of a logbook the pack no longer has is left as it is, since no search reaches it. The escort
// is named as the staff register names them now, as the entry shows them.
//
// It works in batches of fillBatch entries in order of id, each in its own transaction, and
// writes only an entry that has no public text yet: it may be run again, and by several
// processes at once, and never changes a text already written. It writes no audit entry: the
// public text is derived from what the entry keeps, like search_text, and is not a change to the
// entry.
func (s *Service) FillPublicText(ctx context.Context, orgID int64) (int, error) {
	p, err := s.Pack(ctx, orgID)
	if apperr.CodeOf(err) == apperr.Conflict {
		return 0, nil // no pack, no logbook to search
	}
	if err != nil {
		return 0, err
	}
	filled := 0
	var after int64
	for {
		var n, read int
		err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
			var err error
			n, read, after, err = fillPublicText(ctx, tx, p, orgID, after)
			return err
		})
		if err != nil {
			return filled, err
		}
		filled += n
		if read < fillBatch {
			return filled, nil
		}
		if err := ctx.Err(); err != nil {
			return filled, err
		}
	}
}

// FillPublicTexts runs FillPublicText for every organisation with entries that have no public
// text, and returns how many entries of each it gave one (mamori serve and mamori migrate).
func (s *Service) FillPublicTexts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT DISTINCT org_id FROM logbook_entries WHERE public_text IS NULL ORDER BY org_id`)
	if err != nil {
		return nil, apperr.Wrap(err, "entries without a public text")
	}
	var orgs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "entries without a public text")
		}
		orgs = append(orgs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "entries without a public text")
	}
	out := map[int64]int{}
	for _, org := range orgs {
		n, err := s.FillPublicText(ctx, org)
		out[org] = n
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// fillPublicText gives a public text to the next batch of the organisation's entries without
// one, after entry id after; it returns how many it wrote, how many it read and the last id read.
func fillPublicText(ctx context.Context, tx *sql.Tx, p *policy.Compiled, orgID, after int64) (filled, read int, last int64, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+columns+from+`WHERE e.org_id = $1 AND e.public_text IS NULL AND e.id > $2
		ORDER BY e.id LIMIT $3`, orgID, after, fillBatch)
	if err != nil {
		return 0, 0, after, apperr.Wrap(err, "entries without a public text")
	}
	var list []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			rows.Close()
			return 0, 0, after, apperr.Wrap(err, "scan logbook entry")
		}
		list = append(list, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, after, apperr.Wrap(err, "entries without a public text")
	}
	if len(list) == 0 {
		return 0, 0, after, nil
	}
	last = list[len(list)-1].ID
	var ids []int64
	for _, e := range list {
		if lb, ok := Find(p, e.Logbook); ok {
			for _, id := range assetRefs(lb, e) {
				ids = append(ids, id)
			}
		}
	}
	now := map[int64]asset.Asset{}
	if len(ids) > 0 {
		if now, err = asset.Current(ctx, tx, orgID, ids); err != nil {
			return 0, len(list), last, err
		}
	}
	for _, e := range list {
		lb, ok := Find(p, e.Logbook)
		if !ok {
			continue
		}
		_, public := searchText(e.Fields, e.Display, writtenNumbers(lb, e, now), e.EscortName, e.WriterName)
		res, err := tx.ExecContext(ctx, `UPDATE logbook_entries SET public_text = $1 WHERE id = $2 AND org_id = $3 AND public_text IS NULL`,
			public, e.ID, orgID)
		if err != nil {
			return filled, len(list), last, apperr.Wrap(err, "write public text")
		}
		if n, _ := res.RowsAffected(); n == 1 {
			filled++
		}
	}
	return filled, len(list), last, nil
}

// writtenNumbers are the numbers of the assets an entry names, by field, as the entry was
// written: its display of an asset is "number name" as they were then (resolve), so the number
// is the asset's number now when the display begins with it, and otherwise — the asset
// renumbered or gone — the display's first word, as screen reads it. Every asset field the
// entry shows gets a number, so that no asset's name is left in the public text.
func writtenNumbers(lb policy.Logbook, e Entry, now map[int64]asset.Asset) map[string]string {
	refs := assetRefs(lb, e)
	out := map[string]string{}
	for _, f := range lb.Fields {
		shown, ok := e.Display[f.ID]
		if f.Type != "asset" || !ok {
			continue
		}
		if a, known := now[refs[f.ID]]; known && strings.HasPrefix(shown, a.Number+" ") {
			out[f.ID] = a.Number
			continue
		}
		out[f.ID], _, _ = strings.Cut(shown, " ")
	}
	return out
}
