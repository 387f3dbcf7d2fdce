package risk

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
)

// AuditReadable is the register's rule for its audit entries (auditlog.Reader): an entry about
// a risk is read in full by those who read the risk now and are told everything about its
// group; the entries of a generation, by those who read every risk.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return out, err
	}
	sight := asset.SightOf(who, p)
	for i, e := range entries {
		id, err := strconv.ParseInt(e.EntityID, 10, 64)
		if err != nil || id <= 0 {
			out[i] = readsAll(who) // a generation: the whole register
			continue
		}
		r, err := get(ctx, s.DB.SQL, who.OrgID, id)
		if err != nil {
			continue
		}
		out[i] = Reads(who, r) && !screen(sight, r).Restricted
	}
	return out, nil
}
