package orgpolicy

import (
	"context"

	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Version returns a pack version the organisation ran or runs, by its digest: a shipped pack
// still in the library, or one the organisation loaded itself. A shipped version no longer
// built into the binary is not found.
func (s *Service) Version(ctx context.Context, orgID int64, packID, digest string) (*policy.Compiled, error) {
	if p, ok := s.Library.Get(packID); ok && p.Digest == digest {
		return p, nil
	}
	p, err := s.own(ctx, orgID, digest)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.NotFound, "review.error.version_unknown")
	}
	return p, err
}
