package audit

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/auditlog"
)

// AuditReadable is the audit log's reader of audit entries (kinds audit and audit_plan): an
// entry about an audit is read in full by those who read the audit whole; a plan by those
// who watch every audit.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	seen := map[int64]bool{}
	day := today(s.now())
	for i, e := range entries {
		if e.Entity == "audit_plan" {
			out[i] = watches(who)
			continue
		}
		id, err := strconv.ParseInt(e.EntityID, 10, 64)
		if err != nil {
			continue
		}
		ok, known := seen[id]
		if !known {
			a, err := s.load(ctx, s.DB.SQL, who.OrgID, id)
			if err == nil {
				ok = sightOf(who, a, day).all
			}
			seen[id] = ok
		}
		out[i] = ok
	}
	return out, nil
}
