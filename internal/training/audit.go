package training

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// AuditReadable is the assignment rule for the audit log (an auditlog.Reader of the kind
// "training_assignment"): an entry about a person's training is read in full by those who read
// that person's assignment now.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	var pk *policy.Pack
	if p != nil {
		pk = p.Pack
	}
	r := ReachOf(who, pk)
	for i, e := range entries {
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		if r.All {
			out[i] = true
			continue
		}
		a, err := assignmentByID(ctx, s.DB.SQL, who.OrgID, id)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
		case err != nil:
			return nil, err
		default:
			out[i] = r.Reads(a)
		}
	}
	return out, nil
}

// ImportAuditReadable is the rule for an attendance import's entry ("training_import"): it
// names a file of many people's attendance, so those who oversee the organisation's training
// read it.
func (s *Service) ImportAuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	var pk *policy.Pack
	if p != nil {
		pk = p.Pack
	}
	for i := range entries {
		out[i] = oversees(who, pk)
	}
	return out, nil
}
