package request

import (
	"context"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/logbook"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Service keeps the organisation's requests.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
	// Assets is the register whose ChangeState moves a request's assets through their life,
	// with the register's state hooks; without it the state changes and no hook runs.
	Assets *asset.Service
	// Logbooks writes the entries of the pack's take-out logbook when a returnable kind's assets
	// are taken out and returned (lifelog.go).
	Logbooks *logbook.Service

	hooks map[string]Hook // by approval kind (Observe)
}

// jst is the zone the organisations count their days in: a due date is a Japanese day.
var jst = time.FixedZone("JST", 9*60*60)

func (s *Service) now() time.Time { return store.Now(s.Now) }

// today is the JST date, YYYY-MM-DD.
func (s *Service) today() string { return s.now().In(jst).Format(time.DateOnly) }

// approval returns the pack's approval kind by id.
func approval(p *policy.Compiled, id string) (policy.Approval, bool) {
	for _, a := range p.Approvals {
		if a.ID == id {
			return a, true
		}
	}
	return policy.Approval{}, false
}

// Kinds returns the approval kinds the actor may file: every kind of the pack for a staff
// member with a department; none for anyone else (an administrator who is not 職員等, the
// system).
func (s *Service) Kinds(ctx context.Context, who access.Actor) ([]policy.Approval, error) {
	if mayFile(who) != nil {
		return nil, nil
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	return append([]policy.Approval(nil), p.Approvals...), nil
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func itoa(n int) string { return strconv.Itoa(n) }
