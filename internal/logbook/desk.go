package logbook

import (
	"cmp"
	"context"
	"slices"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// What a person's home page (the desk) shows of the logbooks: the entries waiting for them as
// the second person (CanConfirm's rule, read in SQL), and for the organisation's overview the
// entries still unconfirmed after their day. Both are counted on the index of entries by status
// (migration 00012), one logbook at a time.

// AwaitingConfirmation returns the entries of the pack's second-person logbooks that the actor
// may confirm — pending, current, of a department they write for, written by someone else —
// newest first, at most limit, and how many there are.
func (s *Service) AwaitingConfirmation(ctx context.Context, who access.Actor, limit int) ([]Entry, int, error) {
	p, err := s.Pack(ctx, who.OrgID)
	if err != nil {
		return nil, 0, err
	}
	limit = min(max(limit, 1), 100)
	out := []Entry{}
	total := 0
	for _, lb := range p.Logbooks {
		r := reachOf(who, lb)
		if !lb.SecondPerson || !r.writesAny() || who.IsSystem() {
			continue
		}
		w := pendingWhere(who, lb, r.writeAll, r.write)
		if who.UserID != 0 {
			w.add("COALESCE(e.written_by_user_id, 0) <> ?", who.UserID)
		}
		if who.StaffID != 0 {
			w.add("COALESCE(e.written_by_staff_id, 0) <> ?", who.StaffID)
		}
		n, list, err := s.countPage(ctx, w, limit)
		if err != nil {
			return nil, 0, err
		}
		if err := s.screen(ctx, who, lb, p, list); err != nil {
			return nil, 0, err
		}
		total += n
		out = append(out, list...)
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		return cmp.Or(b.OccurredAt.Compare(a.OccurredAt), cmp.Compare(b.ID, a.ID))
	})
	return out[:min(len(out), limit)], total, nil
}

// UnconfirmedBefore counts the entries of the second-person logbooks that the actor may read
// and that still wait for their second person although they happened before the given time
// (the overview passes the start of the day: the two work together, 上毛町 6(1)④ウ, so the
// confirmation belongs to the day of the work).
func (s *Service) UnconfirmedBefore(ctx context.Context, who access.Actor, before time.Time) (int, error) {
	p, err := s.Pack(ctx, who.OrgID)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, lb := range p.Logbooks {
		if !lb.SecondPerson {
			continue
		}
		r := reachOf(who, lb)
		read := r.read
		if !r.readAll {
			read = map[int64]bool{}
			for d := range r.read {
				read[d] = true
			}
			for d := range r.write {
				read[d] = true
			}
		}
		w := pendingWhere(who, lb, r.readAll || r.writeAll, read)
		w.add("e.occurred_at < ?", before.UTC())
		var n int
		if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM logbook_entries e WHERE `+w.String(), w.args...).Scan(&n); err != nil {
			return 0, apperr.Wrap(err, "count unconfirmed")
		}
		total += n
	}
	return total, nil
}

// pendingWhere is the condition for a logbook's current entries waiting for their second person,
// of every department (all) or of the given ones (none when empty).
func pendingWhere(who access.Actor, lb policy.Logbook, all bool, depts map[int64]bool) where {
	var w where
	w.add("e.org_id = ?", who.OrgID)
	w.add("e.logbook = ?", lb.ID)
	w.add("e.status = ?", Pending)
	w.add("e.superseded_by_id IS NULL")
	if !all {
		ids := make([]int64, 0, len(depts))
		for d := range depts {
			ids = append(ids, d)
		}
		slices.Sort(ids)
		if len(ids) == 0 {
			w.add("1 = 0")
		}
		marks, vals := "", []any{}
		for i, d := range ids {
			if i > 0 {
				marks += ", "
			}
			marks += "?"
			vals = append(vals, d)
		}
		if len(ids) > 0 {
			w.add("e.department_id IN ("+marks+")", vals...)
		}
	}
	return w
}

// countPage counts the entries of a condition and reads the newest limit of them.
func (s *Service) countPage(ctx context.Context, w where, limit int) (int, []Entry, error) {
	var n int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM logbook_entries e WHERE `+w.String(), w.args...).Scan(&n); err != nil {
		return 0, nil, apperr.Wrap(err, "count logbook entries")
	}
	if n == 0 {
		return 0, nil, nil
	}
	list, err := s.page(ctx, w, limit, 0)
	return n, list, err
}
