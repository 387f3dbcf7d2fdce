package auditlog

import (
	"context"

	"mamori/internal/access"
)

// Who may read an entry in full. The audit log as a whole is read by auditors and platform
// administrators (access.Actor.CanReadAuditLog), but an entry's before and after hold the
// values of the record it is about — an incident's report, a request's frozen subject assets,
// an asset of the highest class — and those stay with the people the record's own rule lets
// read it, now. So each kind of record is read by the rule of the domain that keeps it: the
// domain gives a Reader for its kinds, and the application hands them to the Service
// (app.New). An entry its Reader does not clear, and every entry of a kind without a Reader,
// shows who did what kind of thing to which record, and when, and withholds the values.

// Reader decides, for entries about records of one kind, which the actor may read in full now:
// one verdict per entry, in order.
type Reader func(ctx context.Context, who access.Actor, entries []Entry) ([]bool, error)

// Readers are the Reader of each kind of record (Entry.Entity).
type Readers map[string]Reader

// Open is the Reader of the kinds whose entries every reader of the audit log reads in full:
// the organisation itself and its pack, departments, staff, roles, users, their sign-ins and
// tokens — the things the platform administrators keep and the auditors check.
func Open(_ context.Context, _ access.Actor, entries []Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	for i := range out {
		out[i] = true
	}
	return out, nil
}

// screen withholds, in place, the values of the entries the actor may not read in full.
func (s *Service) screen(ctx context.Context, who access.Actor, entries []Entry) error {
	byKind := map[string][]int{}
	var kinds []string
	for i, e := range entries {
		if e.Before == "" && e.After == "" {
			continue // nothing to withhold
		}
		if _, ok := byKind[e.Entity]; !ok {
			kinds = append(kinds, e.Entity)
		}
		byKind[e.Entity] = append(byKind[e.Entity], i)
	}
	for _, kind := range kinds {
		idx := byKind[kind]
		ok := make([]bool, len(idx))
		if read := s.Readers[kind]; read != nil && !who.IsSystem() {
			some := make([]Entry, len(idx))
			for j, i := range idx {
				some[j] = entries[i]
			}
			got, err := read(ctx, who, some)
			if err != nil {
				return err
			}
			copy(ok, got)
		} else if who.IsSystem() {
			for j := range ok {
				ok[j] = true
			}
		}
		for j, i := range idx {
			if !ok[j] {
				withhold(&entries[i])
			}
		}
	}
	return nil
}

// withhold keeps of an entry who, when, what kind of thing to which record, and the chain.
func withhold(e *Entry) {
	e.Before, e.After, e.Withheld = "", "", true
}
