package pledge

import (
	"context"

	"mamori/internal/access"
)

// Pending returns, for the desk, the actor's own pledges still to sign, and the first n of the
// others they read who still have to sign (a 課長 their department's, the 情報政策課 the whole
// organisation's) with how many there are. An organisation without a pack has none.
func (s *Service) Pending(ctx context.Context, who access.Actor, n int) (mine, others []Item, othersTotal int, err error) {
	mine, others = []Item{}, []Item{}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil || len(p.Pledges) == 0 {
		return mine, others, 0, err
	}
	staffID := int64(0)
	if !reachOf(who).others() {
		if who.StaffID == 0 {
			return mine, others, 0, nil
		}
		staffID = who.StaffID
	}
	items, err := s.items(ctx, p, who, staffID)
	if err != nil {
		return mine, others, 0, err
	}
	for _, it := range items {
		switch {
		case !Pending(it.State):
		case it.StaffID == who.StaffID:
			mine = append(mine, it)
		default:
			if len(others) < n {
				others = append(others, it)
			}
			othersTotal++
		}
	}
	return mine, others, othersTotal, nil
}
