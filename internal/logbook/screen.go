package logbook

import (
	"context"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// An entry keeps the names of the assets it names as they were written ("PC-001 窓口端末"), and
// is read by more people than may see those assets' details: an asset of the highest class,
// or one of a department the reader may not read, is shown to them by its number only — as the
// register would show it, now. A name the register no longer has is not shown to a reader from
// whom some details are hidden, since whether it was of the highest class cannot be told.

// assetRefs are the entry's asset fields and the assets they name.
func assetRefs(lb policy.Logbook, e Entry) map[string]int64 {
	out := map[string]int64{}
	for _, f := range lb.Fields {
		if f.Type != "asset" {
			continue
		}
		switch v := e.Fields[f.ID].(type) {
		case float64:
			out[f.ID] = int64(v)
		case int64:
			out[f.ID] = v
		}
	}
	return out
}

// screen withholds, in place, the names of the assets the entries name that the actor may not
// see.
func (s *Service) screen(ctx context.Context, who access.Actor, lb policy.Logbook, p *policy.Compiled, list []Entry) error {
	v := asset.SightOf(who, p)
	if v.SeesAll() {
		return nil
	}
	var ids []int64
	for _, e := range list {
		for _, id := range assetRefs(lb, e) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	now, err := asset.Current(ctx, s.DB.SQL, who.OrgID, ids)
	if err != nil {
		return err
	}
	for i := range list {
		e := &list[i]
		for field, id := range assetRefs(lb, *e) {
			a, known := now[id]
			if !v.Withholds(a, known) {
				continue
			}
			number := a.Number
			if !known {
				number, _, _ = strings.Cut(e.Display[field], " ")
			}
			display := make(map[string]string, len(e.Display))
			for k, x := range e.Display {
				display[k] = x
			}
			display[field] = number
			e.Display = display
		}
	}
	return nil
}

// AuditReadable is the logbook rule for the audit log (an auditlog.Reader of the kind
// "logbook_entry"): an entry about a logbook entry is readable in full by those who may read
// the logbook entry now and see every asset it names (an entry is never changed; a correction
// is a new one, so what it names now is what the audit entry recorded).
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Pack(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.Conflict {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	v := asset.SightOf(who, p)
	seen := map[int64]bool{}
	for i, ae := range entries {
		id, err := strconv.ParseInt(ae.EntityID, 10, 64)
		if err != nil {
			continue
		}
		ok, known := seen[id]
		if !known {
			ok = false
			e, err := get(ctx, s.DB.SQL, who.OrgID, id)
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
			case err != nil:
				return nil, err
			default:
				lb, found := Find(p, e.Logbook)
				ok = found && reachOf(who, lb).canRead(e.DepartmentID)
				if refs := assetRefs(lb, e); ok && len(refs) > 0 && !v.SeesAll() {
					var ids []int64
					for _, a := range refs {
						ids = append(ids, a)
					}
					now, err := asset.Current(ctx, s.DB.SQL, who.OrgID, ids)
					if err != nil {
						return nil, err
					}
					for _, a := range ids {
						x, exists := now[a]
						ok = ok && (exists || !v.HidesSome()) && v.Reads(x) && !v.Hides(x)
					}
				}
			}
			seen[id] = ok
		}
		out[i] = ok
	}
	return out, nil
}
