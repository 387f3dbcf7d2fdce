package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/pledge"
	"mamori/internal/store/storetest"
)

// TestDemoPledges: every pack's demo has its pledges signed by some — the 会計年度任用職員 in
// Mamori, a contractor's worker on paper with its scan — and 岸和田市's shows a contractor's
// staff member who has not signed.
func TestDemoPledges(t *testing.T) {
	for _, c := range []struct {
		pack                    string
		online, paper, unsigned int
	}{{"koge", 1, 0, 0}, {"toki", 1, 1, 1}, {"abira-kyoiku", 0, 1, 1}, {"kishiwada", 0, 1, 1}, {"yamagata", 1, 0, 0}} {
		t.Run(c.pack, func(t *testing.T) {
			db := storetest.SQLite(t)
			s, _, orgID := loadDemo(t, db, c.pack, nil)
			b, err := s.Pledges.Status(context.Background(), access.System(orgID, "test"), pledge.Filter{State: pledge.StateAll})
			if err != nil {
				t.Fatal(err)
			}
			online, paper, unsigned := 0, 0, 0
			for _, it := range b.Items {
				switch {
				case it.State == pledge.Unsigned:
					unsigned++
					if it.Employment != "contractor" {
						t.Errorf("%s has not signed", it.Name)
					}
				case it.Last != nil && it.Last.Method == pledge.Online:
					online++
				case it.Last != nil && it.Last.Method == pledge.Paper && it.Last.Scan != nil:
					paper++
				}
			}
			if online < c.online || paper != c.paper || unsigned != c.unsigned {
				t.Errorf("%d signed in Mamori, %d on paper, %d unsigned; want at least %d, then %d, %d", online, paper, unsigned, c.online, c.paper, c.unsigned)
			}
		})
	}
}
