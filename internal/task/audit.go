package task

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// AuditReadable is the task rule for the audit log (an auditlog.Reader of the kind "task"): an
// entry about a task is read in full by those who read the task now.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i], _ = strconv.ParseInt(e.EntityID, 10, 64)
	}
	return s.Readable(ctx, who, ids)
}

// Readable reports, for each task id, whether the actor reads it now (a notify.Reader).
func (s *Service) Readable(ctx context.Context, who access.Actor, ids []int64) ([]bool, error) {
	out := make([]bool, len(ids))
	if watches(who) {
		for i, id := range ids {
			out[i] = id > 0
		}
		return out, nil
	}
	seen := map[int64]bool{}
	for i, id := range ids {
		if id <= 0 {
			continue
		}
		ok, known := seen[id]
		if !known {
			t, err := get(ctx, s.DB.SQL, who.OrgID, id)
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
			case err != nil:
				return nil, err
			default:
				ok = Readable(who, t)
			}
			seen[id] = ok
		}
		out[i] = ok
	}
	return out, nil
}
