package notify

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/i18n"
)

// Who may still read what a notice says. A notice quotes the record it is about — an
// incident's title, a request's kind and applicant — to the people who could read that record
// when it was sent. The record's rule may close it to some of them later (an incident
// restricted after its first report, a role given up), and the notice must not keep showing
// them what the record no longer does. So each kind of record that has a read rule of its own
// gives a Reader (the same rule its pages and the audit log apply, wired in app.New), and a
// notice about a record its reader may not read now shows a neutral subject and body and no
// link. Notices about records without such a rule — an account's lock, a rule of the pack, an
// exception's end — are addressed to exactly the people they concern and show as written.

// Reader decides, for records of one kind, which the actor may read now: one verdict per id,
// in order.
type Reader func(ctx context.Context, who access.Actor, ids []int64) ([]bool, error)

// Readers are the Reader of each kind of record a notice may be about (Ref.Type).
type Readers map[string]Reader

// screen replaces, in place, what the notices say of records the reader may no longer read.
func (s *Service) screen(ctx context.Context, who access.Actor, items []Item) error {
	byKind := map[string][]int{}
	var kinds []string
	for i, it := range items {
		if s.Readers[it.RefType] == nil || it.RefID == 0 {
			continue
		}
		if _, ok := byKind[it.RefType]; !ok {
			kinds = append(kinds, it.RefType)
		}
		byKind[it.RefType] = append(byKind[it.RefType], i)
	}
	for _, kind := range kinds {
		idx := byKind[kind]
		ids := make([]int64, len(idx))
		for j, i := range idx {
			ids[j] = items[i].RefID
		}
		ok, err := s.Readers[kind](ctx, who, ids)
		if err != nil {
			return err
		}
		for j, i := range idx {
			if j >= len(ok) || !ok[j] {
				withhold(&items[i], who.Lang)
			}
		}
	}
	return nil
}

// withhold keeps of a notice its kind, when it came and whether it was read.
func withhold(it *Item, lang string) {
	l := i18n.ParseLang(lang)
	it.Subject, it.Body = i18n.T(l, "notify.withheld.subject"), i18n.T(l, "notify.withheld.body")
	it.Link, it.RefType, it.RefID, it.Withheld = "", "", 0, true
}
